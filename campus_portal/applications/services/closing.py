"""The end of an application (办结) and what anyone involved may record on the way."""

from __future__ import annotations

from django.db import transaction

from campus_portal.applications import signals
from campus_portal.applications.events import event_record
from campus_portal.applications.models import Application, Channel, Event
from campus_portal.applications.permissions import require
from campus_portal.applications.services._base import State, expect, locked, save


def application_close(application: Application, *, actor, channel: str = Channel.WEB) -> None:
    with transaction.atomic():
        application = locked(application)
        require(actor, application, "view")
        expect(application, State.APPROVED, State.REJECTED, State.NOT_ACCEPTED)
        before = application.state
        application.state = State.CLOSED
        save(application, "state")
        event_record(application, Event.Kind.CLOSED, actor=actor, channel=channel, before=before)
        signals.application_closed.send(Application, application=application, before=before)


def visit_record(
    application: Application, *, actor, channel: str, place: str = "", **presence: str
) -> Event:
    """An in-person visit (跑一次) — the realization rate counts these. ``presence`` says how
    the person proved they were there, when staff act for them (the window start)."""
    require(actor, application, "record_visit")
    return event_record(
        application, Event.Kind.VISITED, actor=actor, channel=channel, place=place, **presence
    )
