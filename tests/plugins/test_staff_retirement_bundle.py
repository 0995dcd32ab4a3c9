"""教职工退休一件事: four clearances in parallel, then RSC; no staff record, no retirement."""

from __future__ import annotations

import pytest

from campus_portal.plugin_api import registry
from plugins.staff_retirement_bundle.handlers import NO_RECORD_REASON, StaffRetirementForm
from tests.plugins.conftest import staff_record, view, warehouse_db

KEY = "rsc.staff_retirement_bundle"
DATA = {
    "person.name": "王建国",
    "staff.number": "T19950012",
    "staff.unit": "机械工程学院",
    "staff.post": "专任教师",
    "staff.title": "教授",
    "staff.status": "在职",
    "staff.hire_date": "1995-09-01",
}
CLEARANCE = ["assets", "research", "library", "loans"]


def handler():
    return registry.get(KEY)


def test_clearances_in_parallel_then_rsc():
    specs = handler().steps(view(KEY, data=DATA, answers={}))
    assert [(s.key, s.office, s.group, s.time_limit_days) for s in specs] == [
        ("assets", "ZCC", "clearance", 3),
        ("research", "KYY", "clearance", 3),
        ("library", "TSG", "clearance", 3),
        ("loans", "CWC", "clearance", 3),
        # SF-RSC-008 教职工退休办理: promised 30 working days.
        ("retirement", "RSC", "", 30),
    ]


def test_no_automatic_decision_for_a_member_of_staff():
    assert handler().decide(view(KEY, data=DATA, answers={})) is None


def test_rejected_at_once_without_a_staff_record():
    decision = handler().decide(view(KEY, data={"person.name": "王建国"}, answers={}))
    assert decision is not None and not decision.approved
    assert decision.reason == NO_RECORD_REASON and "人事处" in decision.reason


def test_result_document():
    application = view(KEY, data=DATA, answers={"mailing_address": ""})
    document = handler().result(application)
    assert document.title == "教职工退休手续办结单"
    assert "王建国" in document.body and "T19950012" in document.body
    assert document.fields["退休后通讯地址"] == "到人事处窗口领取"


def test_form():
    assert StaffRetirementForm({}).is_valid()
    assert StaffRetirementForm({"mailing_address": "杭州市西湖区"}).is_valid()
    assert not StaffRetirementForm({"mailing_address": "x" * 201}).is_valid()


def test_data_needs_are_staff_items_and_the_bundle_names_its_own_catalog_matter():
    # The bundle's guide page comes from one_things.yaml (catalog.bundles), not the power list.
    assert handler().office == "RSC" and handler().matter_codes == ("YJS-RSC-002",)
    assert all(k == "person.name" or k.startswith("staff.") for k in handler().data_needs)


MATTER = "SF-RSC-008"


@warehouse_db
@pytest.mark.parametrize("order", [CLEARANCE, ["loans", "library", "research", "assets"]])
def test_retirement_starts_only_after_every_clearance(lifecycle, order):
    run = lifecycle(KEY, MATTER)
    staff_record(run.person, number="T19950012")
    assert run.submit({"mailing_address": ""}).state == "submitted"
    run.accept()
    assert run.states() == {**dict.fromkeys(CLEARANCE, "active"), "retirement": "waiting"}
    assert run.finish_group(order, "retirement").office_code == "RSC"
    application = run.finish("retirement")
    assert application.state == "approved" and application.decided_at is not None


@warehouse_db
def test_one_office_rejecting_cancels_the_other_clearances(lifecycle):
    run = lifecycle(KEY, MATTER)
    staff_record(run.person)
    run.submit({})
    run.accept()
    run.finish("library")
    run.reject("research", "尚有在研项目未结题")
    assert run.states() == {
        "assets": "cancelled",
        "research": "rejected",
        "library": "approved",
        "loans": "cancelled",
        "retirement": "cancelled",
    }


@warehouse_db
def test_without_a_staff_record_the_applicant_is_told_at_once(lifecycle):
    run = lifecycle(KEY, MATTER)  # a student record only: no staff record
    application = run.submit({})
    assert application.state == "rejected"
    assert application.decision_reason == NO_RECORD_REASON
    assert not application.steps.exists()  # no office was given work
    assert application.events.filter(kind="rejected", actor="system").exists()
