"""Reads for the staff workbench, always narrowed by the user's scope.

The queues start from ``campus_portal.applications.selectors`` (which already limit them to the
user's offices) and only add filters; nothing here widens what a user may see.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils import timezone

from campus_portal.accounts.mfa import mfa_enrolled
from campus_portal.accounts.models import CampusIdentity
from campus_portal.accounts.roles import Role, scope_for
from campus_portal.applications.assignees import person_may_be_assignee
from campus_portal.applications.models import Application, HandlerBinding, Step, StepExtension
from campus_portal.applications.permissions import may, person_uid
from campus_portal.applications.selectors import (
    acceptance_queue,
    assigned_steps_q,
    office_queue,
)
from campus_portal.catalog.models import MatterPage, Office
from campus_portal.plugin_api import registry
from campus_portal.workdays.calendar import add_working_days

FINISHED = (Step.State.APPROVED, Step.State.REJECTED)


def workbench_allowed(user) -> bool:
    """Staff with a processing office or the window role, and anyone a step has been assigned
    to by name (a budget holder); everyone else gets a 403.

    Any assigned step, not only an active one: after approving, the holder is sent back to the
    application's workbench page, and it must not turn into a 403 the moment they acted. They
    still see only what ``applications_visible_to`` gives them, and act only on their steps.
    """
    scope = scope_for(user)
    if scope.processing_offices or scope.is_window_staff:
        return True
    return Step.objects.filter(assigned_steps_q(user)).exists()


def assignee_must_enrol(user) -> bool:
    """A member of staff named on a step who has no authenticator app yet: they are sent to
    MFA enrolment instead of the workbench (named assignees sign in with MFA like staff)."""
    uid = person_uid(user)
    if not uid or mfa_enrolled(user):
        return False
    named = Step.objects.filter(assignee_uid=uid).exclude(application__applicant=user)
    return named.exists() and person_may_be_assignee(person_uid=uid)


def head_offices(user) -> list[str]:
    return sorted(scope_for(user).offices(Role.OFFICE_HEAD))


def overdue_q(now: datetime | None = None) -> Q:
    now = now or timezone.now()
    return Q(overdue=True) | Q(due_at__lt=now)


@dataclass(frozen=True)
class QueueFilters:
    matter: str = ""  # matter code
    state: str = ""  # "" | "submitted" (waiting for acceptance) | "in_progress" (active steps)
    office: str = ""
    due_before: date | None = None
    overdue_only: bool = False


def _end_of_day(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.max))


def queue_steps(user, filters: QueueFilters) -> QuerySet[Step]:
    """Active steps of the user's offices, earliest due first, filtered."""
    if filters.state and filters.state != Application.State.IN_PROGRESS:
        return Step.objects.none()
    steps = office_queue(user, office_code=filters.office or None)
    if filters.matter:
        steps = steps.filter(application__matter__code=filters.matter)
    if filters.due_before:
        steps = steps.filter(due_at__lte=_end_of_day(filters.due_before))
    if filters.overdue_only:
        steps = steps.filter(overdue_q())
    return steps.select_related("application__applicant")


def queue_acceptance(user, filters: QueueFilters) -> QuerySet[Application]:
    """Submitted applications of the user's offices waiting for acceptance, oldest first."""
    if filters.state and filters.state != Application.State.SUBMITTED:
        return Application.objects.none()
    if filters.due_before or filters.overdue_only:  # no clock runs before acceptance
        return Application.objects.none()
    applications = acceptance_queue(user)
    if filters.office:
        applications = applications.filter(office_code=filters.office)
    if filters.matter:
        applications = applications.filter(matter__code=filters.matter)
    return applications.select_related("applicant").order_by("submitted_at", "pk")


def queue_matter_choices(user) -> list[tuple[str, str]]:
    """Matters that appear in the user's queues (for the filter)."""
    offices = scope_for(user).processing_offices
    rows = (
        Application.objects.filter(
            Q(office_code__in=offices, state=Application.State.SUBMITTED)
            | Q(steps__office_code__in=offices, steps__state=Step.State.ACTIVE)
            | Q(pk__in=_assigned_active(user).values("application_id"))
        )
        .values_list("matter__code", "matter__title")
        .distinct()
        .order_by("matter__code")
    )
    return list(rows)


