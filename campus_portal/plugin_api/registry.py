"""The registry of matter handlers: one per extension point (DESIGN.md §8, Open Forms).

Registration validates what can be validated without a database — the key's shape and
uniqueness, the office prefix, the form, and that every data need is an item the warehouse can
resolve — so that a plugin with a typo fails when Django starts, not when an applicant applies.
What needs the database (the office exists, the catalog row exists) is a system check
(``campus_portal.plugin_api.checks``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from django import forms

from campus_portal.plugin_api.handlers import MatterHandler
from data_warehouse.items import RESOLVERS

KEY_PATTERN = re.compile(r"^[a-z][a-z0-9]*\.[a-z][a-z0-9_]*$")


class HandlerRegistrationError(Exception):
    """A handler that cannot be registered; the message says what to fix."""


class HandlerRegistry:
    def __init__(self) -> None:
        self._handlers: dict[str, MatterHandler] = {}

    def register(self, handler_class: type[MatterHandler]) -> type[MatterHandler]:
        """Class decorator: validate and register one handler (an instance is kept)."""
        problems = _problems(handler_class)
        key = getattr(handler_class, "key", "")
        if key in self._handlers and type(self._handlers[key]) is not handler_class:
            problems.append(f"the key {key!r} is already registered")
        if problems:
            name = f"{handler_class.__module__}.{handler_class.__qualname__}"
            raise HandlerRegistrationError(f"{name}: " + "; ".join(problems))
        self._handlers[key] = handler_class()
        return handler_class

    def unregister(self, key: str) -> None:
        """Remove a handler (tests register throw-away handlers)."""
        self._handlers.pop(key, None)

    def get(self, key: str) -> MatterHandler | None:
        return self._handlers.get(key)

    def __contains__(self, key: str) -> bool:
        return key in self._handlers

    def __iter__(self) -> Iterator[MatterHandler]:
        return iter(sorted(self._handlers.values(), key=lambda handler: handler.key))

    def choices(self) -> list[tuple[str, str]]:
        """Handlers a matter can be bound to (a window-intake handler is never bound)."""
        return [
            (handler.key, f"{handler.label}（{handler.key}）")
            for handler in self
            if not handler.window_intake
        ]


def _problems(handler_class: type[MatterHandler]) -> list[str]:
    problems = []
    key = getattr(handler_class, "key", "")
    office = getattr(handler_class, "office", "")
    if not isinstance(key, str) or not KEY_PATTERN.match(key):
        problems.append(f"key {key!r} must look like '<office>.<slug>' in lower case")
    elif not office or key.split(".")[0] != office.lower():
        problems.append(f"key {key!r} must start with its office code {office!r} in lower case")
    for attribute in ("label", "purpose"):
        if not getattr(handler_class, attribute, ""):
            problems.append(f"{attribute} is missing")
    unknown = [need for need in handler_class.data_needs if need not in RESOLVERS]
    if unknown:
        problems.append(f"data needs not in the warehouse catalog: {', '.join(unknown)}")
    form_class = handler_class.form_class
    if form_class is not None and not (
        isinstance(form_class, type) and issubclass(form_class, forms.BaseForm)
    ):
        problems.append("form_class must be a Django form class")
    return problems


registry = HandlerRegistry()
