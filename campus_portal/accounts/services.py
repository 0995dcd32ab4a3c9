"""Changing who holds which role, and linking accounts to campus identities.

Role changes are logged and mirrored into Django groups (which the Wagtail admin reads) by
``role_change_record``, called from the model's signals, wherever the change was made.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Q

from campus_portal.accounts.models import CampusIdentity, RoleAssignment
from campus_portal.accounts.role_groups import office_group_for, role_group_name
from campus_portal.accounts.roles import OFFICE_ROLES, Role, scope_forget
from campus_portal.audit.models import SecurityEvent
from campus_portal.audit.services import security_event_record


def _groups_sync(user) -> None:
    """Make the user's Django groups follow their roles (the admin's permissions read them)."""
    wanted: set[int] = set()
    for role, office_code in user.role_assignments.values_list("role", "office_code"):
        wanted.add(Group.objects.get_or_create(name=role_group_name(role))[0].pk)
        if role in (Role.OFFICE_STAFF, Role.OFFICE_HEAD):
            group = office_group_for(office_code)
            if group is not None:
                wanted.add(group.pk)
    managed = user.groups.filter(Q(name__startswith="role:") | Q(edited_office__isnull=False))
    current = set(managed.values_list("pk", flat=True))
    user.groups.remove(*(current - wanted))
    user.groups.add(*(wanted - current))


def role_change_record(assignment: RoleAssignment, *, action: str, by: str) -> None:
    """Log a role change and make the holder's groups follow (called from model signals).

    Signals rather than the service functions do this so that a change made anywhere — the
    admin's forms, a directory sign-in, a shell — is logged the same way.
    """
    user = assignment.user
    security_event_record(
        kind=SecurityEvent.Kind.ROLE_CHANGED,
        actor=by,
        subject=user.get_username(),
        detail={"action": action, "role": assignment.role, "office": assignment.office_code},
    )
    _groups_sync(user)
    scope_forget(user)


@transaction.atomic
def role_assign(user, *, role: str, office_code: str = "", by: str, source: str = "manual"):
    """Give ``user`` a role (for one office when the role is per office); idempotent."""
    role = Role(role)
    office_code = office_code if role in OFFICE_ROLES else ""
    assignment, _ = RoleAssignment.objects.get_or_create(
        user=user,
        role=role,
        office_code=office_code,
        defaults={"source": source, "assigned_by": by},
    )
    scope_forget(user)
    return assignment


@transaction.atomic
def role_revoke(user, *, role: str, office_code: str = "", by: str) -> bool:
    """Take a role away; returns whether the user held it."""
    assignments = list(RoleAssignment.objects.filter(user=user, role=role, office_code=office_code))
    for assignment in assignments:
        assignment.revoked_by = by  # read by the post_delete handler
        assignment.delete()
    scope_forget(user)
    return bool(assignments)


@transaction.atomic
def roles_from_directory(user, pairs: Iterable[tuple[str, str]]) -> None:
    """Replace the user's directory-sourced roles with ``pairs``; manual roles are kept."""
    wanted = {(Role(role), code if Role(role) in OFFICE_ROLES else "") for role, code in pairs}
    held = set(
        RoleAssignment.objects.filter(
            user=user, source=RoleAssignment.Source.DIRECTORY
        ).values_list("role", "office_code")
    )
    for role, code in held - wanted:
        role_revoke(user, role=role, office_code=code, by="directory")
    for role, code in wanted - held:
        role_assign(user, role=role, office_code=code, by="directory", source="directory")


def identity_link(user, *, person_uid: str, source: str) -> CampusIdentity:
    """Link ``user`` to the warehouse person ``person_uid`` (one account per person)."""
    identity, _ = CampusIdentity.objects.update_or_create(
        user=user, defaults={"person_uid": person_uid, "source": source}
    )
    return identity
