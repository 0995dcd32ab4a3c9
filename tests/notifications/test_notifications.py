"""Notifications: lifecycle transitions write in-app messages; email goes out through a real
Celery worker and is retried when the mail server refuses; nothing blocks a transition."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model

from campus_portal.applications import services
from campus_portal.applications.models import Application, Step
from campus_portal.notifications.models import Delivery, Notification
from tests.conftest import wait_for
from tests.notifications.conftest import SMTP_WORKER_MAX_RETRIES
from tests.workbench.conftest import as_user, staff_user

Kind = Notification.Kind
DB = pytest.mark.django_db(databases=["default", "warehouse"])
LIVE_DB = pytest.mark.django_db(
    databases=["default", "warehouse"], transaction=True, serialized_rollback=True
)


def kinds_of(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


# --- In-app messages from the lifecycle ---------------------------------------------------------


@DB
def test_lifecycle_notifies_office_and_applicant(submit, applicant, xgb_staff, xgb_head):
    application = submit()
    # Submitted to the office: its staff and head are told, with a link to the workbench.
    for person in (xgb_staff, xgb_head):
        message = Notification.objects.get(recipient=person, kind=Kind.SUBMITTED)
        assert message.application_id == application.pk
        assert message.link == f"/workbench/{application.reference}/"
        assert message.deliveries.get().channel == "email"
    assert kinds_of(applicant) == []

    services.application_accept(application, actor=xgb_staff)
    accepted = Notification.objects.get(recipient=applicant, kind=Kind.ACCEPTED)
    assert accepted.link == f"/applications/{application.reference}/"
    assert application.reference in accepted.title
    assert Kind.STEP_ACTIVE in kinds_of(xgb_staff)

    application.refresh_from_db()
    services.application_return_for_supplement(
        application, actor=xgb_staff, items=["成绩单原件", "身份证复印件"]
    )
    notice = Notification.objects.get(recipient=applicant, kind=Kind.SUPPLEMENT_REQUESTED)
    assert "成绩单原件" in notice.body and "身份证复印件" in notice.body

    application.refresh_from_db()
    services.application_submit(
        application, actor=applicant, answers={"note": "补齐"}, idempotency_key="supplemented"
    )
    assert Kind.SUPPLEMENTED in kinds_of(xgb_staff)

    step = Step.objects.get(application=application)
    services.step_finish(step, actor=xgb_staff, approved=False, comment="材料不符合要求")
    rejected = Notification.objects.get(recipient=applicant, kind=Kind.REJECTED)
    assert "材料不符合要求" in rejected.body


@DB
def test_not_accepted_and_approved_notices(submit, applicant, xgb_staff):
    refused = submit()
    services.application_not_accept(refused, actor=xgb_staff, reason="不属于本部门职责")
    message = Notification.objects.get(recipient=applicant, kind=Kind.NOT_ACCEPTED)
    assert "不属于本部门职责" in message.body

    approved = submit()
    services.application_accept(approved, actor=xgb_staff)
    services.step_finish(Step.objects.get(application=approved), actor=xgb_staff, approved=True)
    assert Notification.objects.filter(
        recipient=applicant, kind=Kind.APPROVED, application=approved
    ).exists()


@DB
def test_refused_transition_leaves_no_message(submit, applicant, xgb_staff):
    application = submit()
    with pytest.raises(services.StaleVersion):
        services.application_accept(application, actor=xgb_staff, version=application.version - 1)
    assert not Notification.objects.filter(recipient=applicant).exists()


@DB
def test_person_without_email_gets_only_the_inbox_message(submit, applicant, xgb_staff):
    applicant.email = ""
    applicant.save()
    application = submit()
    services.application_accept(application, actor=xgb_staff)
    message = Notification.objects.get(recipient=applicant, kind=Kind.ACCEPTED)
    assert not message.deliveries.exists()


# --- The inbox ----------------------------------------------------------------------------------


@DB
def test_inbox_shows_messages_and_marks_them_read(client, submit, applicant, xgb_staff):
    application = submit()
    services.application_accept(application, actor=xgb_staff)
    application.refresh_from_db()
    services.application_return_for_supplement(application, actor=xgb_staff, items=["照片"])
    other = Notification.objects.filter(recipient=xgb_staff).first()

    as_user(client, applicant)
    page = client.get("/me/messages/")
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count('class="notification unread"') == 2
    assert 'id="unread-count">2<' in html  # the header's count
    assert application.reference in html and "照片" in html

    accepted = Notification.objects.get(recipient=applicant, kind=Kind.ACCEPTED)
    assert client.post("/me/messages/", {"notification": accepted.pk}).status_code == 302
    accepted.refresh_from_db()
    assert accepted.read_at is not None
    assert 'id="unread-count">1<' in client.get("/me/messages/").content.decode()

    # Someone else's message cannot be marked through my inbox.
    client.post("/me/messages/", {"notification": other.pk})
    other.refresh_from_db()
    assert other.read_at is None

    client.post("/me/messages/", {"all": "1"})
    assert not Notification.objects.filter(recipient=applicant, read_at__isnull=True).exists()
    assert 'id="unread-count"' not in client.get("/me/messages/").content.decode()


@DB
def test_inbox_needs_sign_in(client):
    response = client.get("/me/messages/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- Delivery through the real worker -----------------------------------------------------------


def _delivery(application, kind) -> Delivery | None:
    return Delivery.objects.filter(
        notification__application=application, notification__kind=kind
    ).first()


def _delivery_reaches(application, kind, state, message: str) -> Delivery:
    """Wait until the worker has brought the email of ``kind`` to ``state`` (in another process)."""
    wait_for(lambda: (d := _delivery(application, kind)) and d.state == state, message=message)
    return _delivery(application, kind)


@LIVE_DB
@pytest.mark.celery
def test_email_goes_out_through_the_worker(
    live_catalog, submit, applicant, xgb_staff, celery_worker
):
    application = submit()
    services.application_accept(application, actor=xgb_staff)
    delivery = _delivery_reaches(
        application, Kind.ACCEPTED, Delivery.State.SENT, "the worker sends the acceptance email"
    )
    assert delivery.attempts == 1 and delivery.sent_at is not None
    link = f"/applications/{application.reference}/".encode()
    mails = [path.read_bytes() for path in Path(django_settings.EMAIL_FILE_PATH).glob("*.log")]
    assert any(link in mail and applicant.email.encode() in mail for mail in mails)


def _staff_without_email():
    user = staff_user("xgb-quiet", ("office_staff", "XGB"))
    user.email = ""
    user.save()
    return user


@LIVE_DB
@pytest.mark.celery
def test_refused_email_is_retried_until_the_server_accepts(
    live_catalog, submit, applicant, smtp_server, smtp_worker, settings
):
    settings.NOTIFICATIONS_QUEUE = smtp_worker
    staff = _staff_without_email()  # only the applicant has an address: one delivery to watch
    application = submit()
    smtp_server.refuse_next(SMTP_WORKER_MAX_RETRIES)  # every try but the last is refused

    services.application_accept(application, actor=staff)
    application.refresh_from_db()
    assert application.state == Application.State.IN_PROGRESS
    assert Notification.objects.filter(recipient=applicant, kind=Kind.ACCEPTED).exists()

    delivery = _delivery_reaches(
        application, Kind.ACCEPTED, Delivery.State.SENT, "the email is delivered on a retry"
    )
    assert delivery.attempts == SMTP_WORKER_MAX_RETRIES + 1
    received = [m for m in smtp_server.messages() if application.reference in m["subject"]]
    assert len(received) == 1 and received[0]["to"] == applicant.email


@LIVE_DB
@pytest.mark.celery
def test_mail_server_down_never_blocks_the_transition(
    live_catalog, submit, applicant, smtp_server, smtp_worker, settings
):
    settings.NOTIFICATIONS_QUEUE = smtp_worker
    staff = _staff_without_email()
    application = submit()
    smtp_server.refuse_next(1000)
    try:
        services.application_not_accept(application, actor=staff, reason="材料不全")
        application.refresh_from_db()
        assert application.state == Application.State.NOT_ACCEPTED
        assert Notification.objects.filter(recipient=applicant, kind=Kind.NOT_ACCEPTED).exists()
        delivery = _delivery_reaches(
            application,
            Kind.NOT_ACCEPTED,
            Delivery.State.FAILED,
            "the delivery gives up after its retries",
        )
        assert delivery.attempts == SMTP_WORKER_MAX_RETRIES + 1
        assert "421" in delivery.last_error
    finally:
        smtp_server.refuse_next(0)
    # The person still has the message in their inbox.
    user = get_user_model().objects.get(pk=applicant.pk)
    assert Notification.objects.filter(recipient=user, read_at__isnull=True).count() == 1
