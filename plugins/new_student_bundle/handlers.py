"""新生入学一件事: one application for arriving at the university, handled by several offices.

Why it is shaped like this (shared/reference/one_things.yaml, bundle "新生入学一件事"):

- The new student applies once; 教务处 (JWC) owns the application. The arrival tasks run **in
  parallel** (one ``group``): 后勤保障处 assigns the dormitory, 信息化中心 opens the campus card
  and the campus account, 财务处 records the tuition payment (or the 绿色通道 deferral); only
  when the student moves their household registration to the campus, 保卫处 handles the
  collective household (SF-BWC-001); only for party members, 党委组织部 takes over the party
  membership (SF-ZZB-002).
- The final step, 报到注册 at 教务处, starts once all of them are done.
- Household transfer and party membership are not in the warehouse: the form asks.
- Time limits follow the list's promised limits where the step is a listed matter (SF-BWC-001:
  15 working days, SF-ZZB-002: 5), and 3 working days for the rest.
- The bundle has no row in the micro-power list; its catalog matter YJS-JWC-002 is created
  from one_things.yaml (``catalog.bundles``) and ``matter_codes`` names it (docs/plugins.md,
  "Bindings").
- Not fully online (``is_fully_online``): the student registers and moves in in person.
"""

from __future__ import annotations

from django import forms

from campus_portal.plugin_api import (
    ApplicationView,
    MatterHandler,
    ResultDocument,
    StepSpec,
    is_yes,
    party_member_field,
    registry,
    yes_no_field,
)

ARRIVAL = "arrival"


class NewStudentForm(forms.Form):
    household_transfer = yes_no_field("是否将户口迁入学校集体户")
    party_member = party_member_field("党员需同时办理党员组织关系转入")
    arrival_date = forms.DateField(
        label="预计到校日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


@registry.register
class NewStudentBundle(MatterHandler):
    key = "jwc.new_student_bundle"
    office = "JWC"
    label = "新生入学一件事"
    purpose = "新生入学手续联办"
    matter_codes = ("YJS-JWC-002",)  # the bundle's own catalog matter (one_things.yaml)
    data_needs = (
        "person.name",
        "person.gender",
        "student.number",
        "student.school",
        "student.major",
        "student.degree_level",
    )
    form_class = NewStudentForm

    def steps(self, application: ApplicationView) -> list[StepSpec]:
        answers = application.answers
        steps = []
        if is_yes(answers, "household_transfer"):
            steps.append(StepSpec("household", "BWC", "学生集体户口迁入", 15, group=ARRIVAL))
        steps += [
            StepSpec("dormitory", "HQC", "宿舍分配与入住", 3, group=ARRIVAL),
            StepSpec("accounts", "XXZX", "校园卡与统一身份账号开通", 3, group=ARRIVAL),
            StepSpec("fees", "CWC", "学费缴纳或绿色通道", 3, group=ARRIVAL),
        ]
        if is_yes(answers, "party_member"):
            steps.append(StepSpec("party", "ZZB", "党员组织关系转入", 5, group=ARRIVAL))
        steps.append(StepSpec("registration", "JWC", "报到注册", 3))
        return steps

    def is_fully_online(self, matter) -> bool:
        """No: the new student registers in person (报到注册) and moves into the dormitory."""
        return False

    def result(self, application: ApplicationView) -> ResultDocument:
        data = application.data
        return ResultDocument(
            title="新生入学报到确认单",
            body=(
                f"{data.get('person.name')}（学号 {data.get('student.number')}，"
                f"{data.get('student.school')} {data.get('student.major')} 专业）"
                "已完成入学报到注册。欢迎你！"
            ),
            fields={"学历层次": str(data.get("student.degree_level", ""))},
        )
