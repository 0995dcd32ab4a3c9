"""The read-only REST API and its OpenAPI schema."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_list_search_and_filters(client):
    data = client.get("/api/v1/matters/", {"q": "cjd"}).json()
    assert [m["code"] for m in data["results"]][:1] == ["SF-JWC-003"]
    staff = client.get("/api/v1/matters/", {"audience": "staff", "office": "RSC"}).json()
    assert staff["count"] == 10
    assert all(m["office"]["code"] == "RSC" for m in staff["results"])


def test_pagination(client):
    data = client.get("/api/v1/matters/", {"limit": 10}).json()
    assert data["count"] == 100 and len(data["results"]) == 10 and data["next"]


def test_detail_is_the_full_guide(client):
    data = client.get("/api/v1/matters/SF-JWC-014/").json()
    assert data["legal_time_limit"] == 20 and data["promised_time_limit"] == 15
    assert data["visits_required"] == 1 and data["visit_level"] == "one"
    assert data["online_depth"] == 3
    assert data["channels"] == ["web", "window"]
    assert [m["name"] for m in data["materials"]][:1] == ["身份证件"]
    assert data["materials"][0]["source"] == "applicant"
    assert data["process_steps"][0] == "申请"
    assert data["power_item_codes"] == ["SF-JWC-014"]
    assert data["url"].endswith("/jwc/sf-jwc-014/")


def test_unknown_matter_is_404(client):
    assert client.get("/api/v1/matters/NOPE-1/").status_code == 404


def test_api_is_read_only(client):
    assert client.post("/api/v1/matters/", {}).status_code == 405


def test_openapi_schema(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    schema = response.json()
    assert "/api/v1/matters/" in schema["paths"]
    assert "/api/v1/matters/{code}/" in schema["paths"]
    params = {p["name"] for p in schema["paths"]["/api/v1/matters/"]["get"]["parameters"]}
    assert {"q", "audience", "office", "topic"} <= params
