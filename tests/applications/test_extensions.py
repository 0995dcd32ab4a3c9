"""Time extensions (延期) and escalation to the campus supervisors (督办), with a frozen clock
across the 2026 National Day holiday and its adjusted working Saturday (调休, 2026-10-10).

The test matter's statutory limit is set to 8 working days: its 3-day step, accepted on
2026-09-30, is due on Saturday 10-10 and may be extended by at most 5 working days (to 10-16).
"""

# ruff: noqa: F811  (fixtures imported from other test modules are parameters here)
from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.db import connection

from campus_portal.applications import deadlines, services
from campus_portal.applications.models import Event, Step, StepExtension, SupervisionInstruction
from campus_portal.audit.models import SecurityEvent
from campus_portal.audit.selectors import audit_chain_verify
from campus_portal.catalog.models import MatterPage
from campus_portal.notifications.models import Notification
from tests.applications.test_deadlines import (  # noqa: F401  (fixtures)
    accepted,
    at,
    handler,
    head,
    staff,
)
from tests.workbench.conftest import (  # noqa: F401  (fixtures)
    MATTER_CODE,
    applicant,
    staff_user,
    student,
)

pytestmark = pytest.mark.django_db(databases=["default", "warehouse"])
Kind = Event.Kind


@pytest.fixture
def statutory_eight(db):
    MatterPage.objects.filter(code=MATTER_CODE).update(legal_time_limit=8, promised_time_limit=1)


@pytest.fixture
def step(statutory_eight, accepted):
    return accepted()


@pytest.fixture
def supervisor(db):
    return staff_user("dubanren", ("supervisor", ""))


def _denials(via: str) -> int:
    return SecurityEvent.objects.filter(
        kind=SecurityEvent.Kind.PERMISSION_DENIED, detail__via=via
    ).count()


def test_the_step_knows_when_its_statutory_limit_ends(step):
    assert step.due_at == at(2026, 10, 10, 23, 59, 59, 999999)  # the adjusted Saturday
    # Five more working days after Saturday 10-10: Sunday 10-11 is a rest day.
    assert step.statutory_due_at == at(2026, 10, 16, 23, 59, 59, 999999)
    assert services.extension_days_left(step) == 5


def test_an_approved_extension_moves_the_due_date_and_tells_the_applicant(
    step,
    staff,
    head,
    applicant,
):
    with time_machine.travel(at(2026, 10, 9, 9, 0), tick=False):
        extension = services.step_extension_request(
            step, actor=staff, days="2", reason="需要调取档案原件"
        )
        asked = Notification.objects.filter(kind=Notification.Kind.EXTENSION_REQUESTED)
        assert list(asked.values_list("recipient__username", flat=True)) == ["xgb-head"]
        services.step_extension_decide(extension, actor=head, approve=True)
    step.refresh_from_db()
    extension.refresh_from_db()
    assert extension.state == StepExtension.State.APPROVED
    assert extension.previous_due_at == at(2026, 10, 10, 23, 59, 59, 999999)
    assert step.due_at == extension.new_due_at == at(2026, 10, 13, 23, 59, 59, 999999)
    assert (step.extended_days, step.time_limit_days) == (2, 5)
    assert step.statutory_due_at == at(2026, 10, 16, 23, 59, 59, 999999)  # unchanged
    assert step.application.events.filter(kind=Kind.EXTENDED, detail__days=2).exists()
    told = Notification.objects.get(recipient=applicant, kind=Notification.Kind.EXTENDED)
    assert "2026-10-13" in told.body and "需要调取档案原件" in told.body


def test_an_extension_counts_against_the_due_date_sweeps(step, staff, head):
    """Once extended, the step is not overdue on its old due date."""
    extension = services.step_extension_request(step, actor=staff, days=2, reason="等待外单位")
    services.step_extension_decide(extension, actor=head, approve=True)
    assert deadlines.steps_mark_overdue(at(2026, 10, 12, 9, 0)) == 0
    assert deadlines.steps_mark_overdue(at(2026, 10, 14, 0, 30)) == 1


