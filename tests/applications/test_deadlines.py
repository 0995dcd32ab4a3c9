"""Deadlines with a frozen clock across the 2026 National Day holiday and its adjusted working
Saturday (调休, 2026-10-10): due dates, reminders, overdue marks, escalation, idempotency."""

from __future__ import annotations

import datetime as dt
import uuid
from zoneinfo import ZoneInfo

import pytest
import time_machine

from campus_portal.applications import deadlines, services
from campus_portal.applications.models import Event, HandlerBinding, Step
from campus_portal.catalog.models import MatterPage
from campus_portal.notifications.models import Notification
from campus_portal.plugin_api import MatterHandler, StepSpec, registry
from campus_portal.workdays.calendar import is_working_day
from tests.conftest import wait_for
from tests.notifications.conftest import live_catalog  # noqa: F401  (fixture)
from tests.workbench.conftest import (  # noqa: F401  (fixtures)
    MATTER_CODE,
    applicant,
    staff_user,
    student,
)

BEIJING = ZoneInfo("Asia/Shanghai")
HANDLER_KEY = "xgb.deadline_test"
Kind = Event.Kind


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=BEIJING)


class ThreeDayHandler(MatterHandler):
    key = HANDLER_KEY
    office = "XGB"
    label = "时限测试事项"
    purpose = "时限测试"
    data_needs = ()

    def steps(self, application):
        return [StepSpec("xgb_review", "XGB", "学工部审核", time_limit_days=3)]

    def decide(self, application):
        return None


@pytest.fixture
def handler(db):
    registry.register(ThreeDayHandler)
    HandlerBinding.objects.update_or_create(
        matter=MatterPage.objects.get(code=MATTER_CODE),
        defaults={"handler_key": HANDLER_KEY, "enabled": True},
    )
    yield registry.get(HANDLER_KEY)
    registry.unregister(HANDLER_KEY)


@pytest.fixture
def staff(db):
    return staff_user("xgb-staff", ("office_staff", "XGB"))


@pytest.fixture
def head(db):
    return staff_user("xgb-head", ("office_head", "XGB"))


@pytest.fixture
def accepted(handler, applicant, staff):  # noqa: F811
    """An application accepted on Wednesday 2026-09-30, the last working day before the
    holiday (10-01 … 10-07); its 3-working-day step runs 10-08, 10-09 and Saturday 10-10."""

    def make():
        with time_machine.travel(at(2026, 9, 30, 10, 0), tick=False):
            application = services.application_start(
                user=applicant, matter=MatterPage.objects.get(code=MATTER_CODE)
            )
            services.application_submit(
                application, actor=applicant, answers={}, idempotency_key=uuid.uuid4().hex
            )
            services.application_accept(application, actor=staff)
        return Step.objects.get(application=application)

    return make


def events(step: Step, kind: str) -> int:
    return step.application.events.filter(kind=kind).count()


pytestmark = pytest.mark.django_db(databases=["default", "warehouse"])


def test_calendar_data_for_2026_national_day():
    assert not is_working_day(dt.date(2026, 10, 1)) and not is_working_day(dt.date(2026, 10, 7))
    assert is_working_day(dt.date(2026, 10, 10))  # a Saturday made a working day (调休)
    assert dt.date(2026, 10, 10).weekday() == 5


def test_due_date_skips_the_holiday_and_counts_the_adjusted_saturday(accepted):
    step = accepted()
    assert step.due_at == at(2026, 10, 10, 23, 59, 59, 999999)


def test_reminder_the_working_day_before_and_only_once(accepted, staff, head):
    step = accepted()
    # On the last holiday day and on 10-08 the due date is more than a working day away.
    assert deadlines.steps_remind_due_soon(at(2026, 10, 7, 10, 0)) == 0
    assert deadlines.steps_remind_due_soon(at(2026, 10, 8, 10, 0)) == 0
    with time_machine.travel(at(2026, 10, 9, 9, 0), tick=False):
        assert deadlines.steps_remind_due_soon() == 1
        assert deadlines.steps_remind_due_soon() == 0  # idempotent
    step.refresh_from_db()
    assert step.reminded_at == at(2026, 10, 9, 9, 0)
    assert events(step, Kind.REMINDED) == 1
    for person in (staff, head):
        assert Notification.objects.filter(recipient=person, kind="reminder").count() == 1
    assert not step.overdue


