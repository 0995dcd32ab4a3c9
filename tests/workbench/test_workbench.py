"""The staff workbench end to end, through the real lifecycle services."""

from __future__ import annotations

import pytest
from django.urls import reverse

from campus_portal.applications import services
from campus_portal.applications.models import Application, Channel, Event, Step
from campus_portal.audit.models import SecurityEvent
from data_warehouse.models import Consent
from hall_kiosk.services import card_credential_set
from tests.workbench.conftest import MATTER_CODE, STUDENT_UID, as_user

pytestmark = pytest.mark.django_db(databases=["default", "warehouse"])

QUEUE = "/workbench/"
# The applicant's campus card swiped at the counter and the PIN they type (issue 17).
CARD = {"presence": "card_pin", "card_number": "CARD20230101", "pin": "2468"}


def detail_url(application) -> str:
    return reverse("workbench:detail", args=[application.reference])


def post_action(client, application, action, **data):
    return client.post(detail_url(application), {"action": action, **data}, follow=True)


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_plain_applicant_gets_403(client, applicant):
    assert as_user(client, applicant).get(QUEUE).status_code == 403
    assert client.get("/workbench/office/").status_code == 403
    assert client.get("/workbench/window/").status_code == 403


def test_queue_shows_only_own_office(client, submit, xgb_staff, jwc_staff):
    application = submit()
    page = as_user(client, xgb_staff).get(QUEUE)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'class="queue-row acceptance-row"' in html
    assert application.reference in html

    client.logout()
    as_user(client, jwc_staff)
    html = client.get(QUEUE).content.decode()
    assert application.reference not in html
    assert "queue-row" not in html
    assert client.get(detail_url(application)).status_code == 404


def test_detail_shows_applicant_data_and_answers(client, submit, xgb_staff):
    application = submit()
    html = as_user(client, xgb_staff).get(detail_url(application)).content.decode()
    assert 'id="applicant-name"' in html and "张" in html
    assert 'id="snapshot"' in html and "软件工程" in html
    assert "请尽快" in html
    assert 'id="accept"' in html and f'name="version" value="{application.version}"' in html


def test_accept_creates_active_steps_shown_in_queue(client, submit, xgb_staff):
    application = submit()
    as_user(client, xgb_staff)
    response = post_action(client, application, "accept", version=application.version)
    application.refresh_from_db()
    assert application.state == Application.State.IN_PROGRESS
    step = application.steps.get()
    assert step.state == Step.State.ACTIVE and step.due_at is not None
    assert "The application was accepted." in messages_of(response)

    html = client.get(QUEUE).content.decode()
    assert f'data-step="{step.pk}"' in html
    assert step.due_at is not None
    # Filters: a matter that is not there empties the queue; overdue-only too (not overdue yet).
    assert f'data-step="{step.pk}"' in client.get(QUEUE, {"matter": MATTER_CODE}).content.decode()
    assert f'data-step="{step.pk}"' not in client.get(QUEUE, {"overdue": "1"}).content.decode()
    Step.objects.filter(pk=step.pk).update(overdue=True)
    html = client.get(QUEUE, {"overdue": "1"}).content.decode()
    assert f'data-step="{step.pk}"' in html and "overdue-flag" in html


def test_stale_version_gives_a_clear_message(client, submit, xgb_staff):
    application = submit()
    seen = application.version
    services.application_accept(application, actor=xgb_staff)  # someone else, first
    response = post_action(as_user(client, xgb_staff), application, "accept", version=seen)
    assert any("Someone else has already acted" in m for m in messages_of(response))


def test_not_accept_needs_a_reason(client, submit, xgb_staff):
    application = submit()
    as_user(client, xgb_staff)
    response = post_action(client, application, "not_accept", version=application.version)
    assert any("reason" in m for m in messages_of(response))
    application.refresh_from_db()
    assert application.state == Application.State.SUBMITTED
    post_action(client, application, "not_accept", version=application.version, reason="不符合条件")
    application.refresh_from_db()
    assert application.state == Application.State.NOT_ACCEPTED
    assert application.decision_reason == "不符合条件"


