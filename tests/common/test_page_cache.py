"""The anonymous page cache: what it stores, and what it must never store."""

from __future__ import annotations

import pytest

from campus_portal.common.page_cache import page_cache_clear

pytestmark = pytest.mark.django_db


def test_each_language_has_its_own_cached_page(client):
    page_cache_clear()
    assert client.get("/jwc/sf-jwc-001/")["X-Page-Cache"] == "miss"
    client.cookies["django_language"] = "en"
    english = client.get("/jwc/sf-jwc-001/")
    assert english["X-Page-Cache"] == "miss"
    assert "No visit needed" in english.content.decode()
    assert client.get("/jwc/sf-jwc-001/")["X-Page-Cache"] == "hit"


def test_query_strings_are_separate_entries(client):
    page_cache_clear()
    client.get("/?q=cjd")
    other = client.get("/?q=xiaoyuanka")
    assert other["X-Page-Cache"] == "miss"
    assert "校园卡补办" in other.content.decode()


def test_admin_api_and_errors_are_not_cached(client):
    page_cache_clear()
    for path in ("/api/v1/matters/", "/no-such-page/"):
        client.get(path)
        assert "X-Page-Cache" not in client.get(path)


def test_requests_with_a_session_bypass_the_cache(client):
    page_cache_clear()
    client.get("/")
    client.cookies["sessionid"] = "anything"
    assert "X-Page-Cache" not in client.get("/")


def test_unknown_query_parameters_bypass_the_cache(client):
    page_cache_clear()
    client.get("/?utm_source=x")
    assert "X-Page-Cache" not in client.get("/?utm_source=x")
    assert client.get("/?page=2")["X-Page-Cache"] == "miss"
