"""Who may do what to an application — one rule book for views, the API, the admin and tasks.

Every service function that changes an application calls ``require`` first; every read goes
through ``selectors.applications_visible_to``. Both ask the user's ``Scope`` (roles), never
``is_superuser``: an administrator sees no applicant's personal data without an office role.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from campus_portal.accounts.roles import Role, scope_for
from campus_portal.applications.models import Application, Step

APPLICANT_ACTIONS = frozenset({"consent", "save", "submit", "withdraw", "supplement", "view"})
ACCEPTANCE_ACTIONS = frozenset({"accept", "not_accept", "return_for_supplement"})


def _is_applicant_side(user, application: Application) -> bool:
    """The applicant, or the window staff member who started it on their behalf."""
    if application.applicant_id == user.pk:
        return True
    return application.started_by_id == user.pk and scope_for(user).is_window_staff


def may(user, application: Application, action: str, step: Step | None = None) -> bool:
    if user is None or not user.is_authenticated:
        return False
    scope = scope_for(user)
    offices = scope.processing_offices
    if action in APPLICANT_ACTIONS and _is_applicant_side(user, application):
        return action != "withdraw" or application.applicant_id == user.pk
    if action in ACCEPTANCE_ACTIONS:
        return scope.is_window_staff or application.office_code in offices
    if action == "finish_step" and step is not None:
        if step.decided_by == Role.OFFICE_HEAD:
            return scope.has(Role.OFFICE_HEAD, step.office_code)
        return step.office_code in offices
    if action in ("view", "comment", "record_visit"):
        involved = {
            application.office_code,
            *application.steps.values_list("office_code", flat=True),
        }
        return bool(involved & offices) or (action == "record_visit" and scope.is_window_staff)
    return False


def require(user, application: Application, action: str, step: Step | None = None) -> None:
    if not may(user, application, action, step):
        raise PermissionDenied(f"{action} on {application.reference}")
