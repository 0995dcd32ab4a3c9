"""毕业生离校一件事: one application for leaving the university, handled by several offices.

Why it is shaped like this (shared/reference/one_things.yaml, bundle "毕业生离校一件事"):

- The graduate applies once; 教务处 (JWC) owns the application and accepts it, then the clearance
  offices work **in parallel** (one ``group``): 图书馆 returns books (SF-TSG-001), 后勤保障处
  checks the graduate out of the dormitory (SF-HQC-003), 财务处 settles fees, 信息化中心 closes
  the campus card and refunds its balance, and — only for party members — 党委组织部 transfers
  the party membership (SF-ZZB-001).
- Only when every clearance is done does the final step start: 学籍与毕业资格确认 at 教务处 for
  undergraduates, 学位与毕业资格确认 at 研究生院 (YJSY) for graduate students, chosen from the
  warehouse's ``student.degree_level`` (本科 → JWC; 硕士/博士/研究生 → YJSY). A record without
  a degree level goes to JWC, whose staff can see the file.
- Party membership is not in the warehouse, so the applicant answers it on the form.
- Each step has 3 working days; the whole bundle is therefore decided within 6 working days
  of acceptance, well inside the separate matters' limits added up.
- The bundle has no row in the micro-power list; its catalog matter YJS-JWC-001 is created
  from one_things.yaml (``catalog.bundles``), so ``matter_codes`` names that code and the
  binding is made like any other (docs/plugins.md, "Bindings").
- Not fully online (``is_fully_online``): books are returned and the dormitory handed over in
  person.
- Nothing is decided automatically: every office has something to check.
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
)

CLEARANCE = "clearance"
DAYS = 3
GRADUATE_MARKERS = ("研究生", "硕", "博")


class GraduationForm(forms.Form):
    party_member = party_member_field("党员需同时办理党员组织关系转出")
    forwarding_address = forms.CharField(
        label="离校后通讯地址",
        max_length=200,
        required=False,
        help_text="用于寄送毕业证书、学位证书等材料",
    )


def is_graduate_student(degree_level) -> bool:
    """硕士, 博士 and anything called 研究生 are graduate students; everything else is not."""
    return any(marker in str(degree_level or "") for marker in GRADUATE_MARKERS)


@registry.register
class GraduationBundle(MatterHandler):
    key = "jwc.graduation_bundle"
    office = "JWC"
    label = "毕业生离校一件事"
    purpose = "毕业生离校手续联办"
    matter_codes = ("YJS-JWC-001",)  # the bundle's own catalog matter (one_things.yaml)
    data_needs = (
        "person.name",
        "student.number",
        "student.school",
        "student.major",
        "student.degree_level",
        "student.status",
        "student.dormitory",
    )
    form_class = GraduationForm

    def steps(self, application: ApplicationView) -> list[StepSpec]:
        steps = [
            StepSpec("library", "TSG", "离校图书清还", DAYS, group=CLEARANCE),
            StepSpec("dormitory", "HQC", "毕业生退宿办理", DAYS, group=CLEARANCE),
            StepSpec("fees", "CWC", "学费与欠费结清", DAYS, group=CLEARANCE),
            StepSpec("campus_card", "XXZX", "校园卡注销与余额退还", DAYS, group=CLEARANCE),
        ]
        if is_yes(application.answers, "party_member"):
            steps.append(StepSpec("party", "ZZB", "党员组织关系转出", DAYS, group=CLEARANCE))
        if is_graduate_student(application.data.get("student.degree_level")):
            steps.append(StepSpec("graduation", "YJSY", "学位与毕业资格确认", DAYS))
        else:
            steps.append(StepSpec("graduation", "JWC", "学籍与毕业资格确认", DAYS))
        return steps

    def is_fully_online(self, matter) -> bool:
        """No: the graduate returns the books and hands the dormitory over in person."""
        return False

    def result(self, application: ApplicationView) -> ResultDocument:
        data, answers = application.data, application.answers
        return ResultDocument(
            title="毕业生离校手续办结单",
            body=(
                f"{data.get('person.name')}（学号 {data.get('student.number')}，"
                f"{data.get('student.school')} {data.get('student.major')} 专业）"
                "已办结图书清还、退宿、费用结清、校园卡注销等离校手续，准予离校。"
            ),
            fields={
                "学历层次": str(data.get("student.degree_level", "")),
                "党员组织关系转出": "已办理" if is_yes(answers, "party_member") else "不涉及",
                "离校后通讯地址": str(answers.get("forwarding_address", "")),
            },
        )
