"""An overdue step with a frozen clock across the 2026 National Day holiday and its 调休 Saturday.

2026 calendar (State Council notice, as carried by ``chinesecalendar``): 1–7 October are
holidays, Saturday 10 October is an adjusted working day. A 3-working-day step accepted on
Wednesday 30 September counts 8, 9 and 10 October, so it is due at the end of *Saturday*
10 October (Beijing time). A Monday-to-Friday count would make it due on 5 October, a count
that knows the holidays but not the adjusted weekend on 12 October: both would be wrong.

The clock is moved with ``time_machine`` (it moves ``time`` and ``datetime`` for the live
server's thread too); the overdue sweep ``steps_mark_overdue`` runs just before and just after
the due moment, and the office's queue and its head's overview are read in the browser.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import chinese_calendar
import pytest
import time_machine

from campus_portal.applications.deadlines import steps_mark_overdue
from campus_portal.applications.models import Event
from campus_portal.workdays.calendar import add_working_days
from tests.browser.flows import (
    Portal,
    application,
    staff,
    student,
    transcript_to_check,
)

pytestmark = [
    pytest.mark.django_db(
        transaction=True, serialized_rollback=True, databases=["default", "warehouse"]
    ),
    pytest.mark.browser,
]

BEIJING = ZoneInfo("Asia/Shanghai")
SUBMITTED = dt.datetime(2026, 9, 30, 9, 30, tzinfo=BEIJING)  # the last working day before
DUE = dt.datetime(2026, 10, 10, 23, 59, 59, 999999, tzinfo=BEIJING)  # the 调休 Saturday


@pytest.fixture
def portal(transcript_portal) -> Portal:
    return transcript_portal


def test_the_calendar_puts_the_due_date_on_the_adjusted_saturday():
    assert all(chinese_calendar.is_holiday(dt.date(2026, 10, day)) for day in range(1, 8))
    saturday = dt.date(2026, 10, 10)
    assert saturday.weekday() == 5 and chinese_calendar.is_workday(saturday)
    assert add_working_days(SUBMITTED, 3) == DUE


def test_a_step_accepted_before_national_day_is_overdue_only_after_the_adjusted_saturday(
    portal,
):
    # 休学: a Chinese transcript is not issued on the spot; 教务处 checks it (3 working days).
    suspended = student(status="休学")
    registrar = staff("jwc-registrar", ("office_staff", "JWC"))
    head = staff("jwc-head", ("office_head", "JWC"))

    with time_machine.travel(SUBMITTED, tick=True) as clock:
        reference = transcript_to_check(portal, suspended)
        assert portal.state() == "submitted"
        portal.sign_in(registrar)
        portal.workbench(reference)
        portal.click("#accept")
        assert "2026-10-10 23:59" in portal.find("#steps li.step").text
        assert application(reference).steps.get().due_at == DUE

        # Saturday 10 October, 23:50 Beijing: due in ten minutes, not overdue.
        clock.move_to(DUE - dt.timedelta(minutes=10))
        assert steps_mark_overdue() == 0
        portal.sign_in(registrar, then="/workbench/")
        row = portal.find(f"tr.step-row[data-reference='{reference}']")
        assert "overdue" not in row.get_attribute("class").split()
        assert not portal.all(f"tr.step-row[data-reference='{reference}'] .overdue-flag")
        portal.open("/workbench/?overdue=1")
        portal.wait_for("#step-queue")
        assert not portal.all(f"tr.step-row[data-reference='{reference}']")
        portal.sign_in(head, then="/workbench/office/")
        assert _office_counts(portal) == {"active": "1", "overdue": "0"}

        # Sunday 11 October, 00:10: the step is overdue; the sweep marks and escalates it.
        clock.move_to(DUE + dt.timedelta(minutes=10))
        assert steps_mark_overdue() == 1
        assert steps_mark_overdue() == 0  # once
        step = application(reference).steps.get()
        assert step.overdue and step.escalated_at is not None
        kinds = set(application(reference).events.values_list("kind", flat=True))
        assert {Event.Kind.OVERDUE, Event.Kind.ESCALATED} <= kinds

        portal.sign_in(registrar, then="/workbench/?overdue=1")
        row = portal.wait_for(f"tr.step-row[data-reference='{reference}']")
        assert "overdue" in row.get_attribute("class").split()
        assert portal.all(f"tr.step-row[data-reference='{reference}'] .overdue-flag")
        portal.sign_in(head, then="/workbench/office/")
        assert _office_counts(portal) == {"active": "1", "overdue": "1"}

        # Late, but still decided and closed.
        portal.workbench(reference)
        portal.finish_step("JWC")
        assert portal.state() == "approved"
        portal.click("#close-application")
        assert portal.state() == "closed"


def _office_counts(portal: Portal) -> dict[str, str]:
    row = portal.wait_for("#office-counts tr.office-row[data-office='JWC']")
    return {
        "active": row.find_element("css selector", ".count-active").text,
        "overdue": row.find_element("css selector", ".count-overdue").text,
    }
