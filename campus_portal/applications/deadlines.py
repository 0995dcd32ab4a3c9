"""Time limits that bite: reminders before a step is due, overdue marks, escalation to the
office head and, near the statutory limit, to the campus supervisors (督办).

Plain functions, run hourly by Celery beat (``campus_portal.applications.tasks``) and callable
from a shell or a test with a frozen clock. Each one is idempotent: a step is reminded once,
marked overdue once and escalated once per clock (``reminded_at``, ``overdue``,
``escalated_at``, ``supervised_at``; a clock that resumes after a supplement resets them).
The marks are written with a conditional UPDATE, so two sweeps running at once cannot both
record the same event, and they do not bump ``Step.version``: a sweep must not make a staff
member's open form stale.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from campus_portal.applications import signals
from campus_portal.applications.events import SYSTEM, event_record
from campus_portal.applications.models import Application, Channel, Event, Step
from campus_portal.applications.services.steps import statutory_due
from campus_portal.workdays.calendar import add_working_days


def _active_steps():
    return Step.objects.filter(
        state=Step.State.ACTIVE, application__state=Application.State.IN_PROGRESS
    ).select_related("application__matter", "application__applicant")


def _record(step: Step, kind: str, signal, **detail) -> None:
    """The sweep's event on the step's application, then its announcement."""
    application = step.application
    event_record(
        application,
        kind,
        actor=SYSTEM,
        channel=Channel.WEB,
        step=step.key,
        office=step.office_code,
        due=step.due_at.isoformat(),
        **detail,
    )
    signal.send(Application, application=application, step=step)


def steps_remind_due_soon(now: datetime | None = None) -> int:
    """Remind the offices of active steps due before the end of the next working day.

    Returns the number of steps reminded now.
    """
    now = now or timezone.now()
    horizon = add_working_days(now, 1)
    reminded = 0
    due_soon = _active_steps().filter(
        reminded_at__isnull=True, due_at__gte=now, due_at__lte=horizon
    )
    for step in due_soon:
        with transaction.atomic():
            claimed = Step.objects.filter(
                pk=step.pk, state=Step.State.ACTIVE, reminded_at__isnull=True
            ).update(reminded_at=now)
            if not claimed:
                continue
            _record(step, Event.Kind.REMINDED, signals.step_due_soon)
            reminded += 1
    return reminded


def steps_mark_overdue(now: datetime | None = None) -> int:
    """Mark active steps whose due time has passed, tell their office, escalate to its head.

    A step is overdue from the first moment after its due time (the end of its last working
    day). Returns the number of steps newly marked overdue; steps marked earlier but not yet
    escalated (say, the sweep stopped half-way) are escalated too.
    """
    now = now or timezone.now()
    marked = 0
    for step in _active_steps().filter(overdue=False, due_at__lt=now):
        with transaction.atomic():
            claimed = Step.objects.filter(
                pk=step.pk, state=Step.State.ACTIVE, overdue=False, due_at__lt=now
            ).update(overdue=True)
            if not claimed:
                continue
            _record(step, Event.Kind.OVERDUE, signals.step_overdue)
            marked += 1
    for step in _active_steps().filter(overdue=True, escalated_at__isnull=True):
        with transaction.atomic():
            claimed = Step.objects.filter(
                pk=step.pk, state=Step.State.ACTIVE, overdue=True, escalated_at__isnull=True
            ).update(escalated_at=now)
            if not claimed:
                continue
            _record(step, Event.Kind.ESCALATED, signals.step_escalated)
    return marked


def steps_escalate_to_supervisors(now: datetime | None = None) -> int:
    """Escalate to the campus supervisors every active step still open when its statutory
    limit is ``APPLICATIONS_SUPERVISION_LEAD_DAYS`` working days away or closer (or past).

    The promised limit going by reaches the office head (``steps_mark_overdue``); the statutory
    one coming near reaches the top. Returns the number of steps escalated now.
    """
    now = now or timezone.now()
    _statutory_fill()
    horizon = add_working_days(now, settings.APPLICATIONS_SUPERVISION_LEAD_DAYS)
    escalated = 0
    near = _active_steps().filter(supervised_at__isnull=True, statutory_due_at__lte=horizon)
    for step in near:
        with transaction.atomic():
            claimed = Step.objects.filter(
                pk=step.pk, state=Step.State.ACTIVE, supervised_at__isnull=True
            ).update(supervised_at=now)
            if not claimed:
                continue
            _record(
                step,
                Event.Kind.SUPERVISED,
                signals.step_supervised,
                statutory_due=step.statutory_due_at.isoformat(),
            )
            escalated += 1
    return escalated


def _statutory_fill() -> None:
    """Steps started before statutory limits were tracked get theirs, from their due time."""
    for step in _active_steps().filter(statutory_due_at__isnull=True, due_at__isnull=False):
        step.statutory_due_at = statutory_due(step, start=step.due_at, allowance=0)
        Step.objects.filter(pk=step.pk, statutory_due_at__isnull=True).update(
            statutory_due_at=step.statutory_due_at
        )
