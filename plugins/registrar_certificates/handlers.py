"""在读证明开具: decided on the spot (秒批) when the warehouse says the student is enrolled."""

from __future__ import annotations

from django import forms

from campus_portal.plugin_api import (
    ApplicationView,
    Decision,
    MatterHandler,
    ResultDocument,
    StepSpec,
    registry,
)

ENROLLED = "在读"


class EnrollmentCertificateForm(forms.Form):
    """Only what the university cannot know: what the certificate is for, and how many."""

    use = forms.CharField(
        label="证明用途", max_length=100, help_text="例如：办理签证、实习单位要求"
    )
    copies = forms.IntegerField(label="份数", min_value=1, max_value=5, initial=1)


@registry.register
class EnrollmentCertificate(MatterHandler):
    key = "jwc.enrollment_certificate"
    office = "JWC"
    label = "在读证明开具"
    purpose = "开具在读证明"
    matter_codes = ("SF-JWC-001", "SF-JWC-002")
    data_needs = (
        "person.name",
        "person.gender",
        "student.number",
        "student.school",
        "student.major",
        "student.degree_level",
        "student.grade_year",
        "student.status",
    )
    form_class = EnrollmentCertificateForm

    def steps(self, application: ApplicationView) -> list[StepSpec]:
        # Reached only when the automatic decision could not be made.
        return [StepSpec("registrar_check", "JWC", "教务处核验学籍", time_limit_days=1)]

    def decide(self, application: ApplicationView) -> Decision | None:
        status = application.data.get("student.status")
        if status == ENROLLED:
            return Decision(approved=True)
        if status:
            return Decision(
                approved=False,
                reason=f"学籍状态为“{status}”，不能开具在读证明；如有疑问请咨询教务处。",
            )
        return None  # no record: staff check by hand

    def result(self, application: ApplicationView) -> ResultDocument:
        data = application.data
        body = (
            f"兹证明 {data.get('person.name')}（学号 {data.get('student.number')}），"
            f"系我校 {data.get('student.school')} {data.get('student.major')} 专业 "
            f"{data.get('student.grade_year')} 级 {data.get('student.degree_level')} 在读学生。"
        )
        return ResultDocument(
            title="在读证明",
            body=body,
            fields={"用途": str(application.answers.get("use", ""))},
        )
