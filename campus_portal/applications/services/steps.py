"""Steps: their clocks (start, pause, resume) and the offices' actions on a running step."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campus_portal.applications import signals
from campus_portal.applications.events import TransitionRefused, event_record
from campus_portal.applications.models import Application, Channel, Event, Step
from campus_portal.applications.selectors import application_view
from campus_portal.applications.services._base import active_step_locked, offices
from campus_portal.applications.services.decision import decide
from campus_portal.catalog.models import Office
from campus_portal.plugin_api import signals as plugin_signals
from campus_portal.workdays.calendar import add_working_days, working_days_between


def statutory_due(step: Step, *, start, allowance: int):
    """When the matter's statutory limit (法定时限) ends for ``step`` if its clock starts at
    ``start`` with ``allowance`` working days left: the days still grantable as extensions
    (statutory limit less the promised limit and what was granted) come after its own."""
    legal = step.application.matter.legal_time_limit or 0
    spare = max(legal - step.base_days - step.extended_days, 0)
    return add_working_days(start, allowance + spare)


def steps_start_next(application: Application) -> None:
    """Start the next step, or the next parallel group, when nothing is active any more."""
    steps = list(application.steps.order_by("position"))
    if any(step.state == Step.State.ACTIVE for step in steps):
        return
    waiting = [step for step in steps if step.state == Step.State.WAITING]
    if not waiting:
        return
    first = waiting[0]
    batch = [first] if not first.group else [s for s in waiting if s.group == first.group]
    now = timezone.now()
    for step in batch:
        step.state = Step.State.ACTIVE
        step.started_at = now
        step.due_at = add_working_days(now, step.time_limit_days)
        step.statutory_due_at = statutory_due(step, start=now, allowance=step.time_limit_days)
        step.save(update_fields=["state", "started_at", "due_at", "statutory_due_at"])
    signals.steps_started.send(Application, application=application, steps=batch)


def steps_pause(application: Application) -> None:
    """Stop the clocks of active steps: ``time_limit_days`` becomes what was left of it."""
    now = timezone.now()
    for step in application.steps.filter(state=Step.State.ACTIVE):
        used = working_days_between(step.started_at, now) if step.started_at else 0
        step.time_limit_days = max(step.time_limit_days - used, 1)
        step.state = Step.State.PAUSED
        step.due_at = step.statutory_due_at = None
        step.save(update_fields=["time_limit_days", "state", "due_at", "statutory_due_at"])


def steps_resume(application: Application) -> None:
    now = timezone.now()
    for step in application.steps.filter(state=Step.State.PAUSED):
        step.state = Step.State.ACTIVE
        step.started_at = now
        step.due_at = add_working_days(now, step.time_limit_days)
        step.statutory_due_at = statutory_due(step, start=now, allowance=step.time_limit_days)
        # A new clock: reminder, overdue mark and escalations belong to the old one.
        step.reminded_at = step.escalated_at = step.supervised_at = None
        step.overdue = False
        step.save(
            update_fields=[
                "state",
                "started_at",
                "due_at",
                "statutory_due_at",
                "reminded_at",
                "escalated_at",
                "supervised_at",
                "overdue",
            ]
        )


def step_finish(
    step: Step,
    *,
    actor,
    approved: bool,
    comment: str = "",
    version: int | None = None,
    channel: str = Channel.WEB,
) -> None:
    """An office finishes its step: approve (the next steps start) or reject (with reason)."""
    if not approved and not comment.strip():
        raise TransitionRefused(_("Give the reason for the rejection."))
    with transaction.atomic():
        application, step = active_step_locked(
            step,
            actor=actor,
            action="finish_step",
            version=version,
            not_active=_("This step is not waiting for a decision."),
        )
        step.state = Step.State.APPROVED if approved else Step.State.REJECTED
        step.finished_at = timezone.now()
        step.finished_by = actor.get_username()
        step.comment = comment
        step.version += 1
        step.save(update_fields=["state", "finished_at", "finished_by", "comment", "version"])
        event_record(
            application,
            Event.Kind.STEP_FINISHED,
            actor=actor,
            channel=channel,
            step=step.key,
            office=step.office_code,
            approved=approved,
            comment=comment,
        )
        signals.step_finished.send(
            Application, application=application, step=step, approved=approved
        )
        plugin_signals.step_finished.send(
            offices=offices(application),
            application=application_view(application),
            step_key=step.key,
            office=step.office_code,
            approved=approved,
        )
        if not approved:
            application.steps.filter(state__in=[Step.State.WAITING, Step.State.ACTIVE]).update(
                state=Step.State.CANCELLED
            )
            decide(application, approved=False, reason=comment, actor=actor, channel=channel)
            return
        steps_start_next(application)
        if not application.steps.exclude(state=Step.State.APPROVED).exists():
            decide(application, approved=True, reason="", actor=actor, channel=channel)


def step_transfer(
    step: Step,
    *,
    actor,
    to_office: str,
    reason: str,
    version: int | None = None,
    channel: str = Channel.WEB,
) -> Step:
    """Send an active step that reached the wrong office on to the right one (转办).

    Office staff (or heads) of the step's office may do it. The clock keeps running (``due_at``
    is unchanged: the applicant should not wait longer for the university's mistake); the
    reminder and escalation start afresh so that the new office and its head are the ones told.
    """
    reason = reason.strip()
    if not reason:
        raise TransitionRefused(_("Give the reason for the transfer."))
    with transaction.atomic():
        application, step = active_step_locked(
            step,
            actor=actor,
            action="transfer_step",
            version=version,
            not_active=_("Only a step that is being processed can be transferred."),
        )
        if to_office == step.office_code or not Office.objects.filter(code=to_office).exists():
            raise TransitionRefused(_("Choose another existing office."))
        from_office = step.office_code
        step.office_code = to_office
        step.reminded_at = step.escalated_at = None
        step.version += 1
        step.save(update_fields=["office_code", "reminded_at", "escalated_at", "version"])
        event_record(
            application,
            Event.Kind.TRANSFERRED,
            actor=actor,
            channel=channel,
            step=step.key,
            **{"from": from_office, "to": to_office},
            reason=reason,
        )
        signals.step_transferred.send(
            Application, application=application, step=step, from_office=from_office, reason=reason
        )
    return step
