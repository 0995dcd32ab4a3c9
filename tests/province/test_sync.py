"""Syncing against the fake province: pages, 304, faults, refused links, retiring."""

from __future__ import annotations

import pytest

from campus_portal.province.health import connector_health
from campus_portal.province.models import ConnectorState, ProvincialMatter, SyncRun
from campus_portal.province.selectors import provincial_search
from campus_portal.province.sync import province_sync
from tests.province.fake_province import matter

pytestmark = pytest.mark.django_db


def _snapshot() -> list[tuple]:
    return list(
        ProvincialMatter.objects.order_by("code").values_list("code", "name", "web_url", "retired")
    )


def test_first_sync_fetches_every_page_and_creates_the_matters(province):
    run = province_sync()
    assert run.status == SyncRun.Status.OK
    assert (run.created, run.updated, run.retired, run.unchanged) == (5, 0, 0, 0)
    assert province.pages_requested() == [1, 2, 3]
    assert province.requests[0].query["page_size"] == ["2"]
    assert province.requests[0].headers["Authorization"] == "Bearer secret-token"
    assert ProvincialMatter.objects.filter(retired=False).count() == 5
    assert [m.code for m in provincial_search(q="户口")] == ["330000-GA-HJ-001"]
    assert [m.code for m in provincial_search(q="jzz")] == ["330000-GA-JZZ-001"]
    assert connector_health().healthy
    assert ConnectorState.objects.get().last_success_at is not None


def test_an_unchanged_catalog_costs_one_request(province):
    province_sync()
    before = _snapshot()
    province.requests.clear()
    run = province_sync()
    assert run.status == SyncRun.Status.NOT_MODIFIED
    assert run.requests == 1
    assert province.pages_requested() == [1]
    assert province.requests[0].headers["If-None-Match"] == province.etag
    assert "If-Modified-Since" in province.requests[0].headers
    assert _snapshot() == before


def test_changes_update_and_a_disappeared_matter_is_retired_not_deleted(province):
    province_sync()
    province.matters[0] = matter("330000-GA-HJ-001", "集体户口迁入迁出")
    gone = province.matters.pop(1)
    run = province_sync()
    assert (run.created, run.updated, run.retired, run.unchanged) == (0, 1, 1, 3)
    retired = ProvincialMatter.objects.get(code=gone["code"])
    assert retired.retired and retired.retired_at is not None
    assert provincial_search(q="居住证") == []
    assert ProvincialMatter.objects.get(code="330000-GA-HJ-001").name == "集体户口迁入迁出"
    # Coming back revives it.
    province.matters.append(gone)
    run = province_sync()
    assert run.updated == 1
    assert not ProvincialMatter.objects.get(code=gone["code"]).retired


@pytest.mark.parametrize(
    "fault",
    [
        {"fail_status": 500},
        {"fail_status": 503, "fail_page": 2},  # a later page fails after page 1 was fine
        {"malformed_page": 2},
        {"partial_page": 2},
        {"sleep_seconds": 3},  # longer than the client's 2-second timeout
    ],
    ids=["500", "500-on-page-2", "malformed-json", "partial-page", "timeout"],
)
def test_a_fault_changes_nothing_and_counts_as_a_failure(province, fault):
    province_sync()
    before = _snapshot()
    province.matters[0] = matter("330000-GA-HJ-001", "改过的名字")
    province.matters.pop()
    for name, value in fault.items():
        setattr(province, name, value)
    run = province_sync()
    assert run.status == SyncRun.Status.FAILED
    assert run.error
    assert _snapshot() == before
    state = ConnectorState.objects.get()
    assert state.consecutive_failures == 1
    assert state.next_attempt_at is not None


@pytest.mark.parametrize(
    ("link", "why"),
    [
        ("http://www.zjzwfw.gov.cn/item/x", "not https"),
        ("https://zjzwfw.gov.cn.evil.example/item/x", "host not allowed"),
        ("https://evil.example/?u=https://www.zjzwfw.gov.cn/", "host not allowed"),
        ("https://user@www.zjzwfw.gov.cn/item/x", "host not allowed"),
        ("javascript:alert(1)", "not https"),
    ],
)
def test_an_entry_with_a_refused_link_fails_the_whole_sync(province, link, why):
    province_sync()
    before = _snapshot()
    province.matters[3] = matter("330000-RS-SB-001", "社会保障卡申领", app_url=link)
    province.matters[0] = matter("330000-GA-HJ-001", "改过的名字")
    run = province_sync()
    assert run.status == SyncRun.Status.FAILED
    assert why in run.error
    assert _snapshot() == before


@pytest.mark.parametrize(
    "bad",
    [
        {"code": "X-1", "name": "缺部门", "web_url": "https://www.zjzwfw.gov.cn/x"},
        {**matter("X-2", "名称"), "audiences": "本科生"},
        {**matter("X-3", "名称"), "name": ["不是字符串"]},
        "not an object",
    ],
    ids=["missing-field", "audiences-not-a-list", "name-not-a-string", "not-an-object"],
)
def test_an_invalid_entry_fails_the_whole_sync(province, bad):
    province.matters.append(bad)
    run = province_sync()
    assert run.status == SyncRun.Status.FAILED
    assert ProvincialMatter.objects.count() == 0


def test_a_duplicated_code_fails_the_whole_sync(province):
    province.matters.append(matter("330000-GA-HJ-001", "重复"))
    run = province_sync()
    assert run.status == SyncRun.Status.FAILED
    assert "twice" in run.error
    assert ProvincialMatter.objects.count() == 0


def test_a_subdomain_of_an_allowed_host_is_accepted(province):
    province.matters[0] = matter(
        "330000-GA-HJ-001", "集体户口迁移", web_url="https://etax.zjzwfw.gov.cn/matter/1"
    )
    assert province_sync().status == SyncRun.Status.OK
