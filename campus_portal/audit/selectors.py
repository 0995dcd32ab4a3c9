"""Reading and verifying the security log."""

from __future__ import annotations

from dataclasses import dataclass

from campus_portal.audit.chain import GENESIS_HASH, entry_hash
from campus_portal.audit.models import ChainHead, SecurityEvent


@dataclass(frozen=True)
class ChainBreak:
    sequence: int
    reason: str


def audit_chain_verify(*, batch_size: int = 2000) -> list[ChainBreak]:
    """Every place where the chain is broken: a changed, missing or re-linked entry."""
    breaks: list[ChainBreak] = []
    previous_hash, expected = GENESIS_HASH, 1
    events = SecurityEvent.objects.order_by("sequence").iterator(chunk_size=batch_size)
    for event in events:
        if event.sequence != expected:
            breaks.append(
                ChainBreak(expected, f"entries {expected}–{event.sequence - 1} are missing")
            )
        if event.previous_hash != previous_hash:
            breaks.append(ChainBreak(event.sequence, "does not follow the previous entry"))
        recomputed = entry_hash(
            previous_hash=event.previous_hash,
            sequence=event.sequence,
            at=event.at,
            kind=event.kind,
            actor=event.actor,
            subject=event.subject,
            ip_address=event.ip_address,
            detail=event.detail,
        )
        if recomputed != event.hash:
            breaks.append(ChainBreak(event.sequence, "was modified after it was written"))
        previous_hash, expected = event.hash, event.sequence + 1
    head = ChainHead.objects.filter(pk=1).first()
    if head is not None and head.last_sequence != expected - 1:
        breaks.append(ChainBreak(expected, f"entries {expected}–{head.last_sequence} are missing"))
    return breaks
