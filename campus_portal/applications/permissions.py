"""Who may do what to an application — one rule book for views, the API, the admin and tasks.

Every service function that changes an application calls ``require`` first; every read goes
through ``selectors.applications_visible_to``. Both ask the user's ``Scope`` (roles), never
``is_superuser``: an administrator sees no applicant's personal data without an office role.

Besides roles, a step may name one person (``Step.assignee_uid``, e.g. the budget holder of an
expense claim): that person may view the application and finish *their* step, nothing more —
and only while they are ``assignee_capable``: enrolled in MFA like any staff member (a named
person decides and reads personal data as staff do) and still someone the warehouse says may be
named (``assignees.person_may_be_assignee``). A student named on an old claim is nobody here.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from campus_portal.accounts.mfa import mfa_enrolled
from campus_portal.accounts.roles import Role, scope_for
from campus_portal.accounts.selectors import person_uid_for
from campus_portal.applications.assignees import person_may_be_assignee
from campus_portal.applications.models import Application, Step

APPLICANT_ACTIONS = frozenset({"consent", "save", "submit", "withdraw", "supplement", "view"})
ACCEPTANCE_ACTIONS = frozenset({"accept", "not_accept", "return_for_supplement"})


def _is_applicant_side(user, application: Application) -> bool:
    """The applicant, or the window staff member who started it on their behalf."""
    if application.applicant_id == user.pk:
        return True
    return application.started_by_id == user.pk and scope_for(user).is_window_staff


def person_uid(user) -> str:
    """The user's campus identity ("" for none), looked up once per user object (request)."""
    cached = getattr(user, "_campus_person_uid", None)
    if cached is None:
        cached = person_uid_for(user) or ""
        user._campus_person_uid = cached
    return cached


def assignee_capable(user) -> bool:
    """Whether ``user`` may act as anybody's named assignee now: a campus identity the
    warehouse holds as an active member of staff, and an authenticator app (MFA). Asked once
    per user object (request), only on the assignee paths."""
    cached = getattr(user, "_campus_assignee_capable", None)
    if cached is None:
        uid = person_uid(user)
        cached = (
            bool(uid)
            and Step.objects.filter(assignee_uid=uid).exists()  # cheap: most are never named
            and mfa_enrolled(user)
            and person_may_be_assignee(person_uid=uid)
        )
        user._campus_assignee_capable = cached
    return cached


def is_assignee(user, step: Step) -> bool:
    """The named person of ``step`` (their campus identity equals the step's assignee), when
    they may act as one (``assignee_capable``)."""
    if not step.assignee_uid or step.assignee_uid != person_uid(user):
        return False
    return assignee_capable(user)


def _assigned_to(user, application: Application) -> bool:
    uid = person_uid(user)
    if not uid or not application.steps.filter(assignee_uid=uid).exists():
        return False
    return assignee_capable(user)


def may(user, application: Application, action: str, step: Step | None = None) -> bool:
    if user is None or not user.is_authenticated:
        return False
    scope = scope_for(user)
    offices = scope.processing_offices
    if action in APPLICANT_ACTIONS and _is_applicant_side(user, application):
        return action != "withdraw" or application.applicant_id == user.pk
    if action in ACCEPTANCE_ACTIONS:
        return scope.is_window_staff or application.office_code in offices
    if action == "extend_step" and step is not None:
        # Staff of the office holding the step ask for more time (延期)...
        return step.office_code in offices
    if action == "decide_extension" and step is not None:
        # ...and one of its heads grants or refuses it.
        return scope.has(Role.OFFICE_HEAD, step.office_code)
    if action == "supervise":
        # 督办: campus supervisors, whatever office holds the step (timeliness, not content).
        return scope.is_supervisor
    if action == "transfer_step" and step is not None:
        # Only the office that holds the step can say it reached the wrong office.
        return step.office_code in offices
    if action == "finish_step" and step is not None:
        # Never one's own approver, whatever the answers say (separation of duties).
        if is_assignee(user, step) and application.applicant_id != user.pk:
            return True
        if step.decided_by == Role.OFFICE_HEAD:
            return scope.has(Role.OFFICE_HEAD, step.office_code)
        return step.office_code in offices
    if action in ("view", "comment", "record_visit"):
        involved = {
            application.office_code,
            *application.steps.values_list("office_code", flat=True),
        }
        if involved & offices:
            return True
        if action == "record_visit":
            return scope.is_window_staff
        return action == "view" and _assigned_to(user, application)
    return False


def require(user, application: Application, action: str, step: Step | None = None) -> None:
    if not may(user, application, action, step):
        raise PermissionDenied(f"{action} on {application.reference}")
