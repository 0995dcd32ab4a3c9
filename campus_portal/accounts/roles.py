"""The platform's roles and the scope a user holds through them.

Roles are data (``RoleAssignment`` rows), not Django groups, because most of them are
per office: "office staff of 教务处" is one role in one scope. Every permission check —
views, the API, the Wagtail admin's permission policies and Celery tasks — asks the same
``Scope`` object, so the rules cannot drift apart between entry points.

"Applicant" is not stored: every signed-in person may apply for themselves.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from campus_portal.accounts.role_names import MFA_ROLES, OFFICE_ROLES, Role
from campus_portal.accounts.selectors import account_facts, account_facts_forget, person_uid_for
from data_warehouse.selectors import person_name

__all__ = ["MFA_ROLES", "OFFICE_ROLES", "Role", "Scope", "scope_for", "scope_forget"]


@dataclass(frozen=True)
class Scope:
    """What one user may do, as a set of (role, office code) pairs; "" is campus-wide."""

    user_id: int | None
    grants: frozenset[tuple[str, str]] = field(default_factory=frozenset)
    superuser: bool = False

    def has(self, role: str, office_code: str | None = None) -> bool:
        """Holds ``role`` (for ``office_code`` when given)."""
        if office_code is None:
            return any(r == role for r, _ in self.grants)
        return (role, office_code) in self.grants

    def offices(self, *roles: str) -> frozenset[str]:
        """Office codes for which the user holds any of ``roles``."""
        return frozenset(office for r, office in self.grants if r in roles and office)

    @property
    def processing_offices(self) -> frozenset[str]:
        """Offices whose applications' steps this user may see and work on."""
        return self.offices(Role.OFFICE_STAFF, Role.OFFICE_HEAD)

    @property
    def steward_offices(self) -> frozenset[str]:
        return self.offices(Role.DATA_STEWARD)

    @property
    def is_window_staff(self) -> bool:
        return self.has(Role.WINDOW_STAFF)

    @property
    def is_administrator(self) -> bool:
        return self.has(Role.ADMINISTRATOR)

    @property
    def is_supervisor(self) -> bool:
        return self.has(Role.SUPERVISOR)

    @property
    def needs_mfa(self) -> bool:
        return self.superuser or any(role in MFA_ROLES for role, _ in self.grants)


ANONYMOUS_SCOPE = Scope(user_id=None)


def scope_for(user) -> Scope:
    """The user's scope, computed once per user object (i.e. once per request); the grants
    come from ``account_facts`` (shared cache, dropped on every role change)."""
    if user is None or not user.is_authenticated:
        return ANONYMOUS_SCOPE
    cached = getattr(user, "_campus_scope", None)
    if cached is not None:
        return cached
    grants = account_facts(user).grants
    scope = Scope(user_id=user.pk, grants=grants, superuser=user.is_superuser)
    user._campus_scope = scope
    return scope


def steward_offices_of(user) -> frozenset[str]:
    """The offices whose warehouse items ``user`` stewards: what the data warehouse is told
    (``WAREHOUSE_STEWARD_OFFICES`` in the settings) — it imports nothing of the portal."""
    return scope_for(user).steward_offices


def steward_reader_of(user) -> dict[str, str]:
    """How a steward (or administrator) looking at someone's data in the warehouse's admin
    screens is named on that person's "谁查看了我的数据" page (``WAREHOUSE_STEWARD_READER``):
    their name, the office they steward (the first, for one who stewards several) and the
    role — and their own campus identity, so that a look at one's own data is not logged."""
    offices = sorted(steward_offices_of(user))
    uid = person_uid_for(user) or ""
    role = Role.DATA_STEWARD if offices or not user.is_superuser else Role.ADMINISTRATOR
    return {
        "name": user.get_full_name() or person_name(person_uid=uid) or user.get_username(),
        "office": offices[0] if offices else "",
        "role": str(role),
        "person_uid": uid,
    }


def scope_forget(user) -> None:
    """Drop the cached scope (on the user object and in the shared cache) after the user's
    roles changed."""
    if hasattr(user, "_campus_scope"):
        del user._campus_scope
    account_facts_forget(user.pk, user)


@receiver(post_save, sender="accounts.RoleAssignment")
@receiver(post_delete, sender="accounts.RoleAssignment")
@receiver(post_save, sender="accounts.CampusIdentity")
@receiver(post_delete, sender="accounts.CampusIdentity")
def _account_changed(sender, instance, **kwargs) -> None:
    """Any role or identity row written or deleted through the models (services, the admin,
    directory sync, tests) drops its user's cached facts."""
    # The changed row's own user object (e.g. the one passed to ``identity_link``) forgets too.
    user = type(instance)._meta.get_field("user").get_cached_value(instance, None)
    account_facts_forget(instance.user_id, user)
