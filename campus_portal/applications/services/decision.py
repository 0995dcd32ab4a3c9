"""Deciding an application: approve or reject, and what follows (announced, never called)."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone

from campus_portal.applications import signals
from campus_portal.applications.events import event_build, events_record
from campus_portal.applications.models import Application, Event
from campus_portal.applications.selectors import application_view
from campus_portal.applications.services._base import State, offices, save
from campus_portal.plugin_api import signals as plugin_signals


def decide(
    application: Application,
    *,
    approved: bool,
    reason: str,
    actor,
    channel,
    involved: set[str] | None = None,
    unsaved: Iterable[str] = (),
    events: Iterable[Event] = (),
) -> None:
    """Approve or reject; ``involved`` (the involved offices) when the caller has them.

    ``unsaved`` fields and ``events`` of the caller's own change in this transaction are
    written together with the decision (an instant decision right after the submit).
    Notifications, delivery and the result document follow ``signals.application_decided``.
    """
    before = application.state
    application.state = State.APPROVED if approved else State.REJECTED
    application.decision_reason = reason
    application.decided_at = timezone.now()
    save(application, *unsaved, "state", "decision_reason", "decided_at")
    kind = Event.Kind.APPROVED if approved else Event.Kind.REJECTED
    decided = event_build(
        application, kind, actor=actor, channel=channel, before=before, reason=reason
    )
    events_record([*events, decided])
    signals.application_decided.send(Application, application=application, approved=approved)
    plugin_signals.application_decided.send(
        offices=offices(application) if involved is None else involved,
        application=application_view(application),
        approved=approved,
        reason=reason,
    )