def test_overdue_exactly_after_the_end_of_the_due_day_and_escalated(accepted, staff, head):
    step = accepted()
    with time_machine.travel(at(2026, 10, 10, 23, 59, 59, 999999), tick=False):
        assert deadlines.steps_mark_overdue() == 0
    with time_machine.travel(at(2026, 10, 11, 0, 0, 0), tick=False):
        assert deadlines.steps_mark_overdue() == 1
        assert deadlines.steps_mark_overdue() == 0  # idempotent: nothing new
    step.refresh_from_db()
    assert step.overdue and step.escalated_at == at(2026, 10, 11, 0, 0)
    assert events(step, Kind.OVERDUE) == 1 and events(step, Kind.ESCALATED) == 1
    escalated = step.application.events.get(kind=Kind.ESCALATED)
    assert escalated.actor == "system" and escalated.detail["office"] == "XGB"
    # Staff are told it is overdue; the head is told it was escalated to them.
    assert Notification.objects.filter(recipient=staff, kind="overdue").count() == 1
    assert Notification.objects.filter(recipient=staff, kind="escalated").count() == 0
    assert Notification.objects.filter(recipient=head, kind="escalated").count() == 1
    # A later sweep changes nothing either.
    assert deadlines.steps_mark_overdue(at(2026, 10, 13, 9, 0)) == 0
    assert events(step, Kind.ESCALATED) == 1


def test_finished_steps_are_left_alone(accepted, staff):
    step = accepted()
    with time_machine.travel(at(2026, 10, 9, 9, 0), tick=False):
        services.step_finish(step, actor=staff, approved=True)
    assert deadlines.steps_mark_overdue(at(2026, 10, 12, 9, 0)) == 0
    assert deadlines.steps_remind_due_soon(at(2026, 10, 9, 10, 0)) == 0


def test_paused_step_is_not_marked_and_resumes_with_a_fresh_clock(accepted, staff, applicant):  # noqa: F811
    step = accepted()
    with time_machine.travel(at(2026, 10, 9, 9, 0), tick=False):
        assert deadlines.steps_remind_due_soon() == 1
        services.application_return_for_supplement(step.application, actor=staff, items=["照片"])
    step.refresh_from_db()
    assert step.state == Step.State.PAUSED and step.due_at is None
    assert deadlines.steps_mark_overdue(at(2026, 10, 14, 9, 0)) == 0  # paused: the clock stopped

    with time_machine.travel(at(2026, 10, 14, 9, 0), tick=False):
        application = step.application
        application.refresh_from_db()
        services.application_submit(
            application, actor=applicant, answers={}, idempotency_key=uuid.uuid4().hex
        )
    step.refresh_from_db()
    # 2 of 3 working days were used (10-08, 10-09): one is left, counted from 10-14.
    assert step.state == Step.State.ACTIVE and step.due_at == at(2026, 10, 15, 23, 59, 59, 999999)
    assert step.reminded_at is None and not step.overdue and step.escalated_at is None
    assert deadlines.steps_remind_due_soon(at(2026, 10, 14, 10, 0)) == 1  # reminded again
    assert deadlines.steps_mark_overdue(at(2026, 10, 16, 0, 0)) == 1


@pytest.mark.django_db(
    databases=["default", "warehouse"], transaction=True, serialized_rollback=True
)
@pytest.mark.celery
def test_overdue_sweep_runs_in_the_worker(live_catalog, handler, applicant, staff, celery_worker):  # noqa: F811
    from campus_portal.applications.tasks import steps_mark_overdue

    application = services.application_start(
        user=applicant, matter=MatterPage.objects.get(code=MATTER_CODE)
    )
    services.application_submit(
        application, actor=applicant, answers={}, idempotency_key=uuid.uuid4().hex
    )
    services.application_accept(application, actor=staff)
    step = Step.objects.get(application=application)
    Step.objects.filter(pk=step.pk).update(due_at=step.started_at - dt.timedelta(days=1))

    steps_mark_overdue.delay()
    wait_for(
        lambda: Step.objects.get(pk=step.pk).escalated_at is not None,
        message="the worker marks and escalates the step",
    )
    assert Step.objects.get(pk=step.pk).overdue
    assert events(step, Kind.OVERDUE) == 1
