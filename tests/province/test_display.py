"""Provincial matters in the catalog, the connector's health, backoff and hand-offs."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from campus_portal.catalog.models import MatterPage
from campus_portal.common.page_cache import page_cache_clear
from campus_portal.province.models import HandOff, ProvincialMatter, SyncRun
from campus_portal.province.sync import province_sync
from campus_portal.province.tasks import province_sync_task

pytestmark = pytest.mark.django_db

# The portal speaks Chinese by default (LANGUAGE_CODE zh-hans).
NOTICE = "省政务服务网暂时无法同步，以下为"


def _fail_three_times(province) -> None:
    province.fail_status = 500
    for _ in range(3):
        assert province_sync(force=True).status == SyncRun.Status.FAILED
    page_cache_clear()


def test_search_shows_campus_and_provincial_matters_side_by_side(client, province):
    province_sync()
    page_cache_clear()
    html = client.get("/?q=户口").content.decode()
    assert 'data-code="SF-BWC-001"' in html  # the campus matter 学生集体户口迁入
    assert 'id="provincial-list"' in html
    assert 'data-code="330000-GA-HJ-001"' in html
    assert "省政务服务网办理" in html
    assert NOTICE not in html


def test_browsing_by_office_leaves_provincial_matters_out(client, province):
    province_sync()
    page_cache_clear()
    html = client.get("/?office=BWC").content.decode()
    assert 'id="provincial-list"' not in html


def test_a_campus_matter_points_to_its_provincial_matter(client, province):
    province_sync()
    MatterPage.objects.filter(code="SF-BWC-001").update(provincial_matter_code="330000-GA-HJ-001")
    page_cache_clear()
    page = MatterPage.objects.get(code="SF-BWC-001")
    html = client.get(page.url).content.decode()
    assert 'id="related-provincial"' in html
    assert reverse("province_matter", args=["330000-GA-HJ-001"]) in html


def test_when_unhealthy_the_last_data_is_served_with_a_notice(client, province):
    province_sync()
    _fail_three_times(province)
    html = client.get("/?q=户口").content.decode()
    assert NOTICE in html
    assert 'data-code="330000-GA-HJ-001"' in html
    detail = client.get(reverse("province_matter", args=["330000-GA-HJ-001"])).content.decode()
    assert NOTICE in detail
    assert "集体户口迁移" in detail


def test_two_failures_are_not_yet_unhealthy(client, province):
    province_sync()
    province.fail_status = 500
    province_sync(force=True)
    province_sync(force=True)
    page_cache_clear()
    assert NOTICE not in client.get("/?q=户口").content.decode()


def test_the_task_backs_off_after_failures_and_resumes(province, settings):
    settings.PROVINCE_SYNC_BACKOFF = 3600
    province.fail_status = 500
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        assert province_sync_task() == SyncRun.Status.FAILED
        assert province_sync_task() == "backing off"
    with time_machine.travel(start + datetime.timedelta(minutes=61), tick=False):
        assert province_sync_task() == SyncRun.Status.FAILED  # second failure: wait 2 hours
    with time_machine.travel(start + datetime.timedelta(minutes=150), tick=False):
        assert province_sync_task() == "backing off"
    province.fail_status = None
    with time_machine.travel(start + datetime.timedelta(minutes=190), tick=False):
        assert province_sync_task() == SyncRun.Status.OK
        assert province_sync_task() == SyncRun.Status.NOT_MODIFIED
    assert SyncRun.objects.filter(status=SyncRun.Status.FAILED).count() == 2


def test_a_retired_matter_page_still_resolves_but_hands_off_no_more(client, province):
    province_sync()
    code = province.matters.pop(0)["code"]
    province_sync()
    response = client.get(reverse("province_matter", args=[code]))
    assert response.status_code == 200
    assert 'id="province-retired"' in response.content.decode()
    assert client.get(reverse("province_handoff", args=[code])).status_code == 404
    assert not HandOff.objects.exists()


def test_the_hand_off_records_who_went_where_and_redirects_to_the_stored_link(
    client, province, django_user_model
):
    province_sync()
    url = reverse("province_handoff", args=["330000-GA-HJ-001"])
    response = client.get(url + "?to=web&next=https://evil.example/")
    assert response.status_code == 302
    assert response["Location"] == "https://www.zjzwfw.gov.cn/item/330000-GA-HJ-001"
    user = django_user_model.objects.create_user("handoff-user", password="x")
    client.force_login(user)
    response = client.get(url + "?to=app")
    assert response["Location"] == "https://zlb.zj.gov.cn/app/330000-GA-HJ-001"
    handoffs = list(HandOff.objects.order_by("pk").values_list("matter__code", "channel", "user"))
    assert handoffs == [
        ("330000-GA-HJ-001", "web", None),
        ("330000-GA-HJ-001", "app", user.pk),
    ]


def test_the_hand_off_refuses_unknown_channels_missing_links_and_dropped_hosts(
    client, province, settings
):
    province_sync()
    go = "province_handoff"
    assert client.get(reverse(go, args=["330000-GA-HJ-001"]) + "?to=evil").status_code == 404
    assert client.get(reverse(go, args=["330000-GJJ-001"]) + "?to=app").status_code == 404
    assert client.get(reverse(go, args=["NO-SUCH"])).status_code == 404
    # A host removed from the allow-list after the sync is not redirected to any more.
    settings.PROVINCE_LINK_HOSTS = ["zlb.zj.gov.cn"]
    assert client.get(reverse(go, args=["330000-GA-HJ-001"]) + "?to=web").status_code == 404
    assert not HandOff.objects.exists()


def test_administrators_see_connector_status_and_last_success(client, province, admin_user):
    province_sync()
    _fail_three_times(province)
    client.force_login(admin_user)
    html = client.get(reverse("province_status")).content.decode()
    assert "异常" in html
    assert "连续失败 3 次" in html
    assert "HTTP 500" in html
    assert ProvincialMatter.objects.filter(retired=False).count() == 5
