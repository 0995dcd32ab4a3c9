"""Who may change the data catalog and grants: the data stewards of the owning office.

The Wagtail admin, and anything else that asks the registered permission policy, sees the same
rule: Django's model permission (from the data-steward role) *and* stewardship of the office
that owns the item. Every steward may read the whole catalog and the access log; only the
owning office's stewards may change an item or grant a plugin access to it.

Who stewards which office is the portal's knowledge (its roles), not the warehouse's: the
function that answers it is named in the ``WAREHOUSE_STEWARD_OFFICES`` setting (a dotted
path, ``user -> frozenset of office codes``), so the warehouse imports nothing of the portal
and another host could pass its own.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from django.conf import settings
from django.db.models import Model, QuerySet
from django.utils.module_loading import import_string
from wagtail.permission_policies import ModelPermissionPolicy

READ_ACTIONS = frozenset({"view", "inspect"})


def steward_offices_for(user) -> frozenset[str] | None:
    """Offices whose items ``user`` stewards; None means every office (a superuser)."""
    if user.is_active and user.is_superuser:
        return None
    return steward_offices_provider()(user)


@cache
def steward_offices_provider() -> Callable[[object], frozenset[str]]:
    """The host's function named by ``WAREHOUSE_STEWARD_OFFICES`` (read once)."""
    return import_string(settings.WAREHOUSE_STEWARD_OFFICES)


def steward_reader_for(user) -> dict[str, str]:
    """How the host names ``user`` as a reader of someone's data (``WAREHOUSE_STEWARD_READER``:
    ``name``, ``office``, ``role`` and the user's own ``person_uid``)."""
    return steward_reader_provider()(user)


@cache
def steward_reader_provider() -> Callable[[object], dict[str, str]]:
    """The host's function named by ``WAREHOUSE_STEWARD_READER`` (read once)."""
    return import_string(settings.WAREHOUSE_STEWARD_READER)


class OwningOfficePermissionPolicy(ModelPermissionPolicy):
    """Model permission, and for changes stewardship of the instance's owning office."""

    def __init__(
        self, model: type[Model], *, office_lookup: str, never: set[str] | None = None
    ) -> None:
        super().__init__(model)
        self.office_lookup = office_lookup
        self.never = frozenset(never or ())

    def _office_of(self, instance: Model) -> str:
        value: object = instance
        for part in self.office_lookup.split("__"):
            value = getattr(value, part)
        return str(value)

    def user_has_permission(self, user, action: str) -> bool:
        if action in self.never or not super().user_has_permission(user, action):
            return False
        offices = steward_offices_for(user)
        return action in READ_ACTIONS or offices is None or bool(offices)

    def user_has_permission_for_instance(self, user, action: str, instance: Model) -> bool:
        if not self.user_has_permission(user, action):
            return False
        if action in READ_ACTIONS:
            return True
        offices = steward_offices_for(user)
        return offices is None or self._office_of(instance) in offices

    def instances_user_has_permission_for(self, user, action: str) -> QuerySet:
        instances = super().instances_user_has_permission_for(user, action)
        if action in self.never:
            return instances.none()
        offices = steward_offices_for(user)
        if action in READ_ACTIONS or offices is None:
            return instances
        return instances.filter(**{f"{self.office_lookup}__in": offices})
