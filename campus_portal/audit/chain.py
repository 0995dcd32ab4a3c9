"""How an entry's hash is computed — the one definition both writing and verifying use."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime

GENESIS_HASH = "0" * 64


def entry_hash(
    *,
    previous_hash: str,
    sequence: int,
    at: datetime,
    kind: str,
    actor: str,
    subject: str,
    ip_address: str,
    detail: dict,
) -> str:
    payload = json.dumps(
        [previous_hash, sequence, at.isoformat(), kind, actor, subject, ip_address, detail],
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode()).hexdigest()
