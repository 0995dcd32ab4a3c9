"""Search the way Chinese users type: Chinese, partial names, synonyms, pinyin, initials."""

from __future__ import annotations

import pytest

from campus_portal.catalog.models import SearchSynonym
from campus_portal.catalog.search.tokens import query_tokens, text_tokens
from campus_portal.catalog.selectors import matter_list

pytestmark = pytest.mark.django_db


def _names(q: str) -> list[str]:
    return [m.matter_name for m in matter_list(q=q)]


@pytest.mark.parametrize(
    ("query", "expected_first"),
    [
        ("成绩单打印", "成绩单打印"),
        ("成绩单", "成绩单打印"),
        ("绩单", "成绩单打印"),
        ("cjd", "成绩单打印"),
        ("CJD", "成绩单打印"),
        ("ｃｊｄ", "成绩单打印"),  # full-width letters from a Chinese IME
        ("chengjidan", "成绩单打印"),
        ("xiaoyuanka", "校园卡挂失与解挂"),
        ("xiao yuan ka", "校园卡挂失与解挂"),
        ("在学证明", "在读证明开具"),
        ("在读证明", "在读证明开具"),
        ("VPN", "校园网VPN开通"),
        ("SF-XXZX-004", "校园卡补办"),
    ],
)
def test_search_finds(query, expected_first):
    names = _names(query)
    assert names, query
    assert expected_first in names[:3]


def test_initials_and_full_pinyin_reach_the_same_matter():
    assert "校园卡补办" in _names("xiaoyuanka")
    assert "校园卡补办" in _names("xykbb")
    assert "成绩单打印" in _names("dayin")


def test_all_words_must_match():
    assert _names("成绩单 研究生") == ["研究生成绩单打印"]
    assert _names("成绩单 宿舍") == []


def test_no_hit_and_empty_queries():
    assert _names("量子纠缠") == []
    assert len(matter_list(q="")) == 100


def test_synonyms_are_editable():
    assert _names("饭卡") and _names("饭卡")[0].startswith("校园卡")
    assert _names("学生证明") == []
    SearchSynonym.objects.create(term="学生证明", canonical="在读证明")
    assert "在读证明开具" in _names("学生证明")


def test_filters_combine_with_search():
    matters = matter_list(q="证明", audience="staff")
    assert matters and all("staff" in {a.code for a in m.audiences.all()} for m in matters)
    assert all(m.office.code == "JWC" for m in matter_list(office_code="JWC"))
    assert matter_list(topic="certificates")


def test_popular_matters_rank_first_among_equals():
    names = [m.code for m in matter_list(q="请假")]
    assert names[:2] == ["SF-XGB-006", "SF-RSC-005"]  # 38,500 before 14,600


def test_tokens():
    tokens = text_tokens("成绩单打印")
    assert {"成绩", "绩单", "cjddy", "cjd", "chengjidan", "dayin", "dy"} <= tokens
    assert query_tokens("cjd") == {"cjd"}
    assert query_tokens("在读证明") == {"在读", "读证", "证明"}
    assert query_tokens("") == set()


def test_results_load_only_the_slice_asked_for(django_assert_max_num_queries):
    from campus_portal.catalog.selectors import matter_search

    results = matter_search(q="证明")
    assert len(results) > 20
    with django_assert_max_num_queries(4):  # pages, offices, audiences, topics
        first_page = results[:20]
    assert [m.pk for m in first_page] == results.ids[:20]
    assert results[-1].pk == results.ids[-1]


def test_search_results_are_paginated_and_keep_the_query(client):
    html = client.get("/", {"q": "证明"}).content.decode()
    assert html.count('class="matter-card"') == 20
    assert 'href="?q=%E8%AF%81%E6%98%8E&amp;page=2"' in html


def test_rebuilding_the_index_finds_the_same_matters():
    from campus_portal.catalog.search.index import catalog_reindex

    before = _names("cjd")
    assert catalog_reindex() == 100
    assert _names("cjd") == before
