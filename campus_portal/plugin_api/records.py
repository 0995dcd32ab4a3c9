"""Questions plugins ask of a warehouse snapshot (``ApplicationView.data``).

They live in the contract so that two plugins asking the same question give the same answer.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def has_staff_record(data: Mapping[str, Any]) -> bool:
    """The warehouse holds a current staff record (its number is public, so never masked)."""
    return bool(data.get("staff.number"))
