"""Supervision (督办) of overdue steps, the office head's overdue list, and transferring a step
to another office — through the real lifecycle services and the workbench pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from campus_portal.applications import deadlines, services
from campus_portal.applications.models import Event, Step
from campus_portal.notifications.models import Notification
from tests.workbench.conftest import as_user, staff_user

pytestmark = pytest.mark.django_db(databases=["default", "warehouse"])

SUPERVISION = "/workbench/supervision/"


@pytest.fixture
def supervisor(db):
    return staff_user("dubanzhe", ("supervisor", ""))


@pytest.fixture
def administrator(db):
    return staff_user("admin-role", ("administrator", ""))


@pytest.fixture
def active_step(submit, xgb_staff):
    def make() -> Step:
        application = submit()
        services.application_accept(application, actor=xgb_staff)
        return Step.objects.get(application=application)

    return make


def _make_overdue(step: Step, days: int = 5) -> Step:
    """Move the due time into the past and let the sweep mark and escalate it."""
    Step.objects.filter(pk=step.pk).update(due_at=step.started_at - dt.timedelta(days=days))
    deadlines.steps_mark_overdue()
    step.refresh_from_db()
    return step


def test_url_name():
    assert reverse("workbench:supervision") == SUPERVISION


def test_supervisor_sees_overdue_steps_of_all_offices_without_personal_data(
    client, active_step, supervisor, xgb_head
):
    late = _make_overdue(active_step())
    on_time = active_step()
    assert late.overdue and late.escalated_at is not None

    html = as_user(client, supervisor).get(SUPERVISION).content.decode()
    assert f'data-reference="{late.application.reference}"' in html
    assert on_time.application.reference not in html
    assert 'class="escalated">yes<' in html
    # Counts per office.
    assert 'data-office="XGB"' in html and 'class="count-overdue">1<' in html
    # Timeliness, not content: no applicant name, campus number or answers.
    for personal in ("张", "zhangxm", "2023010101", "软件工程", "请尽快"):
        assert personal not in html, personal
    # The filter narrows to an office.
    other = client.get(SUPERVISION, {"office": "JWC"}).content.decode()
    assert late.application.reference not in other
    xgb = client.get(SUPERVISION, {"office": "XGB"}).content.decode()
    assert late.application.reference in xgb


def test_days_overdue_are_working_days(client, active_step, supervisor):
    step = active_step()
    # Due at the end of Friday 2026-11-13; it is now later than that by working days only.
    due = dt.datetime(2026, 11, 13, 23, 59, 59, 999999, tzinfo=dt.UTC) - dt.timedelta(hours=8)
    Step.objects.filter(pk=step.pk).update(due_at=due, overdue=True)
    from campus_portal.workbench.supervision import late_rows, overdue_steps

    now = dt.datetime(2026, 11, 17, 10, 0, tzinfo=dt.UTC)  # Tuesday 18:00 in Beijing
    [row] = late_rows(overdue_steps(now=now).filter(pk=step.pk), now=now)
    assert row.days_overdue == 2  # Monday 16th and Tuesday 17th; the weekend does not count


def test_who_may_open_supervision(
    client, supervisor, administrator, xgb_staff, xgb_head, applicant
):
    assert as_user(client, supervisor).get(SUPERVISION).status_code == 200
    assert as_user(client, administrator).get(SUPERVISION).status_code == 200
    for user in (xgb_staff, xgb_head, applicant):
        assert as_user(client, user).get(SUPERVISION).status_code == 403
    # A supervisor holds no office role: the queue and applications stay closed to them.
    assert as_user(client, supervisor).get("/workbench/").status_code == 403


def test_office_head_overview_lists_own_overdue_steps(client, active_step, xgb_head, xgb_staff):
    late = _make_overdue(active_step())
    html = as_user(client, xgb_head).get("/workbench/office/").content.decode()
    assert 'id="office-overdue"' in html
    assert f'data-reference="{late.application.reference}"' in html
    assert Notification.objects.filter(recipient=xgb_head, kind="escalated").count() == 1


# --- Transfer ------------------------------------------------------------------------------------


def detail_url(step: Step) -> str:
    return reverse("workbench:detail", args=[step.application.reference])


def test_transfer_moves_the_step_and_keeps_the_clock(client, active_step, xgb_staff, jwc_staff):
    step = active_step()
    due = step.due_at
    as_user(client, xgb_staff)
    page = client.get(detail_url(step)).content.decode()
    assert f'id="transfer-{step.pk}"' in page and 'value="JWC"' in page

    response = client.post(
        detail_url(step),
        {
            "action": "transfer",
            "step": step.pk,
            "version": step.version,
            "to_office": "JWC",
            "reason": "成绩证明归教务处办理",
        },
    )
    # XGB accepted the application, so it still sees it, but can no longer act on the step.
    assert response.status_code == 302 and response["Location"] == detail_url(step)
    page = client.get(detail_url(step)).content.decode()
    assert f'id="approve-{step.pk}"' not in page and f'id="transfer-{step.pk}"' not in page
    step.refresh_from_db()
    assert step.office_code == "JWC" and step.due_at == due
    event = step.application.events.get(kind=Event.Kind.TRANSFERRED)
    assert event.detail == {
        "step": step.key,
        "from": "XGB",
        "to": "JWC",
        "reason": "成绩证明归教务处办理",
    }
    assert f'data-step="{step.pk}"' not in client.get("/workbench/").content.decode()

    message = Notification.objects.get(recipient=jwc_staff, kind="transferred")
    assert step.application.reference in message.title and "成绩证明归教务处办理" in message.body
    client.logout()
    as_user(client, jwc_staff)
    assert f'data-step="{step.pk}"' in client.get("/workbench/").content.decode()
    assert client.get(detail_url(step)).status_code == 200


def test_transfer_refusals(client, active_step, xgb_staff, jwc_staff):
    step = active_step()
    as_user(client, xgb_staff)

    def post(**data):
        payload = {"action": "transfer", "step": step.pk, "version": step.version, **data}
        response = client.post(detail_url(step), payload, follow=True)
        return [str(m) for m in response.context["messages"]]

    assert "Give the reason for the transfer." in post(to_office="JWC", reason=" ")
    assert "Choose another existing office." in post(to_office="NOPE", reason="x")
    assert "Choose another existing office." in post(to_office="XGB", reason="x")
    stale = post(to_office="JWC", reason="x", version=step.version - 1)
    assert any("Someone else" in message for message in stale)
    step.refresh_from_db()
    assert step.office_code == "XGB"
    assert not step.application.events.filter(kind=Event.Kind.TRANSFERRED).exists()

    # Another office's staff may not move it (service level: they cannot even see it).
    with pytest.raises(PermissionDenied):
        services.step_transfer(step, actor=jwc_staff, to_office="JWC", reason="x")


def test_overdue_step_transferred_is_escalated_to_the_new_head(active_step, xgb_staff):
    late = _make_overdue(active_step())
    jwc_head = staff_user("jwc-head", ("office_head", "JWC"))
    services.step_transfer(late, actor=xgb_staff, to_office="JWC", reason="送错部门")
    late.refresh_from_db()
    assert late.overdue and late.escalated_at is None  # the clock kept running
    deadlines.steps_mark_overdue()
    assert Notification.objects.filter(recipient=jwc_head, kind="escalated").count() == 1
