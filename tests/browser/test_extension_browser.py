"""A time extension (延期) and the escalation to the campus supervisors (督办) across the 2026
National Day holiday and its adjusted working Saturday (调休, 2026-10-10), in Chromium.

The transcript (SF-JWC-003, checked by 教务处 in 3 working days for a suspended student) is
accepted on Wednesday 30 September, so it is due on *Saturday* 10 October. With a statutory
limit of 8 working days the step may run until Friday 16 October (Sunday 11 October is a rest
day). The registrar asks for 2 more days on Friday 9 October, the head grants them (due Tuesday
13 October) and the student reads the new date and why; on Wednesday 14 October, two working
days before the statutory limit, the sweep escalates the step to the supervisors, and one of
them issues an instruction with a deadline.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from campus_portal.applications.deadlines import steps_escalate_to_supervisors
from campus_portal.applications.models import Event, SupervisionInstruction
from campus_portal.catalog.models import MatterPage
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
SUBMITTED = dt.datetime(2026, 9, 30, 9, 30, tzinfo=BEIJING)


@pytest.fixture
def portal(transcript_portal) -> Portal:
    MatterPage.objects.filter(code="SF-JWC-003").update(legal_time_limit=8)
    return transcript_portal


def test_an_extension_is_granted_and_the_supervisors_step_in_near_the_statutory_limit(portal):
    suspended = student(status="休学")
    registrar = staff("jwc-registrar", ("office_staff", "JWC"))
    head = staff("jwc-head", ("office_head", "JWC"))
    supervisor = staff("duban", ("supervisor", ""))

    with time_machine.travel(SUBMITTED, tick=True) as clock:
        reference = transcript_to_check(portal, suspended)
        portal.sign_in(registrar)
        portal.workbench(reference)
        portal.click("#accept")
        steps = portal.find("#steps li.step").text
        assert "2026-10-10 23:59" in steps and "2026-10-16" in steps  # due · statutory end

        # Friday 9 October: the registrar asks for two more working days.
        clock.move_to(dt.datetime(2026, 10, 9, 10, 0, tzinfo=BEIJING))
        portal.sign_in(registrar)
        portal.workbench(reference)
        step = portal.find("form.extension-form").get_attribute("data-step")
        assert portal.find(f"#extension-days-{step}").get_attribute("max") == "5"
        portal.find(f"#extension-days-{step}").send_keys("2")
        portal.find(f"#extension-reason-{step}").send_keys("需核对休学期间的成绩记录")
        portal.click(f"#extension-request-{step}")
        assert portal.all("form.extension-form") == []  # one request waits at a time

        portal.sign_in(head)
        portal.workbench(reference)
        extension = portal.find("form.extension-decision").get_attribute("data-extension")
        portal.click(f"#extension-approve-{extension}")
        assert "2026-10-13 23:59" in portal.find("#steps li.step").text
        assert portal.find("#steps .extended").get_attribute("data-days") == "2"

        portal.sign_in(suspended, then=f"/applications/{reference}/")
        told = portal.wait_for("#extensions").text
        assert "2026-10-13" in told and "需核对休学期间的成绩记录" in told
        assert portal.find("#extension-total").text  # the total, in words

        # Wednesday 14 October: two working days before the statutory limit ends (Friday 16).
        clock.move_to(dt.datetime(2026, 10, 14, 9, 0, tzinfo=BEIJING))
        assert steps_escalate_to_supervisors() == 1
        assert steps_escalate_to_supervisors() == 0  # once
        portal.sign_in(supervisor, then="/workbench/supervision/")
        row = portal.wait_for(f"#supervised-steps tr.supervised-row[data-reference='{reference}']")
        assert "2026-10-16" in row.find_element("css selector", ".statutory").text
        assert row.find_element("css selector", ".extended").text == "2"
        form = portal.find(f"form.instruct-form[data-reference='{reference}']")
        step_id = form.find_element("css selector", "[name=step]").get_attribute("value")
        portal.find(f"#instruction-{step_id}").send_keys("请于本周五前办结，并说明延期原因。")
        portal.browser.execute_script(
            "arguments[0].value = '2026-10-16';", portal.find(f"#respond-by-{step_id}")
        )
        portal.click(f"#instruct-{step_id}")
        row = portal.wait_for(f"tr.supervised-row[data-reference='{reference}']")
        assert row.find_element("css selector", ".instructions").text == "1"

    instruction = SupervisionInstruction.objects.get()
    assert (instruction.office_code, instruction.respond_by) == ("JWC", dt.date(2026, 10, 16))
    kinds = list(application(reference).events.values_list("kind", flat=True))
    for kind in (Event.Kind.EXTENSION_REQUESTED, Event.Kind.EXTENDED, Event.Kind.SUPERVISED):
        assert kind in kinds
    assert kinds[-1] == Event.Kind.SUPERVISION_INSTRUCTED
