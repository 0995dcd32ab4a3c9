"""A test plugin that uses every part of the contract, and what the core promises it in return.

The handler below declares data needs, a form that looks at the application, a parallel group,
a head-only step, a named assignee, an automatic decision and a result; receivers subscribe to
the office-scoped signals. The tests check the promises of docs/plugins.md: receivers hear only
about their office's applications, only after the transition committed, and a failing receiver
is logged without undoing or blocking anything.
"""

from __future__ import annotations

import logging

import pytest
from django import forms

from campus_portal.applications import services
from campus_portal.applications.assignees import AssigneeRefused
from campus_portal.applications.models import Application
from campus_portal.plugin_api import (
    ApplicationForm,
    ApplicationView,
    Decision,
    MatterHandler,
    ResultDocument,
    StepSpec,
    registry,
    signals,
)
from data_warehouse.models import Person
from tests.plugins.conftest import staff_record, warehouse_db, warehouse_student

KEY = "xgb.contract_test"
MATTER = "SF-XGB-006"
ASSIGNEE = "T-CONTRACT-1"


class ContractForm(ApplicationForm):
    route = forms.ChoiceField(choices=[("instant", "秒批"), ("steps", "逐级审批")])
    note = forms.CharField(required=False, max_length=50)

    def clean_note(self) -> str:
        # The form sees the application as the handler does (the applicant's own data).
        note = self.cleaned_data["note"]
        if self.application is not None and note == self.application.data.get("person.name"):
            raise forms.ValidationError("备注不能只写姓名。")
        return note


class ContractHandler(MatterHandler):
    key = KEY
    office = "XGB"
    label = "契约测试事项"
    purpose = "插件契约测试"
    data_needs = ("person.name", "student.number", "student.status")
    form_class = ContractForm

    def steps(self, application: ApplicationView) -> list[StepSpec]:
        return [
            StepSpec("check_a", "XGB", "学工部核对", 2, group="checks"),
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
        return ResultDocument(title="契约测试结果", body=str(application.data.get("person.name")))


class Heard:
    """Receivers that write down what they heard, per office."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, dict]] = []

    def receiver(self, office: str, signal_name: str):
        def receive(*, application: ApplicationView, **details) -> None:
            self.calls.append((office, signal_name, {"ref": application.reference, **details}))

        return receive

    def names(self, office: str) -> list[str]:
        return [name for heard_office, name, _ in self.calls if heard_office == office]


SIGNALS = {
    "application_submitted": signals.application_submitted,
    "step_finished": signals.step_finished,
    "application_decided": signals.application_decided,
    "application_withdrawn": signals.application_withdrawn,
}


@pytest.fixture
def contract(lifecycle):
    registry.register(ContractHandler)
    heard = Heard()
    connected = []
    for office in ("XGB", "HQC", "TSG"):  # TSG never works on this matter
        for name, signal in SIGNALS.items():
            receiver = heard.receiver(office, name)
            signal.connect(receiver, office=office)
            connected.append((signal, receiver, office))
    staff_record(Person.objects.create(uid=ASSIGNEE, name="后勤老师"), number=ASSIGNEE)
    try:
        yield lifecycle(KEY, MATTER), heard
    finally:
        for signal, receiver, office in connected:
            signal.disconnect(receiver, office=office)
        registry.unregister(KEY)


@warehouse_db
def test_the_whole_contract_from_form_to_decision(contract, django_capture_on_commit_callbacks):
    life, heard = contract
    with django_capture_on_commit_callbacks(execute=True):
        application = life.submit({"route": "steps", "note": ""})
    assert application.state == Application.State.SUBMITTED
    assert heard.names("XGB") == ["application_submitted"]
    assert heard.names("HQC") == []  # no step yet: HQC is not involved before acceptance

    with django_capture_on_commit_callbacks(execute=True):
        life.accept()
        assert life.states() == {"check_a": "active", "check_b": "active", "head": "waiting"}
        assert life.step("check_b").assignee_uid == ASSIGNEE
        life.finish("check_b")
        life.finish("check_a")
        assert life.step("head").state == "active"
        application = life.finish("head")  # by an office head: decided_by="office_head"
    assert application.state == Application.State.APPROVED
    assert heard.names("XGB") == [
        "application_submitted",
        "step_finished",
        "step_finished",
        "step_finished",
        "application_decided",
    ]
    # HQC has a step, so it hears about this application from then on.
    assert "application_decided" in heard.names("HQC")
    assert heard.names("TSG") == []
    finished = [d for office, name, d in heard.calls if office == "XGB" and name == "step_finished"]
    assert [(d["step_key"], d["office"], d["approved"]) for d in finished] == [
        ("check_b", "HQC", True),
        ("check_a", "XGB", True),
        ("head", "XGB", True),
    ]


@warehouse_db
def test_instant_decision_and_the_form_sees_the_application(contract):
    life, _heard = contract
    view = ApplicationView(
        reference="XW-T",
        handler_key=KEY,
        applicant_uid="x",
        data={"person.name": "张晓明"},
        answers={},
    )
    form = ContractForm({"route": "instant", "note": "张晓明"}, application=view)
    assert not form.is_valid() and "note" in form.errors
    application = life.submit({"route": "instant", "note": "ok"})
    assert application.state == Application.State.APPROVED
    assert application.snapshot["student.status"]["value"] == "在读"


@warehouse_db
def test_receivers_run_after_commit_only(contract, django_capture_on_commit_callbacks):
    life, heard = contract
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        life.submit({"route": "steps"})
    assert heard.calls == []  # nothing heard before the commit
    for callback in callbacks:
        callback()
    assert heard.names("XGB") == ["application_submitted"]


@warehouse_db
def test_a_failing_receiver_is_logged_and_blocks_nothing(
    contract, django_capture_on_commit_callbacks, caplog
):
    life, heard = contract

    def broken(**_details) -> None:
        raise RuntimeError("plugin bug")

    signals.application_withdrawn.connect(broken, office="XGB")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            application = life.submit({"route": "steps"})
        with (
            caplog.at_level(logging.ERROR, logger="campus_portal.plugin_api.signals"),
            django_capture_on_commit_callbacks(execute=True),
        ):
            services.application_withdraw(application, actor=life.applicant)
    finally:
        signals.application_withdrawn.disconnect(broken, office="XGB")
    application.refresh_from_db()
    assert application.state == Application.State.WITHDRAWN
    assert "plugin bug" in caplog.text
    # The other receivers of the same signal still ran.
    assert heard.names("XGB")[-1] == "application_withdrawn"


@warehouse_db
@pytest.mark.parametrize("who", ["applicant", "student", "nobody", "retired"])
def test_every_named_assignee_must_be_active_staff_and_not_the_applicant(contract, who):
    """The lifecycle holds every handler to the rule, not only 日常费用报销: the applicant, a
    student, a number nobody holds and a member of staff who left are refused at submission,
    on the form field the step names; nothing is submitted."""
    life, _heard = contract
    uid = {
        "applicant": life.person.uid,
        "student": warehouse_student(uid="2023999999").uid,
        "nobody": "T-NOBODY",
        "retired": ASSIGNEE,
    }[who]
    if who == "retired":
        Person.objects.filter(uid=ASSIGNEE).update(active=False)
    with pytest.raises(AssigneeRefused) as refused:
        life.submit({"route": "steps", "note": "", "assignee": uid})
    assert list(refused.value.problems) == ["note"]
    assert "后勤核对" in str(refused.value)
    assert not Application.objects.filter(state=Application.State.SUBMITTED).exists()
