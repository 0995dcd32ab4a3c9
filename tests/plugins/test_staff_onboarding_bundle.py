"""教职工入职一件事: conditional steps, the parallel group, and a new hire HR has not filed yet."""

from __future__ import annotations

import pytest

from campus_portal.plugin_api import registry
from plugins.staff_onboarding_bundle.handlers import NO_RECORD_LABEL, StaffOnboardingForm
from tests.plugins.conftest import staff_record, view, warehouse_db

KEY = "rsc.staff_onboarding_bundle"
DATA = {
    "person.name": "李明",
    "staff.number": "T20260001",
    "staff.unit": "计算机学院",
    "staff.post": "专任教师",
    "staff.hire_date": "2026-09-01",
}
NO_RECORD = {**dict.fromkeys(DATA), "person.name": "李明"}  # how the core reads a missing record


def handler():
    return registry.get(KEY)


def specs_for(*, housing: str = "no", party: str = "no", data=DATA):
    answers = {"turnover_housing": housing, "party_member": party}
    return handler().steps(view(KEY, data=data, answers=answers))


@pytest.mark.parametrize(
    ("housing", "party", "keys"),
    [
        ("no", "no", ["accounts", "payroll"]),
        ("yes", "no", ["accounts", "payroll", "housing"]),
        ("no", "yes", ["accounts", "payroll", "party"]),
        ("yes", "yes", ["accounts", "payroll", "housing", "party"]),
    ],
)
def test_conditional_steps_in_parallel_then_registration(housing, party, keys):
    specs = specs_for(housing=housing, party=party)
    assert [s.key for s in specs] == [*keys, "registration"]
    assert {s.group for s in specs[:-1]} == {"onboarding"}
    offices = {s.key: s.office for s in specs}
    assert offices["accounts"] == "XXZX" and offices["payroll"] == "CWC"
    assert offices.get("housing", "HQC") == "HQC" and offices.get("party", "ZZB") == "ZZB"
    final = specs[-1]
    assert (final.office, final.label, final.group) == ("RSC", "教职工入职报到", "")


def test_time_limits_follow_the_micro_power_list():
    limits = {s.key: s.time_limit_days for s in specs_for(housing="yes", party="yes")}
    # SF-HQC-005: 30, SF-ZZB-002: 5, SF-RSC-007: 3 promised; unlisted checks: 3.
    assert limits == {"accounts": 3, "payroll": 3, "housing": 30, "party": 5, "registration": 3}


def test_without_a_staff_record_hr_files_one_first_and_says_so():
    specs = specs_for(data=NO_RECORD)
    first = specs[0]
    assert (first.key, first.office, first.group, first.label) == (
        "hr_record",
        "RSC",
        "",
        NO_RECORD_LABEL,
    )
    assert [s.key for s in specs] == ["hr_record", "accounts", "payroll", "registration"]
    # Never decided automatically: a missing record is ordinary for a new hire.
    assert handler().decide(view(KEY, data=NO_RECORD, answers={})) is None


def test_no_automatic_decision_and_a_result_document():
    application = view(KEY, data=DATA, answers={"turnover_housing": "yes", "party_member": "no"})
    assert handler().decide(application) is None
    document = handler().result(application)
    assert document.title == "教职工入职报到确认单"
    assert "李明" in document.body and "T20260001" in document.body
    assert document.fields["周转房申请"] == "已办理"
    assert document.fields["党员组织关系转入"] == "不涉及"


def test_the_form_asks_only_the_two_choices():
    assert set(StaffOnboardingForm.base_fields) == {"turnover_housing", "party_member"}
    assert StaffOnboardingForm({"turnover_housing": "yes", "party_member": "no"}).is_valid()
    assert not StaffOnboardingForm({"party_member": "no"}).is_valid()
    assert not StaffOnboardingForm({"turnover_housing": "maybe", "party_member": "no"}).is_valid()


def test_data_needs_are_staff_items_and_the_bundle_names_its_own_catalog_matter():
    # The bundle's guide page comes from one_things.yaml (catalog.bundles), not the power list.
    assert handler().office == "RSC" and handler().matter_codes == ("YJS-RSC-001",)
    assert all(k == "person.name" or k.startswith("staff.") for k in handler().data_needs)


# Bound to the catalog matter it bundles, as an administrator could.
MATTER = "SF-RSC-007"
PARALLEL = ["accounts", "payroll", "housing", "party"]


@warehouse_db
@pytest.mark.parametrize("order", [PARALLEL, list(reversed(PARALLEL))])
def test_registration_starts_only_after_every_parallel_step(lifecycle, order):
    run = lifecycle(KEY, MATTER)
    staff_record(run.person)
    application = run.submit({"turnover_housing": "yes", "party_member": "yes"})
    assert application.state == "submitted"
    assert application.snapshot["staff.number"]["value"] == "T20260001"
    run.accept()
    assert run.states() == {**dict.fromkeys(order, "active"), "registration": "waiting"}
    assert run.finish_group(order, "registration").office_code == "RSC"
    assert run.finish("registration").state == "approved"


@warehouse_db
def test_without_conditions_only_accounts_and_payroll(lifecycle):
    run = lifecycle(KEY, MATTER)
    staff_record(run.person)
    run.submit({"turnover_housing": "no", "party_member": "no"})
    run.accept()
    assert run.states() == {"accounts": "active", "payroll": "active", "registration": "waiting"}


@warehouse_db
def test_a_new_hire_without_an_hr_record_waits_for_rsc_to_file_one(lifecycle):
    run = lifecycle(KEY, MATTER)  # a person in the directory, no staff record yet
    application = run.submit({"turnover_housing": "no", "party_member": "no"})
    assert application.state == "submitted"  # not rejected
    assert application.snapshot["staff.number"]["value"] is None
    run.accept()
    assert run.states() == {
        "hr_record": "active",
        "accounts": "waiting",
        "payroll": "waiting",
        "registration": "waiting",
    }
    assert run.step("hr_record").label == NO_RECORD_LABEL
    run.finish("hr_record")
    assert run.states() == {
        "hr_record": "approved",
        "accounts": "active",
        "payroll": "active",
        "registration": "waiting",
    }
    run.finish("payroll")
    run.finish("accounts")
    assert run.finish("registration").state == "approved"


@warehouse_db
def test_a_rejection_by_one_office_rejects_and_cancels_the_rest(lifecycle):
    run = lifecycle(KEY, MATTER)
    staff_record(run.person)
    run.submit({"turnover_housing": "no", "party_member": "yes"})
    run.accept()
    run.finish("accounts")
    run.reject("party", "未收到党员组织关系介绍信")
    assert run.states() == {
        "accounts": "approved",
        "payroll": "cancelled",
        "party": "rejected",
        "registration": "cancelled",
    }
