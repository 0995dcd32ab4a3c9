"""Masking values by sensitivity: ``330106199001011234`` → ``3301**********1234``."""

from __future__ import annotations

from data_warehouse.models import Sensitivity

MASKED_LEVELS = {Sensitivity.SENSITIVE, Sensitivity.HIGHLY_SENSITIVE}


def mask_text(value: str) -> str:
    """Keep the first and last four characters of long values, the first of short ones."""
    if len(value) >= 12:
        return value[:4] + "*" * (len(value) - 8) + value[-4:]
    if len(value) >= 2:
        return value[0] + "*" * (len(value) - 1)
    return "*" if value else value


def mask_value(value: object, sensitivity: str, *, unmasked: bool = False) -> object:
    if unmasked or sensitivity not in MASKED_LEVELS or value in (None, ""):
        return value
    return mask_text(str(value))