def test_an_extension_past_the_statutory_limit_is_refused_and_changes_nothing(
    step,
    staff,
):
    before = (Event.objects.count(), step.due_at)
    with pytest.raises(services.TransitionRefused, match="最多还能延长 5 个工作日"):
        services.step_extension_request(step, actor=staff, days=6, reason="太忙")
    step.refresh_from_db()
    assert (Event.objects.count(), step.due_at) == before
    assert not StepExtension.objects.exists()
    assert _denials("extension_request") == 1


def test_granted_days_add_up_towards_the_statutory_limit(step, staff, head):
    first = services.step_extension_request(step, actor=staff, days=3, reason="第一次")
    services.step_extension_decide(first, actor=head, approve=True)
    with pytest.raises(services.TransitionRefused, match="最多还能延长 2 个工作日"):
        services.step_extension_request(step, actor=staff, days=3, reason="第二次")


@pytest.mark.parametrize("days", ["0", "-1", "abc", "", None])
def test_a_request_needs_a_number_of_working_days(step, staff, days):
    with pytest.raises(services.TransitionRefused, match="请填写延长的工作日数"):
        services.step_extension_request(step, actor=staff, days=days, reason="理由")


def test_a_request_needs_a_reason_and_one_waits_at_a_time(step, staff):
    with pytest.raises(services.TransitionRefused, match="请填写延期理由"):
        services.step_extension_request(step, actor=staff, days=1, reason="  ")
    services.step_extension_request(step, actor=staff, days=1, reason="理由")
    with pytest.raises(services.TransitionRefused, match="已有一项延期申请"):
        services.step_extension_request(step, actor=staff, days=1, reason="理由")
    assert StepExtension.objects.count() == 1


def test_a_refused_extension_keeps_the_date_and_tells_the_office(step, staff, head):
    extension = services.step_extension_request(step, actor=staff, days=2, reason="理由")
    with pytest.raises(services.TransitionRefused, match="请填写拒绝延期的理由"):
        services.step_extension_decide(extension, actor=head, approve=False, reason="")
    services.step_extension_decide(
        extension, actor=head, approve=False, reason="材料已齐，按期办结"
    )
    step.refresh_from_db()
    extension.refresh_from_db()
    assert extension.state == StepExtension.State.REFUSED
    assert step.due_at == at(2026, 10, 10, 23, 59, 59, 999999) and step.extended_days == 0
    assert step.application.events.filter(kind=Kind.EXTENSION_REFUSED).count() == 1
    refused = Notification.objects.filter(kind=Notification.Kind.EXTENSION_REFUSED)
    assert "xgb-staff" in refused.values_list("recipient__username", flat=True)
    with pytest.raises(services.TransitionRefused, match="该延期申请已处理"):
        services.step_extension_decide(extension, actor=head, approve=True)


def test_only_the_office_asks_and_only_its_head_decides(step, staff, head):
    other = staff_user("jwc-staff", ("office_staff", "JWC"))
    with pytest.raises(PermissionDenied):
        services.step_extension_request(step, actor=other, days=1, reason="理由")
    extension = services.step_extension_request(step, actor=staff, days=1, reason="理由")
    with pytest.raises(PermissionDenied):
        services.step_extension_decide(extension, actor=staff, approve=True)
    other_head = staff_user("jwc-head", ("office_head", "JWC"))
    with pytest.raises(PermissionDenied):
        services.step_extension_decide(extension, actor=other_head, approve=True)
    extension.refresh_from_db()
    assert extension.state == StepExtension.State.PENDING


