"""Typed errors of the warehouse service API: a caller can tell exactly what is missing."""

from __future__ import annotations


class WarehouseError(Exception):
    """Base of every refusal; nothing was read and nothing was logged."""


class UnknownPerson(WarehouseError):
    def __init__(self, uid: str) -> None:
        super().__init__(f"No person with campus identity {uid!r}.")
        self.uid = uid


class UnknownItem(WarehouseError):
    def __init__(self, keys: list[str]) -> None:
        super().__init__(f"Not in the data catalog: {', '.join(keys)}.")
        self.keys = keys


class MissingGrant(WarehouseError):
    def __init__(self, handler_key: str, keys: list[str]) -> None:
        super().__init__(f"{handler_key} has no grant for: {', '.join(keys)}.")
        self.handler_key = handler_key
        self.keys = keys


class MissingConsent(WarehouseError):
    def __init__(self, uid: str, application_ref: str, keys: list[str]) -> None:
        super().__init__(
            f"{uid} has not consented to reading {', '.join(keys)} for {application_ref}."
        )
        self.uid = uid
        self.application_ref = application_ref
        self.keys = keys
