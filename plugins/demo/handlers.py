"""The demo matter handler: every part of the plugin contract in one place.

It declares data needs (read from the warehouse with the applicant's consent and shown
read-only), a form that sees the application as the handler does, a parallel group of steps,
a step for one named person (an assignee), a step only an office head may finish, an automatic
decision (秒批) when the applicant asks for it, and its own result document.
"""

from __future__ import annotations

from django import forms

from campus_portal.plugin_api import (
    ApplicationForm,
    ApplicationView,
    Decision,
    MatterHandler,
    ResultDocument,
    StepSpec,
)

KEY = "xgb.demo_contract"
ASSIGNEE = "T-CONTRACT-1"  # the campus identity of the step's named person


class DemoForm(ApplicationForm):
    """What the applicant still types: the warehouse holds the rest."""

    route = forms.ChoiceField(
        label="办理方式", choices=[("instant", "秒批"), ("steps", "逐级审批")]
    )
    note = forms.CharField(label="备注", required=False, max_length=50)

    def clean_note(self) -> str:
        # The form sees the application as the handler does (the applicant's own data).
        note = self.cleaned_data["note"]
        if self.application is not None and note == self.application.data.get("person.name"):
            raise forms.ValidationError("备注不能只写姓名。")
        return note


class DemoHandler(MatterHandler):
    key = KEY
    office = "XGB"
    label = "插件契约示例事项"
    purpose = "插件契约示例"
    data_needs = ("person.name", "student.number", "student.status")
    form_class = DemoForm
    matter_codes = ()  # bound to no matter by default: an administrator binds it

    def steps(self, application: ApplicationView) -> list[StepSpec]:
        return [
            StepSpec("check_a", "XGB", "学工部核对", 2, group="checks"),
            # The named person comes from the form when it names one (``assignee`` is not a
            # form field: the contract test passes it in); the lifecycle checks them against
            # the warehouse and reports a refusal on ``assignee_field``.
            StepSpec(
                "check_b",
                "HQC",
                "后勤核对",
                2,
                group="checks",
                assignee=application.answers.get("assignee", ASSIGNEE),
                assignee_field="note",
            ),
            StepSpec("head", "XGB", "负责人审批", 1, decided_by="office_head"),
        ]

    def decide(self, application: ApplicationView) -> Decision | None:
        if application.answers.get("route") != "instant":
            return None
        return Decision(approved=application.data.get("student.status") == "在读", reason="")

    def result(self, application: ApplicationView) -> ResultDocument:
        return ResultDocument(
            title="插件契约示例结果", body=str(application.data.get("person.name"))
        )
