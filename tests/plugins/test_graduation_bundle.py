from __future__ import annotations

import pytest

from campus_portal.plugin_api import registry
from plugins.graduation_bundle.handlers import GraduationForm, is_graduate_student
from tests.plugins.conftest import view, warehouse_db

KEY = "jwc.graduation_bundle"
DATA = {
    "person.name": "张晓明",
    "student.number": "2023010101",
    "student.school": "计算机学院",
    "student.major": "软件工程",
    "student.degree_level": "本科",
    "student.status": "在读",
}
CLEARANCE = ["library", "dormitory", "fees", "campus_card"]


def handler():
    return registry.get(KEY)


def specs_for(*, party_member: str = "no", degree_level: str | None = "本科"):
    application = view(
        KEY,
        data={**DATA, "student.degree_level": degree_level},
        answers={"party_member": party_member},
    )
    return handler().steps(application)


def test_clearance_in_parallel_then_the_registrar_for_undergraduates():
    specs = specs_for()
    assert [(s.key, s.office, s.group) for s in specs] == [
        ("library", "TSG", "clearance"),
        ("dormitory", "HQC", "clearance"),
        ("fees", "CWC", "clearance"),
        ("campus_card", "XXZX", "clearance"),
        ("graduation", "JWC", ""),
    ]
    assert all(s.time_limit_days == 3 for s in specs)


def test_party_members_also_transfer_their_membership():
    specs = specs_for(party_member="yes")
    assert [s.key for s in specs] == [*CLEARANCE, "party", "graduation"]
    party = specs[4]
    assert (party.office, party.group) == ("ZZB", "clearance")


@pytest.mark.parametrize(
    ("degree_level", "office", "label"),
    [
        ("本科", "JWC", "学籍与毕业资格确认"),
        ("本科生", "JWC", "学籍与毕业资格确认"),
        ("硕士", "YJSY", "学位与毕业资格确认"),
        ("博士", "YJSY", "学位与毕业资格确认"),
        ("研究生", "YJSY", "学位与毕业资格确认"),
        (None, "JWC", "学籍与毕业资格确认"),
    ],
)
def test_the_final_step_depends_on_the_degree_level(degree_level, office, label):
    final = specs_for(degree_level=degree_level)[-1]
    assert (final.key, final.office, final.label, final.group) == ("graduation", office, label, "")
    assert is_graduate_student(degree_level) is (office == "YJSY")


def test_no_automatic_decision_and_a_result_document():
    application = view(KEY, data=DATA, answers={"party_member": "yes"})
    assert handler().decide(application) is None
    document = handler().result(application)
    assert document.title == "毕业生离校手续办结单"
    assert document.fields["党员组织关系转出"] == "已办理"


def test_form():
    assert GraduationForm({"party_member": "yes"}).is_valid()
    assert GraduationForm({"party_member": "no", "forwarding_address": "杭州"}).is_valid()
    assert not GraduationForm({}).is_valid()
    assert not GraduationForm({"party_member": "maybe"}).is_valid()


# The bundle has no matter code of its own; the tests bind it to a catalog matter as an
# administrator would (any matter without a handler of its own).
MATTER = "SF-XB-002"


@warehouse_db
@pytest.mark.parametrize(
    "order",
    [
        ["library", "dormitory", "fees", "campus_card", "party"],
        ["party", "campus_card", "fees", "dormitory", "library"],
    ],
)
def test_the_final_step_starts_only_after_every_clearance(lifecycle, order):
    run = lifecycle(KEY, MATTER)
    run.submit({"party_member": "yes", "forwarding_address": ""})
    run.accept()
    assert run.states() == {**dict.fromkeys(order, "active"), "graduation": "waiting"}
    assert run.finish_group(order, "graduation").office_code == "JWC"
    assert run.finish("graduation").state == "approved"


@warehouse_db
def test_a_graduate_student_who_is_not_a_party_member(lifecycle):
    run = lifecycle(KEY, MATTER, degree_level="硕士")
    run.submit({"party_member": "no", "forwarding_address": ""})
    run.accept()
    assert run.states() == {**dict.fromkeys(CLEARANCE, "active"), "graduation": "waiting"}
    for key in reversed(CLEARANCE):
        run.finish(key)
    assert run.step("graduation").office_code == "YJSY"
    assert run.finish("graduation").state == "approved"
