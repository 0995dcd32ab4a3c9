"""The lifecycle's small stable surface: its two refusals and the one event writer.

This is the only module (with ``models``, ``selectors`` and ``signals``) that the apps which
follow the lifecycle — delivery, results, ratings, the workbench, the kiosk — import from it:
they refuse with the lifecycle's own exceptions (so every view shows refusals the same way)
and record what they did in the application's history in the lifecycle's own shape.
"""

from __future__ import annotations

from collections.abc import Iterable

from campus_portal.applications.models import Application, Event
from campus_portal.audit.models import SecurityEvent
from campus_portal.audit.services import security_event_record

SYSTEM = "system"

#: Events that decide about a person, and the security-log kind each is chained as: they are
#: written to the application's history *and* appended to the tamper-evident chain
#: (``verify_audit_chain``), in the same transaction, by the one writer below.
CHAINED_KINDS: dict[str, str] = {
    Event.Kind.APPROVED: SecurityEvent.Kind.DECISION,
    Event.Kind.REJECTED: SecurityEvent.Kind.DECISION,
    Event.Kind.STEP_FINISHED: SecurityEvent.Kind.DECISION,
    Event.Kind.NOT_ACCEPTED: SecurityEvent.Kind.NOT_ACCEPTED,
    Event.Kind.TRANSFERRED: SecurityEvent.Kind.TRANSFER,
    Event.Kind.EXTENDED: SecurityEvent.Kind.EXTENSION,
}


class TransitionRefused(Exception):
    """The transition is not possible now; the message is shown to the user as is."""


class StaleVersion(TransitionRefused):
    """Someone else acted on the application (or step) first."""


def actor_name(actor) -> str:
    """The name recorded for ``actor``: a user's username, else the string given ("system",
    "kiosk:K1")."""
    return actor.get_username() if hasattr(actor, "get_username") else str(actor)


def event_build(
    application: Application,
    kind: str,
    *,
    actor,
    channel: str,
    before: str | None = None,
    **detail,
) -> Event:
    """An event of ``application``, not saved yet (an instant decision saves its two together).

    ``before`` is the state before the change; None for an event that changes no state (a
    delivery, a visit, a reminder, a rating). ``to_state`` is the application's state now.
    """
    return Event(
        application=application,
        kind=kind,
        actor=actor_name(actor),
        channel=channel,
        from_state=application.state if before is None else before,
        to_state=application.state,
        detail=detail,
    )


def event_record(
    application: Application,
    kind: str,
    *,
    actor,
    channel: str,
    before: str | None = None,
    **detail,
) -> Event:
    """Write one event of ``application`` (see ``event_build``) — every event of the platform
    is written here, by the lifecycle, the deadline sweeps and the apps that follow it."""
    event = event_build(application, kind, actor=actor, channel=channel, before=before, **detail)
    event_save(event)
    return event


def event_save(event: Event) -> None:
    """Write one event built with ``event_build`` (and chain it if it decides something)."""
    event.save(force_insert=True)
    _chain([event])


def events_record(events: Iterable[Event]) -> None:
    """Write events built with ``event_build`` in one INSERT."""
    events = list(events)
    Event.objects.bulk_create(events)
    _chain(events)


def _chain(events: list[Event]) -> None:
    for event in events:
        kind = CHAINED_KINDS.get(event.kind)
        if kind is None:
            continue
        security_event_record(
            kind=kind,
            actor=event.actor,
            subject=event.application.reference,
            detail={
                "event": event.kind,
                "from_state": event.from_state,
                "to_state": event.to_state,
                "channel": event.channel,
                **event.detail,
            },
        )
