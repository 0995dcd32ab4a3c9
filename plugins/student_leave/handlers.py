"""学生请假 (SF-XGB-006): the counsellor approves; leave of more than 3 days also needs a head.

Why it is shaped like this:

- The list's process is "学生申请→辅导员审批（3天以上学院审批）". Counsellors belong to 学生工作部
  (XGB), so the first step is XGB's, with one working day (the promised limit).
- Schools are not offices in the catalog (the micro-power list has no school codes), so the
  "学院审批" of long leave is a second XGB step that only an office head may finish
  (``decided_by="office_head"``): the school's deputy secretary for student affairs holds that
  role for XGB. It comes after the counsellor, never in parallel: the head decides on a request
  the counsellor has already checked.
- "More than 3 days" counts calendar days, both ends included (a Friday-to-Monday leave is 4
  days): a student away over a weekend is still away.
- Nothing is decided automatically: whether a student may leave is a person's judgement.
"""

from __future__ import annotations

import datetime as dt

from django import forms

from campus_portal.plugin_api import (
    ApplicationView,
    MatterHandler,
    ResultDocument,
    StepSpec,
    registry,
)

#: Leave of more than this many days also needs the head's approval.
COUNSELLOR_ONLY_DAYS = 3


class LeaveForm(forms.Form):
    start_date = forms.DateField(label="开始日期", widget=forms.DateInput(attrs={"type": "date"}))
    end_date = forms.DateField(label="结束日期", widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label="请假事由", max_length=500, widget=forms.Textarea)
    destination = forms.CharField(label="去向", max_length=200, help_text="请假期间所在地")

    def clean(self) -> dict:
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "结束日期不能早于开始日期。")
        return cleaned


def _date(value) -> dt.date | None:
    """Answers are stored as JSON: dates arrive as ISO strings (or as dates, in tests)."""
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def leave_days(answers) -> int:
    """Calendar days of leave, both ends included (0 when the dates are missing)."""
    start, end = _date(answers.get("start_date")), _date(answers.get("end_date"))
    if start is None or end is None or end < start:
        return 0
    return (end - start).days + 1


@registry.register
class StudentLeave(MatterHandler):
    key = "xgb.student_leave"
    office = "XGB"
    label = "学生请假"
    purpose = "学生请假审批"
    matter_codes = ("SF-XGB-006",)
    data_needs = (
        "person.name",
        "student.number",
        "student.school",
        "student.class",
        "student.status",
    )
    form_class = LeaveForm

    def steps(self, application: ApplicationView) -> list[StepSpec]:
        steps = [StepSpec("counsellor", "XGB", "辅导员审批", time_limit_days=1)]
        if leave_days(application.answers) > COUNSELLOR_ONLY_DAYS:
            steps.append(
                StepSpec(
                    "school",
                    "XGB",
                    "学院/学工部负责人审批",
                    time_limit_days=1,
                    decided_by="office_head",
                )
            )
        return steps

    def result(self, application: ApplicationView) -> ResultDocument:
        data, answers = application.data, application.answers
        return ResultDocument(
            title="学生请假批准单",
            body=(
                f"{data.get('person.name')}（学号 {data.get('student.number')}，"
                f"{data.get('student.school')} {data.get('student.class')}）"
                f"请假 {leave_days(answers)} 天，已批准。请按时销假。"
            ),
            fields={
                "开始日期": str(answers.get("start_date", "")),
                "结束日期": str(answers.get("end_date", "")),
                "去向": str(answers.get("destination", "")),
                "事由": str(answers.get("reason", "")),
            },
        )
