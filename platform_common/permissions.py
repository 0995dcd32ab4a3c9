"""Permission policies shared by several apps (registered with Wagtail's policy registry)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
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


class InstanceCheckedMixin:
    """For Wagtail's edit and delete views, which check the model permission only: also ask
    the policy about the object, so that one office cannot open another office's row by its
    URL. Set ``instance_action`` ("change" or "delete")."""

    instance_action = "change"

    def get_object(self, queryset=None):
        instance = super().get_object(queryset)
        if not self.permission_policy.user_has_permission_for_instance(
            self.request.user, self.instance_action, instance
        ):
            raise PermissionDenied
        return instance
