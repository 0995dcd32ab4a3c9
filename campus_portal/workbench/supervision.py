"""Reads for supervision (督办) and for transferring a step between offices.

Supervision tracks timeliness, not content: these selectors return the matter, the office, the
step, its due time and the reference — never the applicant or the application's data — so the
supervision page can show every office's overdue work to people who hold no office role.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from campus_portal.accounts.roles import scope_for
from campus_portal.applications.models import Application, Step
from campus_portal.catalog.models import Office
from campus_portal.workdays.calendar import working_days_between


def supervision_allowed(user) -> bool:
    """Supervisors and administrators (by role; a bare superuser is not enough)."""
    scope = scope_for(user)
    return scope.is_supervisor or scope.is_administrator


def _late(now: datetime) -> Q:
    """Marked overdue by the sweep, or past due and not swept yet."""
    return Q(overdue=True) | Q(due_at__lt=now)


@dataclass(frozen=True)
class LateStep:
    reference: str
    matter: str
    office_code: str
    office_name: str
    step: str
    due_at: datetime
    days_overdue: int  # working days since the due day
    escalated: bool


def overdue_steps(
    *, offices: list[str] | None = None, now: datetime | None = None
) -> QuerySet[Step]:
    """Active overdue steps, longest overdue first; all offices unless ``offices`` is given."""
    now = now or timezone.now()
    steps = Step.objects.filter(
        _late(now),
        state=Step.State.ACTIVE,
        application__state=Application.State.IN_PROGRESS,
    )
    if offices is not None:
        steps = steps.filter(office_code__in=offices)
    return steps.order_by("due_at", "pk")


def late_rows(steps, *, now: datetime | None = None) -> list[LateStep]:
    """The timeliness facts of ``steps`` (a page of ``overdue_steps``), nothing personal."""
    now = now or timezone.now()
    rows = list(
        steps.values_list(
            "application__reference",
            "application__matter__title",
            "office_code",
            "label",
            "due_at",
            "escalated_at",
        )
    )
    names = dict(
        Office.objects.filter(code__in={row[2] for row in rows}).values_list("code", "name")
    )
    return [
        LateStep(
            reference=reference,
            matter=matter,
            office_code=office,
            office_name=names.get(office, office),
            step=label,
            due_at=due_at,
            days_overdue=max(working_days_between(due_at, now), 0),
            escalated=escalated_at is not None,
        )
        for reference, matter, office, label, due_at, escalated_at in rows
    ]


def overdue_counts(*, now: datetime | None = None) -> list[dict]:
    """Per office: overdue steps and how many of them were escalated, most first."""
    rows = list(
        overdue_steps(now=now)
        .order_by()
        .values("office_code")
        .annotate(overdue=Count("pk"), escalated=Count("pk", filter=Q(escalated_at__isnull=False)))
        .order_by("-overdue", "office_code")
    )
    names = dict(
        Office.objects.filter(code__in={row["office_code"] for row in rows}).values_list(
            "code", "name"
        )
    )
    for row in rows:
        row["name"] = names.get(row["office_code"], row["office_code"])
    return rows


# --- Near the statutory limit (法定时限) ---------------------------------------------------


@dataclass(frozen=True)
class SupervisedStep:
    step_id: int
    reference: str
    matter: str
    office_code: str
    office_name: str
    step: str
    due_at: datetime
    statutory_due_at: datetime
    extended_days: int
    instructions: int  # supervision instructions issued so far


def supervised_rows(*, limit: int = 200) -> list[SupervisedStep]:
    """Open steps escalated to the supervisors near their statutory limit, the nearest first:
    timeliness facts only (no applicant, no answers), as on the rest of this page."""
    steps = (
        Step.objects.filter(
            state=Step.State.ACTIVE,
            application__state=Application.State.IN_PROGRESS,
            supervised_at__isnull=False,
        )
        .annotate(n_instructions=Count("instructions"))
        .order_by("statutory_due_at", "pk")
        .values_list(
            "pk",
            "application__reference",
            "application__matter__title",
            "office_code",
            "label",
            "due_at",
            "statutory_due_at",
            "extended_days",
            "n_instructions",
        )[:limit]
    )
    rows = list(steps)
    names = dict(
        Office.objects.filter(code__in={row[3] for row in rows}).values_list("code", "name")
    )
    return [
        SupervisedStep(
            step_id=pk,
            reference=reference,
            matter=matter,
            office_code=office,
            office_name=names.get(office, office),
            step=label,
            due_at=due_at,
            statutory_due_at=statutory,
            extended_days=extended,
            instructions=instructions,
        )
        for pk, reference, matter, office, label, due_at, statutory, extended, instructions in rows
    ]


# --- Transfer (转办) ------------------------------------------------------------------------------


def steps_transferable(user, application: Application) -> list[Step]:
    """The application's active steps that belong to one of the user's offices."""
    offices = scope_for(user).processing_offices
    if application.state != Application.State.IN_PROGRESS:
        return []
    return list(application.steps.filter(state=Step.State.ACTIVE, office_code__in=offices))


def transfer_office_choices() -> list[tuple[str, str]]:
    """Every office a step can be sent to, by code."""
    return list(Office.objects.order_by("code").values_list("code", "name"))
