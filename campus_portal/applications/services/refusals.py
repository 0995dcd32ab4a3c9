"""Refusals of staff actions on a running step, logged like permission denials.

A refused extension request, an extension past the statutory limit or a supervision
instruction on a closed application changes nothing (the transaction is rolled back) and tells
the user why; the attempt itself is kept in the security log, as a permission denial is.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import transaction

from campus_portal.applications.events import TransitionRefused, actor_name
from campus_portal.applications.models import Application
from campus_portal.audit.models import SecurityEvent
from campus_portal.audit.services import security_event_record


@contextmanager
def refusals_logged(*, actor, application: Application, via: str) -> Iterator[None]:
    """One transaction for the action; a ``TransitionRefused`` inside it rolls it back and is
    recorded (after the rollback, so the record stays) before it reaches the caller."""
    try:
        with transaction.atomic():
            yield
    except TransitionRefused as refused:
        security_event_record(
            kind=SecurityEvent.Kind.PERMISSION_DENIED,
            actor=actor_name(actor),
            detail={"application": application.reference[:40], "via": via, "refused": str(refused)},
        )
        raise
