"""Editors of an office maintain their own office's guides in the admin, and no other's."""

from __future__ import annotations

import pytest

from campus_portal.catalog.models import MatterPage, Office

pytestmark = pytest.mark.django_db


@pytest.fixture
def jwc_editor(django_user_model):
    user = django_user_model.objects.create_user("jwc-editor", password="pw-Editor-123")
    user.groups.add(Office.objects.get(code="JWC").editors)
    return user


def test_permission_policy_follows_the_office(jwc_editor):
    own = MatterPage.objects.get(code="SF-JWC-001")
    other = MatterPage.objects.get(code="SF-CWC-001")
    assert own.permissions_for_user(jwc_editor).can_edit()
    assert own.permissions_for_user(jwc_editor).can_publish()
    assert not other.permissions_for_user(jwc_editor).can_edit()
    assert not other.permissions_for_user(jwc_editor).can_publish()


def test_admin_edit_view_allows_own_office_only(client, jwc_editor):
    client.force_login(jwc_editor)
    own = MatterPage.objects.get(code="SF-JWC-001")
    other = MatterPage.objects.get(code="SF-CWC-001")
    assert client.get(f"/admin/pages/{own.pk}/edit/").status_code == 200
    response = client.get(f"/admin/pages/{other.pk}/edit/")
    assert response.status_code in (302, 403)


def test_editor_cannot_post_changes_to_another_office(client, jwc_editor):
    client.force_login(jwc_editor)
    other = MatterPage.objects.get(code="SF-CWC-001")
    response = client.post(f"/admin/pages/{other.pk}/edit/", {"title": "篡改"})
    assert response.status_code in (302, 403)
    other.refresh_from_db()
    assert other.title == "日常费用报销"


def test_editor_sees_no_import_or_reports(client, jwc_editor):
    client.force_login(jwc_editor)
    assert client.get("/admin/catalog/import/").status_code in (302, 403)
    assert client.get("/admin/catalog/export/").status_code in (302, 403)


def test_editor_can_create_a_matter_in_own_office(jwc_editor):
    parent = Office.objects.get(code="JWC").page
    assert parent.permissions_for_user(jwc_editor).can_add_subpage()
    assert (
        not Office.objects.get(code="CWC").page.permissions_for_user(jwc_editor).can_add_subpage()
    )
