"""Roles: who holds what, what it opens in the admin, and that every change is logged."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError

from campus_portal.accounts.models import RoleAssignment
from campus_portal.accounts.roles import Role, scope_for
from campus_portal.accounts.services import role_assign, role_revoke, roles_from_directory
from campus_portal.audit.models import SecurityEvent
from campus_portal.audit.selectors import audit_chain_verify

pytestmark = pytest.mark.django_db(databases=["default", "warehouse"])


@pytest.fixture
def user(db):
    return get_user_model().objects.create_user("2023990001", "u@x.cn", "pw-Role-123")


def _role_events(username: str) -> list[dict]:
    return [
        event.detail
        for event in SecurityEvent.objects.filter(kind="role_changed", subject=username).order_by(
            "sequence"
        )
    ]


def test_assign_and_revoke_are_logged_and_change_the_scope(user):
    role_assign(user, role=Role.OFFICE_STAFF, office_code="JWC", by="root")
    assert scope_for(user).processing_offices == {"JWC"}
    assert scope_for(user).needs_mfa
    role_revoke(user, role=Role.OFFICE_STAFF, office_code="JWC", by="root")
    assert scope_for(user).processing_offices == frozenset()
    assert _role_events(user.username) == [
        {"action": "assigned", "role": "office_staff", "office": "JWC"},
        {"action": "revoked", "role": "office_staff", "office": "JWC"},
    ]
    assert audit_chain_verify() == []


def test_office_staff_edit_their_office_pages_only(user):
    from campus_portal.catalog.models import MatterPage

    role_assign(user, role=Role.OFFICE_STAFF, office_code="JWC", by="root")
    user = get_user_model().objects.get(pk=user.pk)  # fresh permission caches
    own = MatterPage.objects.filter(office__code="JWC").first()
    other = MatterPage.objects.exclude(office__code="JWC").first()
    assert own.permissions_for_user(user).can_edit()
    assert not other.permissions_for_user(user).can_edit()
    role_revoke(user, role=Role.OFFICE_STAFF, office_code="JWC", by="root")
    user = get_user_model().objects.get(pk=user.pk)
    assert not own.permissions_for_user(user).can_edit()


def test_administrator_manages_the_catalog_but_holds_no_office(user):
    role_assign(user, role=Role.ADMINISTRATOR, by="root")
    user = get_user_model().objects.get(pk=user.pk)
    assert user.has_perm("catalog.export_catalog")
    assert user.has_perm("wagtailadmin.access_admin")
    assert not user.has_perm("data_warehouse.view_accesslog")
    assert scope_for(user).processing_offices == frozenset()


def test_office_roles_need_an_office_and_campus_roles_refuse_one(user):
    with pytest.raises(IntegrityError):
        RoleAssignment.objects.create(user=user, role=Role.OFFICE_HEAD, office_code="")


def test_global_role_ignores_an_office_code(user):
    assignment = role_assign(user, role=Role.WINDOW_STAFF, office_code="JWC", by="root")
    assert assignment.office_code == ""


def test_directory_roles_replace_only_directory_roles(user):
    role_assign(user, role=Role.DATA_STEWARD, office_code="JWC", by="root")
    roles_from_directory(user, [("office_head", "RSC"), ("window_staff", "")])
    roles_from_directory(user, [("office_head", "RSC")])
    held = set(RoleAssignment.objects.filter(user=user).values_list("role", "office_code"))
    assert held == {("data_steward", "JWC"), ("office_head", "RSC")}


def test_admin_screen_gives_a_role_and_logs_who_gave_it(client, user):
    admin = get_user_model().objects.create_superuser("it-root", "r@x.cn", "pw-Root-123")
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    TOTP.activate(admin, generate_totp_secret())
    client.force_login(admin)
    response = client.post(
        "/admin/snippets/accounts/roleassignment/add/",
        {"user": user.pk, "role": "data_steward", "office_code": "JWC"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assignment = RoleAssignment.objects.get(user=user)
    assert (assignment.role, assignment.office_code, assignment.assigned_by) == (
        "data_steward",
        "JWC",
        "it-root",
    )
    event = SecurityEvent.objects.filter(kind="role_changed", subject=user.username).get()
    assert event.actor == "it-root"
    assert user.groups.filter(name="role:data_steward").exists()


def test_admin_screen_refuses_an_office_role_without_office(client, user):
    admin = get_user_model().objects.create_superuser("it-root", "r@x.cn", "pw-Root-123")
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    TOTP.activate(admin, generate_totp_secret())
    client.force_login(admin)
    response = client.post(
        "/admin/snippets/accounts/roleassignment/add/",
        {"user": user.pk, "role": "office_head", "office_code": ""},
    )
    assert response.status_code == 200
    assert not RoleAssignment.objects.filter(user=user).exists()
