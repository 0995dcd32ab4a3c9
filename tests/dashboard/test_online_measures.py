"""The dashboard counts what is real: online application and fully online from the bindings.

"开通网上申请" counts matters with an enabled binding to a registered handler; "全流程在线办理"
those whose handler says ``is_fully_online(matter)``. Guides claiming more are flagged.
The reference catalog has 100 matters, 92 claiming depth ≥ 3 and 65 promising no visit; seven
are bound to the reference plugins, six of them fully online (the expense claim is not).
"""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from campus_portal.applications.models import HandlerBinding
from campus_portal.catalog.models import MatterPage
from campus_portal.dashboard.selectors import (
    catalog_measures,
    catalog_measures_by_office,
    dashboard_figures,
    guide_overclaims,
    online_service,
)
from campus_portal.plugin_api import MatterHandler, registry

pytestmark = pytest.mark.django_db

AS_OF = date(2026, 11, 20)
BOUND = {"SF-CWC-001", "SF-HQC-001", "SF-JWC-001", "SF-JWC-002", "SF-JWC-003", "SF-JWC-004"}
BOUND |= {"SF-XGB-006"}
FULLY_ONLINE = BOUND - {"SF-CWC-001"}


class HalfOnline(MatterHandler):
    """A handler whose path needs a visit for some of its matters (a configured one would)."""

    key = "xgb.half_online"
    office = "XGB"
    label = "测试"
    purpose = "测试"

    def is_fully_online(self, matter) -> bool:
        return matter.code.endswith(("1", "3", "5", "7", "9"))


@pytest.fixture
def half_online():
    registry.register(HalfOnline)
    yield HalfOnline.key
    registry.unregister(HalfOnline.key)


def _bind(code: str, key: str, *, enabled: bool = True) -> None:
    HandlerBinding.objects.update_or_create(
        matter=MatterPage.objects.get(code=code), defaults={"handler_key": key, "enabled": enabled}
    )


def _codes(ids) -> set[str]:
    return set(MatterPage.objects.filter(pk__in=ids).values_list("code", flat=True))


def _counts(**filters) -> dict[str, tuple[int, int]]:
    measures = catalog_measures(**filters)
    return {key: (m["numerator"], m["denominator"]) for key, m in measures.items()}


def test_the_shares_come_from_the_bindings_not_the_guides():
    service = online_service()
    assert _codes(service.online) == BOUND and _codes(service.fully_online) == FULLY_ONLINE
    counts = _counts()
    assert counts["share_online_application"] == (7, 100)  # the guides claim 92
    assert counts["share_fully_online"] == (6, 100)  # the guides claim 65


def test_a_disabled_binding_or_a_missing_handler_counts_for_nothing():
    _bind("SF-JWC-001", "jwc.enrollment_certificate", enabled=False)
    _bind("SF-HQC-001", "hqc.uninstalled")
    counts = _counts()
    assert counts["share_online_application"] == (5, 100)
    assert counts["share_fully_online"] == (4, 100)


def test_fully_online_is_the_handlers_answer_per_matter(half_online):
    for code in ("SF-XGB-001", "SF-XGB-002", "SF-XGB-003"):
        _bind(code, half_online)
    service = online_service()
    assert {"SF-XGB-001", "SF-XGB-002", "SF-XGB-003"} <= _codes(service.online)
    assert _codes(service.fully_online) == FULLY_ONLINE | {"SF-XGB-001", "SF-XGB-003"}
    office = catalog_measures_by_office(office_codes=frozenset({"XGB"}))["XGB"]
    xgb = MatterPage.objects.filter(office__code="XGB").count()
    assert office["share_online_application"] == round(4 / xgb, 4)  # 001–003 and 006
    assert office["share_fully_online"] == round(3 / xgb, 4)


def test_a_special_matter_is_excluded_from_the_real_shares_too():
    MatterPage.objects.filter(code="SF-CWC-001").update(
        special_requirements=True, special_requirements_reason="纸质单据"
    )
    counts = _counts()
    assert counts["share_online_application"] == (6, 99)
    assert counts["share_fully_online"] == (6, 99)


# --- guides that claim more ------------------------------------------------------------------