def test_supplement_only_once(client, submit, applicant, xgb_staff):
    application = submit()
    as_user(client, xgb_staff)
    post_action(
        client,
        application,
        "supplement",
        version=application.version,
        items="身份证复印件\n\n照片",
        material=["申请表"],
    )
    application.refresh_from_db()
    assert application.state == Application.State.SUPPLEMENT
    assert application.supplement_notice == ["申请表", "身份证复印件", "照片"]

    services.application_submit(application, actor=applicant, answers={}, idempotency_key="again-1")
    application.refresh_from_db()
    assert application.state == Application.State.SUBMITTED
    html = client.get(detail_url(application)).content.decode()
    assert 'id="supplement"' not in html  # the form is gone …
    response = post_action(
        client, application, "supplement", version=application.version, items="再补"
    )  # … and the service refuses a crafted request
    assert any("only once" in m for m in messages_of(response))


def test_reject_needs_reason_then_rejects(client, submit, xgb_staff):
    application = submit()
    services.application_accept(application, actor=xgb_staff)
    step = application.steps.get()
    as_user(client, xgb_staff)
    assert f'id="reject-{step.pk}"' in client.get(detail_url(application)).content.decode()
    response = post_action(client, application, "reject", step=step.pk, version=step.version)
    assert any("reason" in m for m in messages_of(response))
    step.refresh_from_db()
    assert step.state == Step.State.ACTIVE
    post_action(
        client, application, "reject", step=step.pk, version=step.version, comment="材料不实"
    )
    application.refresh_from_db()
    assert application.state == Application.State.REJECTED
    assert application.decision_reason == "材料不实"


def test_comment_and_visit(client, submit, xgb_staff, jwc_staff):
    application = submit()
    as_user(client, xgb_staff)
    post_action(client, application, "comment", text="已电话联系")
    post_action(client, application, "visit", place="学工部 201")
    comment = application.events.get(kind=Event.Kind.COMMENTED)
    assert comment.actor == "xgb-staff" and comment.detail["text"] == "已电话联系"
    assert application.events.filter(kind=Event.Kind.VISITED).count() == 1
    assert "已电话联系" in client.get(detail_url(application)).content.decode()


def test_bulk_approve_reports_successes_and_failures(client, submit, xgb_staff):
    first, second, third = submit(), submit(), submit()
    for application in (first, second, third):
        services.application_accept(application, actor=xgb_staff)
    steps = [application.steps.get() for application in (first, second, third)]
    stale = steps[2]
    services.step_finish(stale, actor=xgb_staff, approved=True)  # already done elsewhere
    data = {"step": [str(step.pk) for step in steps]}
    for step in steps:
        data[f"version-{step.pk}"] = str(step.version)
    response = as_user(client, xgb_staff).post("/workbench/bulk-approve/", data, follow=True)
    shown = messages_of(response)
    assert "2 steps approved." in shown
    assert any(
        stale.application.reference in m and "Someone else has already acted" in m for m in shown
    )
    for application in (first, second):
        application.refresh_from_db()
        assert application.state == Application.State.APPROVED


def test_bulk_approve_cannot_touch_other_offices(client, submit, xgb_staff, jwc_staff):
    application = submit()
    services.application_accept(application, actor=xgb_staff)
    step = application.steps.get()
    response = as_user(client, jwc_staff).post(
        "/workbench/bulk-approve/", {"step": [step.pk]}, follow=True
    )
    assert any("Not a step of your office." in m for m in messages_of(response))
    step.refresh_from_db()
    assert step.state == Step.State.ACTIVE
    # The refusal is a denial like any other: in the security log, naming the step.
    denial = SecurityEvent.objects.filter(kind="permission_denied").latest("sequence")
    assert denial.actor == jwc_staff.get_username()
    assert denial.detail["via"] == "bulk-approve"
    assert denial.detail["steps"] == [step.pk]


