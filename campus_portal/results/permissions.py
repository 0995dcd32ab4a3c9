"""Who may do what with result documents, seals and templates.

- Revoking a document: staff or the head of the *issuing* office (``document.office_code``),
  nobody else — not another office, not an administrator without that office's role.
- Seals and templates in the Wagtail admin: office staff and heads, for their own office only;
  read as well as write, since a draft template is office business. The rule is a Wagtail
  permission policy (registered at start-up), so it holds in every admin view and anywhere else
  that asks the policy, like the data warehouse's stewardship policy.
"""

from __future__ import annotations

from django.db.models import Model, QuerySet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from campus_portal.accounts.roles import Role, scope_for
from campus_portal.results.models import OfficeSeal, ResultTemplate


def office_processing_codes(user) -> frozenset[str] | None:
    """Offices whose documents ``user`` handles; None for a superuser (every office)."""
    if user.is_active and user.is_superuser:
        return None
    return scope_for(user).processing_offices


def may_revoke(user, document) -> bool:
    if user is None or not user.is_authenticated:
        return False
    scope = scope_for(user)
    return scope.has(Role.OFFICE_STAFF, document.office_code) or scope.has(
        Role.OFFICE_HEAD, document.office_code
    )


class OfficeOwnedPermissionPolicy(ModelPermissionPolicy):
    """Model permission (from the office staff/head role groups) *and* a role in the
    instance's office, for every action including viewing."""

    def __init__(self, model: type[Model], *, office_lookup: str = "office__code") -> None:
        super().__init__(model)
        self.office_lookup = office_lookup

    def _office_of(self, instance: Model) -> str:
        value: object = instance
        for part in self.office_lookup.split("__"):
            value = getattr(value, part, None)
        return str(value or "")

    def user_has_permission(self, user, action: str) -> bool:
        if not super().user_has_permission(user, action):
            return False
        offices = office_processing_codes(user)
        return offices is None or bool(offices)

    def user_has_permission_for_instance(self, user, action: str, instance: Model) -> bool:
        if not self.user_has_permission(user, action):
            return False
        offices = office_processing_codes(user)
        return offices is None or self._office_of(instance) in offices

    def instances_user_has_permission_for(self, user, action: str) -> QuerySet:
        instances = super().instances_user_has_permission_for(user, action)
        offices = office_processing_codes(user)
        if offices is None:
            return instances
        return instances.filter(**{f"{self.office_lookup}__in": offices})


def register_results_permission_policies() -> None:
    register_permission_policy(OfficeSeal, OfficeOwnedPermissionPolicy(OfficeSeal))
    register_permission_policy(ResultTemplate, OfficeOwnedPermissionPolicy(ResultTemplate))
