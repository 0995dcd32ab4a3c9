"""学生宿舍调换 (SF-HQC-001): the counsellor agrees, then 后勤保障处 allocates a room.

Why it is shaped like this:

- 后勤保障处 (HQC) owns the matter and the rooms, so the handler is HQC's; but a move is first
  a student-affairs question (roommate conflict, health, …), which the counsellor (学生工作部,
  XGB) judges. The two steps run one after the other: HQC only looks for a bed once the
  counsellor has agreed. Limits add up to the list's promised 3 working days.
- The current room comes from the warehouse (``student.dormitory``), never from the form. It
  is a *sensitive* item, so HQC's data steward must grant it unmasked: the allocator needs the
  real room number to free the bed.
- Nothing is decided automatically: whether a bed is free is known only to the allocator.
"""

from __future__ import annotations

from django import forms

from campus_portal.plugin_api import (
    ApplicationView,
    MatterHandler,
    ResultDocument,
    StepSpec,
    registry,
)


class DormitoryChangeForm(forms.Form):
    reason = forms.CharField(label="调换原因", max_length=500, widget=forms.Textarea)
    preferred_building = forms.CharField(
        label="意向楼栋",
        max_length=100,
        required=False,
        help_text="例如：紫金港 5 舍；不填表示服从分配",
    )


@registry.register
class DormitoryChange(MatterHandler):
    key = "hqc.dormitory_change"
    office = "HQC"
    label = "学生宿舍调换"
    purpose = "学生宿舍调换审核与分配"
    matter_codes = ("SF-HQC-001",)
    data_needs = (
        "person.name",
        "person.gender",
        "student.number",
        "student.school",
        "student.class",
        "student.dormitory",
    )
    form_class = DormitoryChangeForm

    def steps(self, application: ApplicationView) -> list[StepSpec]:
        return [
            StepSpec("counsellor", "XGB", "辅导员审核", time_limit_days=1),
            StepSpec("allocation", "HQC", "后勤保障处宿舍分配", time_limit_days=2),
        ]

    def result(self, application: ApplicationView) -> ResultDocument:
        data, answers = application.data, application.answers
        return ResultDocument(
            title="学生宿舍调换通知",
            body=(
                f"{data.get('person.name')}（学号 {data.get('student.number')}）的宿舍调换申请"
                "已获批准。新宿舍见分配意见，请在三个工作日内办理入住并交还原宿舍钥匙。"
            ),
            fields={
                "原宿舍": str(data.get("student.dormitory", "")),
                "意向楼栋": str(answers.get("preferred_building", "")) or "服从分配",
            },
        )