def test_office_head_counts(client, submit, xgb_staff, xgb_head):
    apps = [submit(), submit(), submit()]
    for application in apps:
        services.application_accept(application, actor=xgb_staff)
    services.step_finish(apps[0].steps.get(), actor=xgb_staff, approved=True)
    Step.objects.filter(pk=apps[1].steps.get().pk).update(overdue=True)

    assert as_user(client, xgb_staff).get("/workbench/office/").status_code == 403
    client.logout()
    response = as_user(client, xgb_head).get("/workbench/office/")
    assert response.status_code == 200
    (row,) = [row for row in response.context["rows"] if row["code"] == "XGB"]
    assert row["active"] == 2
    assert row["overdue"] == 1
    assert row["due_soon"] == 2  # one working day each
    assert row["finished_month"] == 1
    assert 'data-office="XGB"' in response.content.decode()


def test_window_staff_start_on_behalf(client, handler, applicant, window_staff):
    as_user(client, window_staff)
    page = client.get("/workbench/window/")
    assert page.status_code == 200 and MATTER_CODE in page.content.decode()

    refused = client.post(
        "/workbench/window/", {"campus_number": STUDENT_UID, "matter": MATTER_CODE}, follow=True
    )
    assert any("must agree" in m for m in messages_of(refused))
    assert not Application.objects.filter(applicant=applicant).exists()

    # Issue 17: the ticked box alone is refused — the applicant proves they are here.
    refused = client.post(
        "/workbench/window/",
        {"campus_number": STUDENT_UID, "matter": MATTER_CODE, "agreed": "1"},
        follow=True,
    )
    assert any("Confirm that the applicant is here" in m for m in messages_of(refused))
    assert not Application.objects.filter(applicant=applicant).exists()

    card_credential_set(user=applicant, card_number="CARD20230101", pin="2468")
    response = client.post(
        "/workbench/window/",
        {"campus_number": STUDENT_UID, "matter": MATTER_CODE, "agreed": "1", **CARD},
    )
    application = Application.objects.get(applicant=applicant)
    assert response.status_code == 302
    assert response["Location"] == reverse("applications:form", args=[application.reference])
    assert application.channel == Channel.WINDOW
    assert application.started_by == window_staff
    assert application.consent_id is not None
    assert Consent.objects.filter(
        pk=application.consent_id, application_ref=application.reference
    ).exists()
    visit = application.events.get(kind=Event.Kind.VISITED)
    assert visit.channel == Channel.WINDOW and visit.actor == "window"
    assert (visit.detail["presence"], visit.detail["card"]) == ("card_pin", "…0101")
    # The window continues with the applicant's form.
    assert client.get(response["Location"]).status_code == 200
    # ... and finds it again on its queue page until it is closed.
    queue = client.get("/workbench/").content.decode()
    assert f'class="queue-row window-row" data-reference="{application.reference}"' in queue
    Application.objects.filter(pk=application.pk).update(state=Application.State.CLOSED)
    queue = client.get("/workbench/").content.decode()
    assert application.reference not in queue


def test_window_lookup_by_username_and_unknown_number(client, handler, applicant, window_staff):
    card_credential_set(user=applicant, card_number="CARD20230101", pin="2468")
    as_user(client, window_staff)
    response = client.post(
        "/workbench/window/",
        {"campus_number": "nobody-here", "matter": MATTER_CODE, "agreed": "1"},
        follow=True,
    )
    assert any("Nobody with this campus number" in m for m in messages_of(response))
    response = client.post(
        "/workbench/window/",
        {"campus_number": "zhangxm", "matter": MATTER_CODE, "agreed": "1", **CARD},
    )
    assert response.status_code == 302
    assert Application.objects.filter(applicant=applicant, started_by=window_staff).exists()
