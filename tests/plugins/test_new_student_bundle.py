from __future__ import annotations

import pytest

from campus_portal.plugin_api import registry
from plugins.new_student_bundle.handlers import NewStudentForm
from tests.plugins.conftest import view, warehouse_db

KEY = "jwc.new_student_bundle"
DATA = {
    "person.name": "王小红",
    "person.gender": "女",
    "student.number": "2026010101",
    "student.school": "计算机学院",
    "student.major": "软件工程",
    "student.degree_level": "本科",
}


def handler():
    return registry.get(KEY)


@pytest.mark.parametrize(
    ("household", "party", "keys"),
    [
        ("no", "no", ["dormitory", "accounts", "fees"]),
        ("yes", "no", ["household", "dormitory", "accounts", "fees"]),
        ("no", "yes", ["dormitory", "accounts", "fees", "party"]),
        ("yes", "yes", ["household", "dormitory", "accounts", "fees", "party"]),
    ],
)
def test_conditional_steps_in_parallel_then_registration(household, party, keys):
    specs = handler().steps(
        view(KEY, data=DATA, answers={"household_transfer": household, "party_member": party})
    )
    assert [s.key for s in specs] == [*keys, "registration"]
    assert {s.group for s in specs[:-1]} == {"arrival"}
    assert (specs[-1].office, specs[-1].group) == ("JWC", "")
    limits = {s.key: s.time_limit_days for s in specs}
    assert limits.get("household", 15) == 15 and limits.get("party", 5) == 5


def test_no_automatic_decision_and_a_result_document():
    application = view(KEY, data=DATA, answers={})
    assert handler().decide(application) is None
    assert "王小红" in handler().result(application).body


def test_form():
    assert NewStudentForm({"household_transfer": "yes", "party_member": "no"}).is_valid()
    assert not NewStudentForm({"party_member": "no"}).is_valid()


@warehouse_db
def test_through_the_lifecycle(lifecycle):
    run = lifecycle(KEY, "SF-XB-001", status="在读")
    run.submit({"household_transfer": "yes", "party_member": "no", "arrival_date": None})
    run.accept()
    parallel = ["household", "dormitory", "accounts", "fees"]
    assert run.states() == {**dict.fromkeys(parallel, "active"), "registration": "waiting"}
    run.finish_group(["fees", "household", "accounts", "dormitory"], "registration")
    assert run.finish("registration").state == "approved"
