from __future__ import annotations

import datetime as dt

import pytest

from campus_portal.plugin_api import registry
from plugins.student_leave.handlers import LeaveForm, leave_days
from tests.plugins.conftest import step_keys, view

KEY = "xgb.student_leave"
DATA = {
    "person.name": "张晓明",
    "student.number": "2023010101",
    "student.school": "计算机学院",
    "student.class": "软件2301",
    "student.status": "在读",
}


def answers(start: str, end: str) -> dict:
    return {"start_date": start, "end_date": end, "reason": "回家", "destination": "杭州"}


def handler():
    return registry.get(KEY)


@pytest.mark.parametrize(
    ("start", "end", "days", "keys"),
    [
        ("2026-03-02", "2026-03-02", 1, ["counsellor"]),
        ("2026-03-02", "2026-03-04", 3, ["counsellor"]),
        ("2026-03-02", "2026-03-05", 4, ["counsellor", "school"]),
        ("2026-03-06", "2026-03-09", 4, ["counsellor", "school"]),  # Friday to Monday
    ],
)
def test_long_leave_adds_the_heads_approval_after_the_counsellor(start, end, days, keys):
    application = view(KEY, data=DATA, answers=answers(start, end))
    assert leave_days(application.answers) == days
    specs = handler().steps(application)
    assert step_keys(specs) == keys
    assert specs[0].office == "XGB" and specs[0].time_limit_days == 1
    if len(specs) == 2:
        school = specs[1]
        assert (school.office, school.decided_by, school.group) == ("XGB", "office_head", "")
        assert school.label == "学院/学工部负责人审批"


def test_dates_may_arrive_as_dates_or_iso_strings():
    as_dates = {"start_date": dt.date(2026, 3, 2), "end_date": dt.date(2026, 3, 6)}
    assert leave_days(as_dates) == 5
    assert leave_days({}) == 0
    assert leave_days({"start_date": "garbage", "end_date": "2026-03-06"}) == 0


def test_nothing_is_decided_automatically():
    application = view(KEY, data=DATA, answers=answers("2026-03-02", "2026-03-02"))
    assert handler().decide(application) is None


def test_result_document():
    document = handler().result(view(KEY, data=DATA, answers=answers("2026-03-02", "2026-03-05")))
    assert document.title == "学生请假批准单"
    assert "4 天" in document.body
    assert document.fields["去向"] == "杭州"


def test_form_refuses_an_end_before_the_start():
    form = LeaveForm(answers("2026-03-05", "2026-03-04"))
    assert not form.is_valid()
    assert "结束日期不能早于开始日期。" in form.errors["end_date"]


def test_form_accepts_a_one_day_leave_and_requires_everything():
    assert LeaveForm(answers("2026-03-05", "2026-03-05")).is_valid()
    form = LeaveForm({})
    assert not form.is_valid()
    assert set(form.errors) == {"start_date", "end_date", "reason", "destination"}


pytestmark_db = pytest.mark.django_db(databases=["default", "warehouse"])


@pytestmark_db
def test_short_leave_through_the_lifecycle(lifecycle):
    run = lifecycle(KEY, "SF-XGB-006")
    assert run.submit(answers("2026-03-02", "2026-03-03")).state == "submitted"
    run.accept()
    assert run.states() == {"counsellor": "active"}
    assert run.finish("counsellor").state == "approved"


@pytestmark_db
def test_long_leave_needs_the_head_after_the_counsellor(lifecycle):
    from django.core.exceptions import PermissionDenied

    from campus_portal.applications import services

    run = lifecycle(KEY, "SF-XGB-006")
    run.submit(answers("2026-03-02", "2026-03-09"))
    run.accept()
    assert run.states() == {"counsellor": "active", "school": "waiting"}
    assert run.finish("counsellor").state == "in_progress"
    assert run.states() == {"counsellor": "approved", "school": "active"}
    # Ordinary XGB staff may not finish the head's step.
    with pytest.raises(PermissionDenied):
        services.step_finish(run.step("school"), actor=run.staff("XGB"), approved=True)
    assert run.finish("school").state == "approved"


@pytestmark_db
def test_a_refusal_by_the_counsellor_ends_it(lifecycle):
    run = lifecycle(KEY, "SF-XGB-006")
    run.submit(answers("2026-03-02", "2026-03-09"))
    run.accept()
    application = run.finish("counsellor", approved=False, comment="考试周不予准假")
    assert application.state == "rejected"
    assert application.decision_reason == "考试周不予准假"
    assert run.states() == {"counsellor": "rejected", "school": "cancelled"}