def test_near_the_statutory_limit_the_step_goes_to_the_supervisors_once(
    step,
    supervisor,
):
    # Two working days before 10-16 is 10-14: on 10-13 the horizon (10-15) is not there yet.
    assert deadlines.steps_escalate_to_supervisors(at(2026, 10, 13, 10, 0)) == 0
    assert deadlines.steps_escalate_to_supervisors(at(2026, 10, 14, 10, 0)) == 1
    assert deadlines.steps_escalate_to_supervisors(at(2026, 10, 14, 11, 0)) == 0
    step.refresh_from_db()
    assert step.supervised_at is not None
    assert step.application.events.filter(kind=Kind.SUPERVISED).count() == 1
    told = Notification.objects.get(recipient=supervisor, kind=Notification.Kind.SUPERVISED)
    assert "2026-10-16" in told.body


def test_a_supervisor_instructs_the_office_with_a_deadline(step, supervisor, staff):
    with time_machine.travel(at(2026, 10, 14, 10, 0), tick=False):
        instruction = services.step_supervision_instruct(
            step,
            actor=supervisor,
            instruction="请于周五前办结并说明原因。",
            respond_by=dt.date(2026, 10, 16),
        )
    assert instruction.office_code == "XGB" and instruction.issued_by == "dubanren"
    event = step.application.events.get(kind=Kind.SUPERVISION_INSTRUCTED)
    assert event.detail["respond_by"] == "2026-10-16"
    told = Notification.objects.get(recipient=staff, kind=Notification.Kind.SUPERVISION_INSTRUCTED)
    assert "2026-10-16" in told.body


def test_supervision_needs_the_role_a_text_and_a_date_not_past(step, staff, supervisor):
    with pytest.raises(PermissionDenied):
        services.step_supervision_instruct(
            step, actor=staff, instruction="请办结", respond_by=dt.date(2026, 10, 16)
        )
    with time_machine.travel(at(2026, 10, 14, 10, 0), tick=False):
        with pytest.raises(services.TransitionRefused, match="请填写给部门的督办指令"):
            services.step_supervision_instruct(
                step, actor=supervisor, instruction=" ", respond_by=dt.date(2026, 10, 16)
            )
        with pytest.raises(services.TransitionRefused, match="今天或以后"):
            services.step_supervision_instruct(
                step, actor=supervisor, instruction="请办结", respond_by=dt.date(2026, 10, 13)
            )
    assert not SupervisionInstruction.objects.exists()


def test_supervising_a_decided_application_is_refused_and_logged(
    step,
    staff,
    supervisor,
):
    services.step_finish(step, actor=staff, approved=True)
    step.refresh_from_db()
    events = Event.objects.count()
    with pytest.raises(services.TransitionRefused, match="无需督办"):
        services.step_supervision_instruct(
            step, actor=supervisor, instruction="请办结", respond_by=dt.date(2099, 1, 1)
        )
    assert Event.objects.count() == events and not SupervisionInstruction.objects.exists()
    assert _denials("supervision") == 1
    assert Step.objects.get(pk=step.pk).state == Step.State.APPROVED


def test_an_approved_extension_joins_the_tamper_evident_chain(step, staff, head):
    """Extensions decide about the applicant's time limit: like decisions and transfers they are
    chained (issue 17), and altering the entry is reported by ``verify_audit_chain``."""
    with time_machine.travel(at(2026, 10, 9, 9, 0), tick=False):
        extension = services.step_extension_request(step, actor=staff, days="2", reason="调档")
        services.step_extension_decide(extension, actor=head, approve=True)
    chained = SecurityEvent.objects.get(kind=SecurityEvent.Kind.EXTENSION)
    assert (chained.actor, chained.subject) == ("xgb-head", step.application.reference)
    assert chained.detail["days"] == 2
    assert audit_chain_verify() == []
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_securityevent SET detail = %s WHERE sequence = %s",
            ['{"days": 5}', chained.sequence],
        )
    assert [entry.sequence for entry in audit_chain_verify()] == [chained.sequence]
