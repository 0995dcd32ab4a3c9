"""Time extensions (延期): staff of a step's office ask, one of its heads approves or refuses.

An approved extension moves the step's due time by the granted working days and starts its
reminder and overdue marks afresh; a step is never extended past the matter's statutory limit
(法定时限): its promised limit plus everything granted stays within it. The applicant is told
the new date and why (``signals.step_extended``).
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from campus_portal.applications import signals
from campus_portal.applications.events import TransitionRefused, actor_name, event_record
from campus_portal.applications.models import Application, Channel, Event, Step, StepExtension
from campus_portal.applications.permissions import require
from campus_portal.applications.services._base import active_step_locked, locked
from campus_portal.applications.services.refusals import refusals_logged
from campus_portal.workdays.calendar import add_working_days

REASON_MAX = 2000


def extension_days_left(step: Step) -> int:
    """Working days that may still be granted on ``step`` before the statutory limit."""
    legal = step.application.matter.legal_time_limit or 0
    return max(legal - step.base_days - step.extended_days, 0)


def _days(value) -> int:
    try:
        days = int(str(value).strip())
    except (TypeError, ValueError):
        days = 0
    if days < 1:
        raise TransitionRefused(_("Give the number of working days to extend by (at least 1)."))
    return days


def _within_statutory_limit(step: Step, days: int) -> None:
    left = extension_days_left(step)
    if days > left:
        raise TransitionRefused(
            _(
                "This would go past the matter's statutory time limit: at most %(left)d more "
                "working days can be granted on this step."
            )
            % {"left": left}
        )


def step_extension_request(
    step: Step,
    *,
    actor,
    days,
    reason: str,
    version: int | None = None,
    channel: str = Channel.WEB,
) -> StepExtension:
    """Staff of the step's office ask for ``days`` more working days, with the reason the
    applicant will read. One request waits at a time; the heads are told."""
    reason = (reason or "").strip()
    with refusals_logged(actor=actor, application=step.application, via="extension_request"):
        application, step = active_step_locked(
            step,
            actor=actor,
            action="extend_step",
            version=version,
            not_active=_("Only a step that is being processed can be extended."),
        )
        days = _days(days)
        if not reason:
            raise TransitionRefused(_("Give the reason for the extension; the applicant reads it."))
        if len(reason) > REASON_MAX:
            raise TransitionRefused(
                _("The reason is too long (at most %(max)d characters).") % {"max": REASON_MAX}
            )
        if step.extensions.filter(state=StepExtension.State.PENDING).exists():
            raise TransitionRefused(_("An extension of this step is already waiting for a head."))
        _within_statutory_limit(step, days)
        extension = StepExtension.objects.create(
            step=step, days=days, reason=reason, requested_by=actor_name(actor)[:150]
        )
        event_record(
            application,
            Event.Kind.EXTENSION_REQUESTED,
            actor=actor,
            channel=channel,
            step=step.key,
            office=step.office_code,
            days=days,
            reason=reason,
        )
        signals.step_extension_requested.send(
            Application, application=application, step=step, extension=extension
        )
    return extension


def step_extension_decide(
    extension: StepExtension,
    *,
    actor,
    approve: bool,
    reason: str = "",
    channel: str = Channel.WEB,
) -> StepExtension:
    """An office head grants (the due time moves) or refuses (with a reason) an extension."""
    reason = (reason or "").strip()
    step = extension.step
    with refusals_logged(actor=actor, application=step.application, via="extension_decide"):
        application = locked(step.application)
        step = Step.objects.select_for_update().get(pk=step.pk)
        step.application = application
        require(actor, application, "decide_extension", step)
        extension = StepExtension.objects.select_for_update().get(pk=extension.pk)
        if extension.state != StepExtension.State.PENDING:
            raise TransitionRefused(_("This extension has already been decided."))
        if application.state != Application.State.IN_PROGRESS or step.state != Step.State.ACTIVE:
            raise TransitionRefused(_("Only a step that is being processed can be extended."))
        if not approve and not reason:
            raise TransitionRefused(_("Give the reason for refusing the extension."))
        extension.decided_by = actor_name(actor)[:150]
        extension.decided_at = timezone.now()
        if approve:
            _within_statutory_limit(step, extension.days)
            _extend(step, extension)
        else:
            extension.state = StepExtension.State.REFUSED
            extension.refusal_reason = reason[:REASON_MAX]
        extension.save()
        event_record(
            application,
            Event.Kind.EXTENDED if approve else Event.Kind.EXTENSION_REFUSED,
            actor=actor,
            channel=channel,
            step=step.key,
            office=step.office_code,
            days=extension.days,
            reason=extension.reason if approve else extension.refusal_reason,
            **({"due": extension.new_due_at.isoformat()} if approve else {}),
        )
        signal = signals.step_extended if approve else signals.step_extension_refused
        signal.send(Application, application=application, step=step, extension=extension)
    return extension


def _extend(step: Step, extension: StepExtension) -> None:
    """Move the due time; reminder, overdue mark and escalation to the head start afresh."""
    extension.state = StepExtension.State.APPROVED
    extension.previous_due_at = step.due_at
    extension.new_due_at = add_working_days(step.due_at, extension.days)
    step.due_at = extension.new_due_at
    step.time_limit_days += extension.days
    step.extended_days += extension.days
    step.reminded_at = step.escalated_at = None
    step.overdue = False
    step.version += 1
    step.save(
        update_fields=[
            "due_at",
            "time_limit_days",
            "extended_days",
            "reminded_at",
            "escalated_at",
            "overdue",
            "version",
        ]
    )
