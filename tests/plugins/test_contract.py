"""The shipped demo plugin (plugins/demo/) uses every part of the contract; what the core
promises it in return.

Its handler declares data needs, a form that looks at the application, a parallel group,
a head-only step, a named assignee, an automatic decision and a result; receivers subscribe to
the office-scoped signals. The tests check the promises of docs/plugins.md: receivers hear only
about their office's applications, only after the transition committed, and a failing receiver
is logged without undoing or blocking anything.
"""

from __future__ import annotations

import logging

import pytest
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

import plugins.demo
from campus_portal.applications import services
from campus_portal.applications.assignees import AssigneeRefused
from campus_portal.applications.models import Application
from campus_portal.plugin_api import CORE_VERSION, ApplicationView, registry, signals
from campus_portal.plugin_api.metadata import plugin_meta_problems, plugins_verify
from data_warehouse.models import Person
from plugins.demo.apps import DemoConfig
from plugins.demo.handlers import ASSIGNEE, DemoForm, DemoHandler
from plugins.demo.receivers import RECEIVERS
from tests.plugins.conftest import staff_record, warehouse_db, warehouse_student

MATTER = "SF-XGB-006"
KEY = DemoHandler.key
ContractForm = DemoForm


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
    registry.register(DemoHandler)
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


# --- Metadata, checked at start-up ---------------------------------------------------------


def test_the_demo_plugin_is_off_by_default():
    assert not any(name.startswith("plugins.demo") for name in settings.INSTALLED_APPS)
    assert KEY not in registry


def test_every_installed_plugin_fits_this_core():
    plugins_verify(apps.get_app_configs())  # raises on the first misfit
    installed = [c for c in apps.get_app_configs() if c.name.startswith("plugins.")]
    assert installed and all(plugin_meta_problems(c) == [] for c in installed)


def test_the_demo_plugin_describes_itself():
    config = DemoConfig("plugins.demo", plugins.demo)
    assert plugin_meta_problems(config) == []
    assert config.PluginMeta.version == "1.0" and CORE_VERSION == "1.0"
    # The next major version of the contract would not start with it.
    assert plugin_meta_problems(config, core_version="2.0") == [
        "written for core >=1.0,<2, this core is 2.0"
    ]


class _Config:
    """Stands for a plugin's AppConfig in the start-up check."""

    def __init__(self, name: str, meta=None) -> None:
        self.name = name
        if meta is not None:
            self.PluginMeta = meta


def test_a_plugin_without_or_with_bad_metadata_stops_the_start_up():
    class Broken:
        name = ""
        version = "one"
        compatibility = "about 1"

    with pytest.raises(ImproperlyConfigured) as stopped:
        plugins_verify(
            [
                _Config("plugins.nameless"),
                _Config("plugins.broken", Broken),
                _Config("campus_portal.catalog"),  # not a plugin: never asked
            ]
        )
    message = str(stopped.value)
    assert "plugins.nameless: no PluginMeta" in message
    assert "plugins.broken: PluginMeta.name is missing" in message
    assert "PluginMeta.version 'one' is not a version" in message
    assert "PluginMeta.compatibility 'about 1' is not a range" in message
    assert "catalog" not in message


@warehouse_db
def test_switched_on_the_demo_registers_its_handler_and_hears_its_office(
    lifecycle, django_capture_on_commit_callbacks, caplog
):
    config = DemoConfig("plugins.demo", plugins.demo)
    config.ready()
    # The demo's named person must be active staff (the lifecycle checks it at submission).
    staff_record(Person.objects.create(uid=ASSIGNEE, name="后勤老师"), number=ASSIGNEE)
    try:
        assert isinstance(registry.get(KEY), DemoHandler)
        life = lifecycle(KEY, MATTER)
        with (
            caplog.at_level(logging.INFO, logger="plugins.demo.receivers"),
            django_capture_on_commit_callbacks(execute=True),
        ):
            application = life.submit({"route": "instant", "note": "ok"})
        assert application.state == Application.State.APPROVED
        assert f"demo plugin heard application_submitted for {application.reference}" in caplog.text
        assert f"demo plugin heard application_decided for {application.reference}" in caplog.text
    finally:
        registry.unregister(KEY)
        for name, receiver in RECEIVERS.items():
            getattr(signals, name).disconnect(receiver, office="XGB")


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
