"""Which matters take online applications: a fact the catalog is told, not one it knows.

Whether a matter can be applied for online is decided above the catalog — by the handler
bindings of the applications app and the plugin registry — and the catalog imports nothing above
it (DESIGN.md §3, layers). So the layer that knows passes the catalog a function, in its
``AppConfig.ready()``, that returns the condition as a ``Q`` on ``MatterPage``; catalog search
filters, counts and marks matters by it in the database, in one query. Until one is registered
(a catalog without the applications app) no matter takes online applications.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Q

OnlineCondition = Callable[[], Q]

_condition: OnlineCondition | None = None


def online_condition_register(condition: OnlineCondition) -> None:
    """Tell the catalog how to recognise a matter that takes online applications."""
    global _condition  # one process-wide registration, made in ready()
    _condition = condition


def online_condition() -> Q:
    """The condition on ``MatterPage`` of taking online applications (matches none if unknown)."""
    return _condition() if _condition is not None else Q(pk__in=[])
