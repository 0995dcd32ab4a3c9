"""A steward opening an access-log entry in the admin is a look at that person's data: it is
logged, once a day, and shown on the person's "谁查看了我的数据" page."""

from __future__ import annotations

import datetime

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth import get_user_model
from django.utils import timezone

from campus_portal.accounts.services import identity_link, role_assign
from campus_portal.catalog.models import Office
from data_warehouse.models import AccessLog, Person
from data_warehouse.wagtail_hooks import AccessLogViewSet
from tests.data_warehouse.conftest import ITEMS

pytestmark = pytest.mark.django_db(databases=["default", "warehouse"])


def _steward(username: str, *, first_name: str = ""):
    Office.objects.get_or_create(code="JWC", defaults={"name": "教务处"})
    user = get_user_model().objects.create_user(
        username, f"{username}@x.cn", "pw-Steward-1", first_name=first_name
    )
    role_assign(user, role="data_steward", office_code="JWC", by="root")
    TOTP.activate(user, generate_totp_secret())
    return user


def _steward_views():
    return AccessLog.objects.filter(kind=AccessLog.Kind.VIEW, view_of="access_log")


def test_inspecting_an_entry_is_logged_once_a_day_and_shown_to_the_person(client, read_entry):
    client.force_login(_steward("steward-jwc", first_name="李管理"))
    url = f"/admin/snippets/data_warehouse/accesslog/inspect/{read_entry.pk}/"
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200  # reloaded: still one row
    view = _steward_views().get()
    assert (view.person.uid, view.actor, view.reader_role) == (
        "2023010101",
        "steward-jwc",
        "data_steward",
    )
    assert view.purpose == "数据管理：查看访问记录"
    assert view.items == ITEMS

    person = get_user_model().objects.create_user("2023010101", "p@x.cn", "pw-Person-1")
    identity_link(person, person_uid="2023010101", source="manual")
    client.force_login(person)
    page = client.get("/me/data-access/").content.decode()
    assert "李管理" in page and "教务处" in page and "数据管理员" in page
    assert "数据管理：查看访问记录" in page
    assert "data_steward" not in page


def test_another_day_is_another_row(client, read_entry, monkeypatch):
    client.force_login(_steward("steward-jwc"))
    url = f"/admin/snippets/data_warehouse/accesslog/inspect/{read_entry.pk}/"
    client.get(url)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args: tomorrow)
    client.get(url)
    assert sorted(_steward_views().values_list("day", flat=True)) == [
        tomorrow - datetime.timedelta(days=1),
        tomorrow,
    ]


def test_a_steward_inspecting_their_own_data_adds_nothing(client, read_entry):
    user = _steward("2023010101")
    identity_link(user, person_uid="2023010101", source="manual")
    client.force_login(user)
    url = f"/admin/snippets/data_warehouse/accesslog/inspect/{read_entry.pk}/"
    assert client.get(url).status_code == 200
    assert not _steward_views().exists()


def test_a_superuser_is_named_as_administrator(client, admin_user, read_entry):
    client.force_login(admin_user)
    client.get(f"/admin/snippets/data_warehouse/accesslog/inspect/{read_entry.pk}/")
    view = _steward_views().get()
    assert (view.reader_name, view.reader_role, view.reader_office) == (
        "root",
        "administrator",
        "",
    )


def test_the_listing_logs_the_persons_on_its_page_once_a_day(client, read_entry):
    client.force_login(_steward("steward-jwc"))
    listing = "/admin/snippets/data_warehouse/accesslog/"
    assert client.get(listing).status_code == 200
    assert client.get(listing).status_code == 200
    assert _steward_views().count() == 1
    inspect = f"/admin/snippets/data_warehouse/accesslog/inspect/{read_entry.pk}/"
    assert client.get(inspect).status_code == 200  # the same person, the same day
    view = _steward_views().get()
    assert view.person.uid == "2023010101" and view.purpose == "数据管理：查看访问记录"


def test_the_listing_logs_only_the_page_it_rendered(client, db):
    people = [Person.objects.create(uid=f"20990000{n:02d}", name=f"学生{n}") for n in range(30)]
    for person in people:
        AccessLog.objects.create(
            actor="plugin",
            handler_key="JWC.demo",
            person=person,
            items=["person.name"],
            purpose="证明",
            application_ref=f"APP-{person.uid}",
        )
    client.force_login(_steward("steward-jwc"))
    assert client.get("/admin/snippets/data_warehouse/accesslog/").status_code == 200
    assert _steward_views().count() == AccessLogViewSet.list_per_page < len(people)
