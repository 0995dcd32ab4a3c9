"""Acceptance (受理): accept and create the steps, not accept, return for supplement (补正)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campus_portal.applications import signals
from campus_portal.applications.events import TransitionRefused, event_record
from campus_portal.applications.models import Application, Channel, Event, Step
from campus_portal.applications.permissions import require
from campus_portal.applications.selectors import application_view
from campus_portal.applications.services._base import (
    State,
    check_version,
    expect,
    handler_of,
    locked,
    save,
)
from campus_portal.applications.services.decision import decide
from campus_portal.applications.services.steps import steps_pause, steps_start_next


def application_accept(
    application: Application, *, actor, version: int | None = None, channel: str = Channel.WEB
) -> None:
    """Accept (受理): the handler's steps are created and the first ones start their clocks."""
    with transaction.atomic():
        application = locked(application)
        require(actor, application, "accept")
        check_version(application, version)
        expect(application, State.SUBMITTED)
        application.state = State.IN_PROGRESS
        save(application, "state")
        event_record(
            application, Event.Kind.ACCEPTED, actor=actor, channel=channel, before=State.SUBMITTED
        )
        signals.application_accepted.send(Application, application=application)
        specs = handler_of(application).steps(application_view(application))
        Step.objects.bulk_create(
            Step(
                application=application,
                key=spec.key,
                position=position,
                group=spec.group,
                office_code=spec.office,
                label=spec.label,
                decided_by=spec.decided_by,
                assignee_uid=spec.assignee,
                time_limit_days=spec.time_limit_days,
                base_days=spec.time_limit_days,
            )
            for position, spec in enumerate(specs)
        )
        if not specs:
            decide(application, approved=True, reason="", actor=actor, channel=channel)
        else:
            steps_start_next(application)


def application_not_accept(
    application: Application,
    *,
    actor,
    reason: str,
    version: int | None = None,
    channel: str = Channel.WEB,
) -> None:
    """不予受理, with the reason the applicant reads on the notice."""
    if not reason.strip():
        raise TransitionRefused(_("Give the reason for not accepting the application."))
    with transaction.atomic():
        application = locked(application)
        require(actor, application, "not_accept")
        check_version(application, version)
        expect(application, State.SUBMITTED)
        application.state = State.NOT_ACCEPTED
        application.decision_reason = reason
        application.decided_at = timezone.now()
        save(application, "state", "decision_reason", "decided_at")
        event_record(
            application,
            Event.Kind.NOT_ACCEPTED,
            actor=actor,
            channel=channel,
            before=State.SUBMITTED,
            reason=reason,
        )
        signals.application_not_accepted.send(Application, application=application)


def application_return_for_supplement(
    application: Application,
    *,
    actor,
    items: Iterable[str],
    version: int | None = None,
    channel: str = Channel.WEB,
) -> None:
    """补正, once: every missing or wrong item in one notice (一次性告知); the clock pauses."""
    items = [item.strip() for item in items if item.strip()]
    if not items:
        raise TransitionRefused(_("List everything that is missing or wrong, in one notice."))
    with transaction.atomic():
        application = locked(application)
        require(actor, application, "return_for_supplement")
        check_version(application, version)
        expect(application, State.SUBMITTED, State.IN_PROGRESS)
        if application.supplement_used:
            raise TransitionRefused(
                _("An application is returned for supplement only once; decide it now.")
            )
        before = application.state
        application.state = State.SUPPLEMENT
        application.supplement_used = True
        application.supplement_notice = items
        save(application, "state", "supplement_used", "supplement_notice")
        steps_pause(application)
        event_record(
            application,
            Event.Kind.SUPPLEMENT_REQUESTED,
            actor=actor,
            channel=channel,
            before=before,
            items=items,
        )
        signals.supplement_requested.send(Application, application=application)
