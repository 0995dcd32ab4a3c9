"""Permission policies of catalog models, registered with Wagtail's policy registry.

Registered once (``CatalogConfig.ready``), they hold wherever Wagtail asks — admin views,
the API, a Celery task — not only in the view that happens to show the model.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy


class ImportOnlyPermissionPolicy(ModelPermissionPolicy):
    """Nobody adds, edits or deletes power items by hand: they mirror the imported list, and a
    hand edit would bypass the import's record and confuse the next re-import."""

    WRITE_ACTIONS = frozenset({"add", "change", "delete"})

    def user_has_permission(self, user, action):
        return action not in self.WRITE_ACTIONS and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        readable = [action for action in actions if action not in self.WRITE_ACTIONS]
        if not readable:
            return get_user_model().objects.none()
        return super().users_with_any_permission(readable)


def register_catalog_permission_policies() -> None:
    from campus_portal.catalog.models import PowerItem

    register_permission_policy(PowerItem, ImportOnlyPermissionPolicy(PowerItem))
