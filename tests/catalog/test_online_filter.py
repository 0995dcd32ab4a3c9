"""The catalog marks the matters that take online applications and filters by it.

"Takes online applications" is what the platform really accepts — an enabled binding to a
registered handler — not what the guide claims (its online depth).
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs

import pytest

from campus_portal.applications.models import HandlerBinding
from campus_portal.catalog.models import MatterPage
from campus_portal.catalog.selectors import matter_list, online_matter_ids
from campus_portal.common.page_cache import page_cache_clear
from campus_portal.plugin_api import registry

pytestmark = pytest.mark.django_db

# The reference plugins' matters (handler_bindings_ensure ran on the test catalog).
BOUND = {
    "SF-CWC-001",
    "SF-HQC-001",
    "SF-JWC-001",
    "SF-JWC-002",
    "SF-JWC-003",
    "SF-JWC-004",
    "SF-XGB-006",
}


def _codes(**filters) -> list[str]:
    return [m.code for m in matter_list(**filters)]


def test_the_filter_keeps_exactly_the_matters_with_a_working_binding():
    assert set(_codes(online=True)) == BOUND
    # 92 guides claim depth 3 or 4; that is not what the filter counts.
    assert MatterPage.objects.filter(online_depth__gte=3).count() == 92


def test_a_disabled_binding_or_an_unregistered_handler_is_left_out():
    HandlerBinding.objects.filter(matter__code="SF-JWC-001").update(enabled=False)
    HandlerBinding.objects.filter(matter__code="SF-HQC-001").update(handler_key="hqc.removed")
    assert set(_codes(online=True)) == BOUND - {"SF-JWC-001", "SF-HQC-001"}


def test_unregistering_a_plugin_takes_its_matters_offline():
    handler = registry.get("xgb.student_leave")
    registry.unregister(handler.key)
    try:
        assert "SF-XGB-006" not in _codes(online=True)
    finally:
        registry.register(type(handler))
    assert "SF-XGB-006" in _codes(online=True)


def test_the_filter_combines_with_search_and_the_other_filters():
    assert _codes(q="成绩单", online=True) == ["SF-JWC-003", "SF-JWC-004"]
    assert "SF-YJSY-002" in _codes(q="成绩单")  # 研究生成绩单: found, but not online
    assert set(_codes(office_code="JWC", online=True)) == {f"SF-JWC-00{n}" for n in (1, 2, 3, 4)}
    assert _codes(audience="staff", online=True) == ["SF-CWC-001"]
    assert _codes(topic="finance", online=True) == ["SF-CWC-001"]
    assert _codes(q="成绩单", audience="staff", online=True) == []


def test_marks_for_a_page_of_results_are_one_query(django_assert_num_queries):
    ids = list(MatterPage.objects.values_list("pk", flat=True))
    with django_assert_num_queries(1):
        marked = online_matter_ids(matter_ids=ids)
    assert {m.code for m in MatterPage.objects.filter(pk__in=marked)} == BOUND
    assert online_matter_ids(matter_ids=[]) == set()


# --- the pages ---------------------------------------------------------------------------------


def _get(client, path: str, params: dict | None = None) -> str:
    page_cache_clear()
    return client.get(path, params or {}).content.decode()


def _cards(html: str) -> dict[str, bool]:
    """Matter code → marked as taking online applications, for each card on the page."""
    cards = re.findall(r'<li class="matter-card" data-code="([^"]+)">(.*?)</li>', html, re.S)
    return {code: 'data-online="1"' in body for code, body in cards}


def _online_link(html: str) -> tuple[str, str]:
    found = re.search(r'<a id="online-filter" class="([^"]*)" href="\?([^"]*)"[^>]*>([^<]*)', html)
    return found.group(2).replace("&amp;", "&"), found.group(3)


def test_result_cards_mark_the_matters_taking_online_applications(client):
    cards = _cards(_get(client, "/", {"q": "证明"}))
    assert {"SF-JWC-001", "SF-YJSY-001"} <= set(cards)
    assert {code for code, online in cards.items() if online} == BOUND & set(cards)
    assert cards["SF-JWC-001"] and not cards["SF-YJSY-001"]


def test_the_filter_link_keeps_the_query_and_the_other_filters(client):
    html = _get(client, "/", {"q": "成绩单", "audience": "undergraduate"})
    query, label = _online_link(html)
    assert parse_qs(query) == {"q": ["成绩单"], "audience": ["undergraduate"], "online": ["1"]}
    assert "可网上申请 (2)" in label  # SF-JWC-003 and 004 of the matches
    filtered = _get(client, "/?" + query)
    assert set(_cards(filtered)) == {"SF-JWC-003", "SF-JWC-004"}
    assert all(_cards(filtered).values())
    assert "共 2 项事项" in filtered
    # Active, the link switches the filter off and keeps the rest.
    query, _ = _online_link(filtered)
    assert parse_qs(query) == {"q": ["成绩单"], "audience": ["undergraduate"]}
    assert 'id="online-filter" class="active"' in filtered
    # A new search from the header stays within the online matters.
    assert '<input type="hidden" name="online" value="1">' in filtered


def test_the_filter_alone_lists_every_online_matter(client):
    html = _get(client, "/", {"online": "1"})
    assert set(_cards(html)) == BOUND and "共 7 项事项" in html
    assert "可网上申请 (7)" in _online_link(_get(client, "/"))[1]


def test_pagination_keeps_the_filter(client):
    for code in ("SF-XGB-001", "SF-XGB-002", "SF-XGB-003"):  # 7 + 3 + … > one page of 20
        HandlerBinding.objects.create(matter=MatterPage.objects.get(code=code), handler_key="x")
    keys = [h.key for h in registry]
    extra = MatterPage.objects.exclude(handler_binding__isnull=False).order_by("code")[:14]
    for matter in extra:
        HandlerBinding.objects.create(matter=matter, handler_key=keys[0])
    html = _get(client, "/", {"online": "1"})
    assert "共 21 项事项" in html  # the three bound to an unknown key do not count
    assert 'rel="next" href="?online=1&amp;page=2"' in html
    assert len(_cards(_get(client, "/", {"online": "1", "page": "2"}))) == 1


def test_the_office_page_marks_its_online_matters(client):
    cards = _cards(_get(client, "/jwc/"))
    assert {code for code, online in cards.items() if online} == {
        f"SF-JWC-00{n}" for n in (1, 2, 3, 4)
    }


def test_the_filtered_catalog_is_cached_like_any_catalog_page(client):
    page_cache_clear()
    assert client.get("/", {"online": "1"})["X-Page-Cache"] == "miss"
    assert client.get("/", {"online": "1"})["X-Page-Cache"] == "hit"


def test_a_bad_online_value_is_just_the_whole_catalog(client):
    response = client.get("/", {"online": "yes", "utm": "x"})
    html = response.content.decode()
    assert response.status_code == 200 and "共 100 项事项" in html
    assert _online_link(html)[0] == "online=1"  # neither the bad value nor a stray parameter
    assert 'rel="next" href="?page=2"' in html
