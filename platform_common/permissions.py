"""Permission policies shared by several apps (registered with Wagtail's policy registry)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from wagtail.permission_policies import ModelPermissionPolicy


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """View and inspect only: nobody — not even a superuser — adds, edits or deletes by hand.

    For rows that are written by one process only (an import, an append-only log): a hand edit
    would bypass that process's record.
    """

    WRITE_ACTIONS = frozenset({"add", "change", "delete"})

    def user_has_permission(self, user, action):
        return action not in self.WRITE_ACTIONS and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        readable = [action for action in actions if action not in self.WRITE_ACTIONS]
        if not readable:
            return get_user_model().objects.none()
        return super().users_with_any_permission(readable)
