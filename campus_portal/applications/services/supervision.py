"""Supervision instructions (督办): a campus supervisor tells the office of an open step what
to do and by when. Only open work can be supervised; the instruction is an event."""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from campus_portal.applications import signals
from campus_portal.applications.events import TransitionRefused, actor_name, event_record
from campus_portal.applications.models import (
    Application,
    Channel,
    Event,
    Step,
    SupervisionInstruction,
)
from campus_portal.applications.permissions import require
from campus_portal.applications.services._base import locked
from campus_portal.applications.services.refusals import refusals_logged

INSTRUCTION_MAX = 2000


def step_supervision_instruct(
    step: Step,
    *,
    actor,
    instruction: str,
    respond_by: date | None,
    channel: str = Channel.WEB,
) -> SupervisionInstruction:
    """Record a supervisor's instruction and deadline to the step's office (who is told)."""
    instruction = (instruction or "").strip()
    with refusals_logged(actor=actor, application=step.application, via="supervision"):
        application = locked(step.application)
        step = Step.objects.select_for_update().get(pk=step.pk)
        step.application = application
        require(actor, application, "supervise")
        if application.state != Application.State.IN_PROGRESS or step.state != Step.State.ACTIVE:
            raise TransitionRefused(
                _("This application is no longer being processed; there is nothing to supervise.")
            )
        if not instruction:
            raise TransitionRefused(_("Write the instruction to the office."))
        if len(instruction) > INSTRUCTION_MAX:
            raise TransitionRefused(
                _("The instruction is too long (at most %(max)d characters).")
                % {"max": INSTRUCTION_MAX}
            )
        if respond_by is None or respond_by < timezone.localdate():
            raise TransitionRefused(
                _("Give the date by which the office must act (today or later).")
            )
        supervision = SupervisionInstruction.objects.create(
            step=step,
            office_code=step.office_code,
            instruction=instruction,
            respond_by=respond_by,
            issued_by=actor_name(actor)[:150],
        )
        event_record(
            application,
            Event.Kind.SUPERVISION_INSTRUCTED,
            actor=actor,
            channel=channel,
            step=step.key,
            office=step.office_code,
            instruction=instruction,
            respond_by=respond_by.isoformat(),
        )
        signals.supervision_instructed.send(
            Application, application=application, step=step, instruction=supervision
        )
    return supervision
