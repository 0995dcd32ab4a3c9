"""Who sees the dashboard and its drill-downs, and how much of it."""

from __future__ import annotations

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from campus_portal.accounts.roles import Role
from campus_portal.accounts.services import role_assign
from campus_portal.dashboard import rollups


def _user(django_user_model, name: str, *grants: tuple[str, str]):
    user = django_user_model.objects.create_user(name, f"{name}@x.cn", "pw-Dash-123")
    for role, office in grants:
        role_assign(user, role=role, office_code=office, by="test")
    TOTP.activate(user, generate_totp_secret())
    return user


@pytest.fixture
def data(history):
    history.application("SF-JWC-010", submitted="2026-11-02 09:00", decided="2026-11-03 10:00")
    history.application(
        "SF-XGB-001", submitted="2026-11-02 09:00", decided="2026-11-04 10:00", late=True
    )
    rollups.rollups_rebuild()


def test_office_head_sees_only_their_office(client, django_user_model, data):
    client.force_login(_user(django_user_model, "head", (Role.OFFICE_HEAD, "JWC")))
    response = client.get("/admin/dashboard/?as_of=2026-11-20")
    assert response.status_code == 200
    figures = response.context["figures"]
    assert figures["offices"] == ["JWC"]
    assert [row["office"] for row in figures["league"]] == ["JWC"]
    assert figures["scopes"]["all"]["events"]["submitted"] == 1
    assert figures["targets"] == []  # campus-wide targets are not an office's
    assert all(row["office"] == "JWC" for row in figures["high_frequency"]["ranking"])
    # Drill-downs: their office by default, another office refused.
    listed = client.get("/admin/dashboard/applications/?kind=submitted&as_of=2026-11-20")
    assert listed.status_code == 200
    assert {fact.office_code for fact in listed.context["page"]} == {"JWC"}
    for path in (
        "/admin/dashboard/applications/?kind=late&office=XGB",
        "/admin/dashboard/matters/?office=XGB",
    ):
        refused = client.get(path)
        assert (refused.status_code, refused["Location"]) == (302, "/admin/")  # Wagtail's 403
    matters = client.get("/admin/dashboard/matters/?measure=share_fully_online&met=0")
    assert {m.office.code for m in matters.context["matters"]} <= {"JWC"}


@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.SUPERVISOR])
def test_administrators_and_supervision_see_everything(client, django_user_model, data, role):
    client.force_login(_user(django_user_model, "campus", (role, "")))
    response = client.get("/admin/dashboard/?as_of=2026-11-20")
    assert response.status_code == 200
    figures = response.context["figures"]
    assert figures["offices"] is None
    assert figures["scopes"]["all"]["events"]["submitted"] == 2
    late = client.get("/admin/dashboard/applications/?kind=late&as_of=2026-11-20")
    assert [fact.office_code for fact in late.context["page"]] == ["XGB"]
    assert b"dash-applicant" not in late.content  # timeliness facts, not the applicant


@pytest.mark.parametrize(
    "grants",
    [[(Role.OFFICE_STAFF, "JWC")], [(Role.WINDOW_STAFF, "")], [(Role.DATA_STEWARD, "JWC")], []],
)
def test_everybody_else_is_refused(client, django_user_model, data, grants):
    client.force_login(_user(django_user_model, "other", *grants))
    for path in (
        "/admin/dashboard/",
        "/admin/dashboard/applications/",
        "/admin/dashboard/matters/",
    ):
        response = client.get(path)
        # Wagtail answers a denial with a redirect to the admin home, and a user without
        # admin access at all with its sign-in page.
        assert response.status_code == 302, path
        assert response["Location"] == "/admin/" or "/login/" in response["Location"], path