def _assigned_active(user) -> QuerySet[Step]:
    return Step.objects.filter(assigned_steps_q(user), state=Step.State.ACTIVE)


def steps_actionable(user, application: Application) -> list[Step]:
    """The application's active steps this user may finish."""
    return [
        step
        for step in application.steps.filter(state=Step.State.ACTIVE)
        if may(user, application, "finish_step", step)
    ]


def extensions_decidable(user, application: Application) -> list[StepExtension]:
    """Pending time extensions of the application that this user (a head of the step's office)
    may approve or refuse."""
    pending = StepExtension.objects.filter(
        step__application=application, state=StepExtension.State.PENDING
    ).select_related("step")
    return [ext for ext in pending if may(user, application, "decide_extension", ext.step)]


def steps_extendable(user, application: Application) -> list[Step]:
    """Active steps for which this user (staff of the step's office) may ask for more time;
    not those with a request already waiting for a head."""
    if application.state != Application.State.IN_PROGRESS:
        return []
    steps = application.steps.filter(state=Step.State.ACTIVE).exclude(
        extensions__state=StepExtension.State.PENDING
    )
    return [step for step in steps if may(user, application, "extend_step", step)]


def steps_for_bulk(user, step_ids: list[int]) -> QuerySet[Step]:
    """Steps of the user's offices, or assigned to them by name, among ``step_ids``; other
    offices' steps are left out."""
    offices = scope_for(user).processing_offices
    return Step.objects.filter(
        Q(office_code__in=offices) | assigned_steps_q(user), pk__in=step_ids
    ).select_related("application")


def office_counts(user) -> list[dict]:
    """For each office the user heads: active, overdue, due within 2 working days, finished
    this month."""
    now = timezone.now()
    soon = add_working_days(now, 2)
    month_start = timezone.localtime(now).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    names = dict(Office.objects.values_list("code", "name"))
    rows = []
    for code in head_offices(user):
        steps = Step.objects.filter(office_code=code)
        active = steps.filter(state=Step.State.ACTIVE)
        rows.append(
            {
                "code": code,
                "name": names.get(code, code),
                "active": active.count(),
                "overdue": active.filter(overdue_q(now)).count(),
                "due_soon": active.filter(due_at__gte=now, due_at__lte=soon).count(),
                "finished_month": steps.filter(
                    state__in=FINISHED, finished_at__gte=month_start
                ).count(),
            }
        )
    return rows


def person_user_find(campus_number: str):
    """The user account of a campus number: username equal to it, else the linked identity."""
    campus_number = campus_number.strip()
    if not campus_number:
        return None
    user = get_user_model().objects.filter(username=campus_number, is_active=True).first()
    if user is not None:
        return user
    identity = (
        CampusIdentity.objects.filter(person_uid=campus_number, user__is_active=True)
        .select_related("user")
        .first()
    )
    return identity.user if identity else None


def window_matters() -> QuerySet:
    """Every live matter of the catalog: any window takes in any matter (无差别受理) — through
    its own handler when it has one, else the window's generic intake."""
    return MatterPage.objects.live().order_by("code")


def window_online_codes() -> frozenset[str]:
    """Codes of the matters with an enabled binding to a registered handler: the window starts
    their own form; the others are taken in as a generic intake (shown so in the list)."""
    keys = [handler.key for handler in registry]
    return frozenset(
        HandlerBinding.objects.filter(enabled=True, handler_key__in=keys).values_list(
            "matter__code", flat=True
        )
    )


def window_started(user, limit: int = 50) -> QuerySet[Application]:
    """Applications this window staff member started and that are not closed yet, newest
    first: the window follows up on them (accepts them, hands out the result, closes them)
    even when no office of theirs processes the matter."""
    if not scope_for(user).is_window_staff:
        return Application.objects.none()
    open_states = [
        state
        for state in Application.State.values
        if state not in (Application.State.CLOSED, Application.State.WITHDRAWN)
    ]
    return (
        Application.objects.filter(started_by=user, state__in=open_states)
        .select_related("matter", "applicant")
        .order_by("-created_at", "-pk")[:limit]
    )
