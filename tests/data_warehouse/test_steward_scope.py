"""Stewards grant access to their own office's items only, and revoke rather than edit."""

from __future__ import annotations

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth import get_user_model

from campus_portal.accounts.services import role_assign
from data_warehouse.models import DataItem, Grant

pytestmark = pytest.mark.django_db(databases=["default", "warehouse"])


@pytest.fixture
def steward_client(client):
    user = get_user_model().objects.create_user("steward-jwc", "s@x.cn", "pw-Steward-1")
    role_assign(user, role="data_steward", office_code="JWC", by="root")
    TOTP.activate(user, generate_totp_secret())
    client.force_login(user)
    return client


def test_grant_form_offers_only_own_office_items(steward_client):
    page = steward_client.get("/admin/snippets/data_warehouse/grant/add/").content.decode()
    own = DataItem.objects.filter(owner_office_code="JWC").first()
    other = DataItem.objects.exclude(owner_office_code="JWC").first()
    assert f'value="{own.pk}"' in page
    assert f'value="{other.pk}"' not in page


def test_steward_grants_own_item_and_the_grant_records_who(steward_client):
    own = DataItem.objects.filter(owner_office_code="JWC").first()
    response = steward_client.post(
        "/admin/snippets/data_warehouse/grant/add/",
        {"handler_key": "JWC.demo", "item": own.pk, "purpose": "开具在读证明"},
    )
    assert response.status_code == 302
    grant = Grant.objects.get(handler_key="JWC.demo")
    assert grant.granted_by == "steward-jwc"


def test_steward_cannot_grant_another_offices_item(steward_client):
    other = DataItem.objects.exclude(owner_office_code="JWC").first()
    response = steward_client.post(
        "/admin/snippets/data_warehouse/grant/add/",
        {"handler_key": "JWC.demo", "item": other.pk, "purpose": "x"},
    )
    assert response.status_code == 200  # the form again, with an error
    assert not Grant.objects.filter(handler_key="JWC.demo").exists()


def test_revoking_keeps_the_grant_and_edits_nothing_else(steward_client):
    own = DataItem.objects.filter(owner_office_code="JWC").first()
    grant = Grant.objects.create(handler_key="JWC.demo", item=own, purpose="原目的", granted_by="s")
    response = steward_client.post(
        f"/admin/snippets/data_warehouse/grant/edit/{grant.pk}/",
        {"handler_key": "JWC.other", "item": own.pk, "purpose": "改了", "revoke": "on"},
    )
    assert response.status_code == 302
    grant.refresh_from_db()
    assert grant.revoked_at is not None
    assert (grant.handler_key, grant.purpose) == ("JWC.demo", "原目的")


def test_steward_cannot_edit_another_offices_item(steward_client):
    other = DataItem.objects.exclude(owner_office_code="JWC").first()
    response = steward_client.post(
        f"/admin/snippets/data_warehouse/dataitem/edit/{other.pk}/",
        {"label": "篡改", "sensitivity": other.sensitivity},
    )
    assert response.status_code == 302 and response["Location"] == "/admin/"
    other.refresh_from_db()
    assert other.label != "篡改"
