"""Appending to the security log."""

from __future__ import annotations

import logging
import time

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from campus_portal.audit.chain import entry_hash
from campus_portal.audit.models import ChainHead, SecurityEvent

logger = logging.getLogger(__name__)
# Repeated denials of one source within a window are written as one row per this many.
DENIAL_WINDOW_SECONDS = 60
DENIAL_AGGREGATE_EVERY = 50


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


def _denial_count(key: str) -> int:
    try:
        if cache.add(key, 1, DENIAL_WINDOW_SECONDS * 2):
            return 1
        return cache.incr(key)
    except Exception:  # a cache outage: log every denial rather than none
        logger.warning("denial aggregation unavailable", exc_info=True)
        return 1


def security_denial_record(*, actor: str, ip_address: str, detail: dict) -> SecurityEvent | None:
    """Log a permission denial, aggregating floods.

    Why: every row of the security log is hash-chained under one lock, so 200 anonymous 403s
    on ``POST /kiosk/`` meant 200 serialised inserts (2.3 s) — a cheap way to slow the log for
    everybody and to bury the denials that matter. A signed-in actor's denial is always one
    row (it names somebody, and there are few). For an anonymous client address, per minute,
    the first denial is a row; the repeats are counted and written as one row per
    ``DENIAL_AGGREGATE_EVERY`` (``detail["repeated"]``), and what is left of a minute is
    carried into that address's next row
    (``detail["repeated_before"]``). Nothing is dropped silently: each repeat not written as
    a row goes to the application log.
    """
    if actor:
        return security_event_record(
            kind=SecurityEvent.Kind.PERMISSION_DENIED,
            actor=actor,
            ip_address=ip_address,
            detail=detail,
        )
    window = int(time.time() // DENIAL_WINDOW_SECONDS)
    source = f"address:{ip_address}"
    count = _denial_count(f"audit:denials:{source}:{window}")
    if count == 1:
        previous_key = f"audit:denials:{source}:{window - 1}"
        previous = cache.get(previous_key) or 0
        # Rows written in that minute covered 1, then 49, then 50 each.
        if previous < DENIAL_AGGREGATE_EVERY:
            unreported = max(previous - 1, 0)
        else:
            unreported = previous % DENIAL_AGGREGATE_EVERY
        if unreported:
            detail = {**detail, "repeated_before": unreported}
            cache.delete(previous_key)
    elif count % DENIAL_AGGREGATE_EVERY == 0:
        # This row stands for itself and the repeats since the last row.
        first_batch = count == DENIAL_AGGREGATE_EVERY
        detail = {**detail, "repeated": DENIAL_AGGREGATE_EVERY - (1 if first_batch else 0)}
    else:
        logger.info("permission denied (aggregated) %s %s", source, detail.get("path", ""))
        return None
    return security_event_record(
        kind=SecurityEvent.Kind.PERMISSION_DENIED,
        actor=actor,
        ip_address=ip_address,
        detail=detail,
    )
