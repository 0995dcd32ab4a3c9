"""Steward screens: catalog, grants and the (read-only) access log in the Wagtail admin."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db(databases=["default", "warehouse"])


@pytest.mark.parametrize(
    "path",
    [
        "/admin/snippets/data_warehouse/dataitem/",
        "/admin/snippets/data_warehouse/grant/",
        "/admin/snippets/data_warehouse/accesslog/",
    ],
)
def test_steward_screens_render(client, admin_user, consented, path):
    client.force_login(admin_user)
    assert client.get(path).status_code == 200


def test_access_log_is_searchable_and_read_only(client, admin_user, read_entry):
    entry = read_entry
    client.force_login(admin_user)
    listing = client.get("/admin/snippets/data_warehouse/accesslog/", {"q": "APP-1"})
    assert "开具在读证明" in listing.content.decode()
    assert (
        client.get(f"/admin/snippets/data_warehouse/accesslog/inspect/{entry.pk}/").status_code
        == 200
    )
    for path in (
        "/admin/snippets/data_warehouse/accesslog/add/",
        f"/admin/snippets/data_warehouse/accesslog/edit/{entry.pk}/",
        f"/admin/snippets/data_warehouse/accesslog/delete/{entry.pk}/",
    ):
        assert client.get(path).status_code in (302, 403), path
