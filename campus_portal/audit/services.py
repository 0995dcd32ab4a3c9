"""Appending to the security log."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from campus_portal.audit.chain import entry_hash
from campus_portal.audit.models import ChainHead, SecurityEvent


@transaction.atomic
def security_event_record(
    *,
    kind: str,
    actor: str = "",
    subject: str = "",
    ip_address: str = "",
    detail: dict | None = None,
) -> SecurityEvent:
    """Append one event; concurrent appends wait for each other on the chain head's lock."""
    head, _ = ChainHead.objects.select_for_update().get_or_create(pk=1)
    at = timezone.now()
    fields = {
        "sequence": head.last_sequence + 1,
        "at": at,
        "kind": kind,
        "actor": actor[:150],
        "subject": subject[:150],
        "ip_address": ip_address[:45],
        "detail": detail or {},
    }
    digest = entry_hash(previous_hash=head.last_hash, **fields)
    event = SecurityEvent.objects.create(previous_hash=head.last_hash, hash=digest, **fields)
    head.last_sequence, head.last_hash = event.sequence, digest
    head.save(update_fields=["last_sequence", "last_hash"])
    return event