def _flags(**filters) -> dict[str, list[str]]:
    return {flag["code"]: flag["claims"] for flag in guide_overclaims(**filters)}


def test_guides_claiming_online_service_the_platform_lacks_are_flagged():
    flags = _flags()
    # 92 guides claim depth ≥ 3; 7 of them are bound. Every 0-visit guide is a depth-4 one.
    assert len(flags) == 85
    assert flags["SF-XGB-003"] == ["online_application", "no_visit"]  # 奖学金申请, 全程网办
    assert flags["SF-JWC-005"] == ["online_application"]  # depth 3, a visit promised
    assert not set(flags) & BOUND  # what they claim is what they get
    assert "SF-BWC-001" not in flags  # depth 2: claims no online application


def test_a_bound_matter_whose_handler_needs_a_visit_is_flagged_for_its_no_visit_claim(
    half_online,
):
    _bind("SF-XGB-002", half_online)  # 0 visits in the guide; the handler needs one here
    _bind("SF-XGB-003", half_online)  # … and not here
    flags = _flags()
    assert flags["SF-XGB-002"] == ["no_visit"]
    assert "SF-XGB-003" not in flags


def test_a_matching_guide_is_not_flagged_and_a_corrected_one_leaves_the_list():
    _bind("SF-XGB-003", "xgb.student_leave")
    assert "SF-XGB-003" not in _flags()
    MatterPage.objects.filter(code="SF-JWC-005").update(online_depth=2)  # guide corrected
    assert "SF-JWC-005" not in _flags()


def test_the_flags_are_in_the_figures_and_an_office_sees_its_own():
    figures = dashboard_figures(as_of=AS_OF)
    assert {f["code"] for f in figures["overclaim_flags"]} == set(_flags())
    flag = next(f for f in figures["overclaim_flags"] if f["code"] == "SF-XGB-003")
    assert flag == {
        "id": MatterPage.objects.get(code="SF-XGB-003").pk,
        "code": "SF-XGB-003",
        "name": "奖学金申请（校级奖学金）",
        "office": "XGB",
        "online_depth": 4,
        "visits_required": 0,
        "online_application": False,
        "fully_online": False,
        "claims": ["online_application", "no_visit"],
    }
    jwc = dashboard_figures(as_of=AS_OF, office_codes=frozenset({"JWC"}))
    assert jwc["overclaim_flags"] and {f["office"] for f in jwc["overclaim_flags"]} == {"JWC"}


# --- the page and the cost ---------------------------------------------------------------------


def test_the_dashboard_page_shows_the_real_shares_and_the_flags(admin_client_mfa):
    html = admin_client_mfa.get(f"/admin/dashboard/?as_of={AS_OF}").content.decode()
    assert "开通网上申请（平台实际受理）" in html and "(7/100)" in html and "(6/100)" in html
    assert 'id="overclaim-flags"' in html
    assert 'data-code="SF-XGB-003" data-claims="online_application no_visit"' in html
    assert "无网上申请" in html


def test_the_drilldown_lists_the_matters_not_taking_online_applications(admin_client_mfa):
    response = admin_client_mfa.get(
        "/admin/dashboard/matters/?measure=share_online_application&met=0"
    )
    assert response.context["count"] == 93
    met = admin_client_mfa.get("/admin/dashboard/matters/?measure=share_fully_online&met=1")
    assert {m.code for m in met.context["matters"]} == FULLY_ONLINE


def test_more_bound_matters_cost_no_more_queries(half_online):
    with CaptureQueriesContext(connection) as few:
        dashboard_figures(as_of=AS_OF)
    for matter in MatterPage.objects.filter(handler_binding__isnull=True)[:60]:
        HandlerBinding.objects.create(matter=matter, handler_key=half_online)
    with CaptureQueriesContext(connection) as many:
        figures = dashboard_figures(as_of=AS_OF)
    assert figures["scopes"]["all"]["catalog"]["share_online_application"]["numerator"] == 67
    assert len(many.captured_queries) == len(few.captured_queries)


@pytest.fixture
def admin_client_mfa(client, admin_user):
    client.force_login(admin_user)
    return client
