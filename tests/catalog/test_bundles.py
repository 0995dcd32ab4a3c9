"""The 一件事 bundles in the catalog: their own guide pages, found by search, bound, applied for."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command

from campus_portal.applications import services
from campus_portal.applications.models import Application, HandlerBinding
from campus_portal.applications.services import handler_bindings_ensure
from campus_portal.catalog.bundles import bundle_matters_ensure
from campus_portal.catalog.models import MatterPage, OfficePage
from campus_portal.catalog.selectors import matter_list
from campus_portal.common.page_cache import page_cache_clear
from tests.applications.conftest import grant_all, make_user
from tests.conftest import ROOT
from tests.plugins.conftest import warehouse_student

pytestmark = pytest.mark.django_db

BUNDLES_YAML = (ROOT / "demo_data" / "one_things.yaml").read_bytes()
# code → (name, lead office, handler)
BUNDLES = {
    "YJS-JWC-001": ("毕业生离校一件事", "JWC", "jwc.graduation_bundle"),
    "YJS-JWC-002": ("新生入学一件事", "JWC", "jwc.new_student_bundle"),
    "YJS-RSC-001": ("教职工入职一件事", "RSC", "rsc.staff_onboarding_bundle"),
    "YJS-RSC-002": ("教职工退休一件事", "RSC", "rsc.staff_retirement_bundle"),
}


@pytest.fixture
def bundles():
    result = bundle_matters_ensure(data=BUNDLES_YAML)
    assert result.ok, result.problems
    return {m.code: m for m in MatterPage.objects.filter(code__in=BUNDLES)}


def test_each_bundle_has_a_published_guide_under_its_lead_office(bundles):
    assert set(bundles) == set(BUNDLES)
    for code, (name, office, _) in BUNDLES.items():
        matter = bundles[code]
        assert matter.live and matter.title == name and matter.office.code == office
        assert matter.get_parent().specific == OfficePage.objects.get(office__code=office)
        assert matter.url == f"/{office.lower()}/{code.lower()}/"


def test_the_guide_is_derived_from_the_bundle_and_its_listed_matters(bundles):
    graduation = bundles["YJS-JWC-001"]
    assert graduation.process_steps == [
        "网上申请（一次提交）",
        "并联办理：图书馆 离校图书清还证明、后勤保障处 毕业生退宿办理、财务处 学费与欠费结清、"
        "信息化中心 校园卡注销与余额退还、党委组织部 党员组织关系转接（转出）（党员）",
        "教务处 学籍与毕业资格确认（本科生）；研究生院 学位与毕业资格确认（研究生）",
        "办结",
    ]
    # Longest parallel step (SF-ZZB-001: 5 promised, 10 legal) + the final check (3 days).
    assert (graduation.promised_time_limit, graduation.legal_time_limit) == (8, 13)
    # SF-HQC-003 needs one visit: the bundle at most one, online depth 3.
    assert (graduation.visits_required, graduation.online_depth) == (1, 3)
    assert {a.name for a in graduation.audiences.all()} == {"本科生", "研究生"}
    assert graduation.address == "行政楼一楼师生服务中心3号窗口"  # JWC's usual window
    retirement = bundles["YJS-RSC-002"]
    # Four 3-day clearances, then SF-RSC-008 (30 promised, 30 legal).
    assert (retirement.promised_time_limit, retirement.legal_time_limit) == (33, 33)
    assert {a.name for a in retirement.audiences.all()} == {"教职工"}


@pytest.mark.parametrize("query", ["毕业生离校", "离校", "一件事", "lixiao", "yijianshi", "byslx"])
def test_the_graduation_bundle_is_found_by_search(bundles, query):
    codes = [m.code for m in matter_list(q=query)]
    assert "YJS-JWC-001" in codes[:3], codes


def test_searching_for_one_things_finds_all_four(bundles):
    assert [m.code for m in matter_list(q="一件事")] == sorted(BUNDLES)
    assert [m.code for m in matter_list(q="毕业生离校")] == ["YJS-JWC-001"]


def test_the_search_page_lists_the_bundle(client, bundles):
    page_cache_clear()
    html = client.get("/", {"q": "离校"}).content.decode()
    assert 'data-code="YJS-JWC-001"' in html and "毕业生离校一件事" in html


def test_loading_again_keeps_an_offices_edits(bundles):
    matter = bundles["YJS-JWC-001"]
    matter.search_keywords = "毕业离校，离校手续"
    matter.save_revision().publish()
    again = bundle_matters_ensure(data=BUNDLES_YAML)
    assert again.created == [] and sorted(again.existing) == sorted(BUNDLES)
    assert MatterPage.objects.get(code="YJS-JWC-001").search_keywords == "毕业离校，离校手续"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (b"bundles: [", "not a readable YAML file"),
        (b"- a\n- b\n", "no 'bundles' list"),
        (b"bundles: [{name: X, then: [{office: JWC, check: c}]}]", "'code' is missing"),
        (b"bundles: [{name: X, code: Y-1}]", "'then' is missing"),
        (b"bundles: [{name: X, code: Y-1, then: [{office: QQQ, check: c}]}]", "office QQQ"),
        (b"bundles: [{name: X, code: Y-1, then: [{office: JWC, matter: SF-NO}]}]", "SF-NO"),
        (b"bundles: [{name: X, code: Y-1, then: [{office: JWC}]}]", "'matter' or a 'check'"),
        (
            b"bundles: [{name: X, code: Y-1, audience: [mars], then: [{office: JWC, check: c}]}]",
            "audience mars",
        ),
        (
            b"bundles: [{name: X, code: Y-1, then: [{office: JWC, check: c}]},"
            b" {name: Z, code: Y-1, then: [{office: JWC, check: c}]}]",
            "used by another bundle",
        ),
        ("bundles: [{name: X}]".encode("utf-16"), "not a readable YAML file"),
    ],
)
def test_a_bad_bundle_list_is_refused_whole_with_every_problem(text, problem):
    good = b"  - {name: Good, code: Y-9, then: [{office: JWC, check: c}]}\n"
    result = bundle_matters_ensure(data=text)
    assert not result.ok and any(problem in p for p in result.problems), result.problems
    assert result.created == []
    assert not MatterPage.objects.filter(code__in=["Y-1", "Y-9"]).exists()
    assert bundle_matters_ensure(data=b"bundles:\n" + good).created == ["Y-9"]


# --- bound in the demo and applied for like any matter ----------------------------------------


@pytest.mark.django_db(databases=["default", "warehouse"])  # the demo's grants
def test_the_demo_binds_every_bundle_to_its_handler(bundles, capsys):
    call_command("applications_load_demo")
    assert "4 bindings" in capsys.readouterr().out
    bindings = dict(
        HandlerBinding.objects.filter(matter__code__in=BUNDLES).values_list(
            "matter__code", "handler_key"
        )
    )
    assert bindings == {code: handler for code, (_, _, handler) in BUNDLES.items()}


def test_a_bound_bundle_guide_has_the_apply_button_and_says_one_visit(client, bundles):
    handler_bindings_ensure()
    page_cache_clear()
    html = client.get(bundles["YJS-JWC-001"].url).content.decode()
    assert 'id="apply-online" href="/apply/YJS-JWC-001/"' in html
    assert 'id="visit-needed"' in html  # books and the dormitory are handed back in person
    listing = client.get("/", {"q": "一件事", "online": "1"}).content.decode()
    assert re.findall(r'data-code="(YJS-[A-Z]+-\d+)"', listing) == sorted(BUNDLES)


@pytest.mark.django_db(databases=["default", "warehouse"])
def test_a_graduate_applies_for_the_bundle_through_the_pages(client, bundles):
    handler_bindings_ensure()
    grant_all("jwc.graduation_bundle")
    graduate = warehouse_student(degree_level="硕士")
    user = make_user(graduate.uid, person_uid=graduate.uid)
    client.force_login(user)
    assert client.post("/apply/YJS-JWC-001/").status_code == 302
    application = Application.objects.get(applicant=user)
    assert application.handler_key == "jwc.graduation_bundle" and application.office_code == "JWC"
    assert client.post(f"/applications/{application.reference}/consent/").status_code == 302
    response = client.post(
        f"/applications/{application.reference}/form/",
        {"party_member": "no", "forwarding_address": "杭州市西湖区", "idempotency_key": "g-1"},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == "submitted"
    services.application_accept(
        application, actor=make_user("jwc", roles=[("office_staff", "JWC")])
    )
    states = dict(application.steps.values_list("key", "state"))
    assert states == {
        "library": "active",
        "dormitory": "active",
        "fees": "active",
        "campus_card": "active",
        "graduation": "waiting",  # 研究生院 for a 硕士, once every clearance is done
    }
    assert application.steps.get(key="graduation").office_code == "YJSY"
