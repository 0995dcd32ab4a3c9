"""Who may be named on a step (``StepSpec.assignee``): the rule every handler is held to.

A named assignee reads the applicant's data and decides a step, so the lifecycle — not each
plugin — checks them when the application is submitted: the person must be someone the
warehouse says may hold the step's ``assignee_role`` (today every role asks for an active
member of staff, ``APPLICATIONS_ASSIGNEE_STAFF_STATUSES``; a finance-system list of budget
holders would narrow "budget_holder" further here), and never the applicant. The same check
runs again when the assignee acts (``permissions.assignee_capable``), so a claim submitted
before the rule, or a holder who has since left, cannot be approved by them.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from campus_portal.applications.events import TransitionRefused
from campus_portal.plugin_api import ApplicationView, MatterHandler, StepSpec
from data_warehouse.selectors import staff_member_active

#: Roles a step may name a person for; each is checked against the warehouse.
ASSIGNEE_ROLES = frozenset({"staff", "budget_holder"})


def person_may_be_assignee(*, person_uid: str) -> bool:
    """The warehouse holds ``person_uid`` as an active member of staff."""
    return staff_member_active(
        person_uid=person_uid, statuses=tuple(settings.APPLICATIONS_ASSIGNEE_STAFF_STATUSES)
    )


def assignee_problem(*, spec: StepSpec, applicant_uid: str) -> str:
    """Why ``spec``'s named person cannot be named ("" when they can)."""
    uid = spec.assignee.strip()
    if not uid:
        return ""
    if spec.assignee_role not in ASSIGNEE_ROLES:
        return _("This step names a person for a role the platform does not know.")
    if applicant_uid and uid.casefold() == applicant_uid.casefold():
        return _("You cannot name yourself for “%(step)s”.") % {"step": spec.label}
    if not person_may_be_assignee(person_uid=uid):
        return _(
            "%(number)s cannot be named for “%(step)s”: the university's records hold no active "
            "member of staff with this number. Enter a staff number (工号)."
        ) % {"number": uid, "step": spec.label}
    return ""


def assignees_check(*, handler: MatterHandler, view: ApplicationView) -> dict[str, list[str]]:
    """Every refused named assignee of the steps ``handler`` would create, by form field
    (``None`` for a step that names no field): what the applicant must correct."""
    problems: dict[str, list[str]] = {}
    for spec in handler.steps(view):
        problem = assignee_problem(spec=spec, applicant_uid=view.applicant_uid or "")
        if problem:
            problems.setdefault(spec.assignee_field or None, []).append(problem)
    return problems


class AssigneeRefused(TransitionRefused):
    """Raised by the submission: carries the problems by form field (the portal's form shows
    each on its field; the API and the kiosk show the message)."""

    def __init__(self, problems: dict[str, list[str]]) -> None:
        self.problems = problems
        super().__init__(" ".join(message for group in problems.values() for message in group))
