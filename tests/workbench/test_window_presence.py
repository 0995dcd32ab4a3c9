"""Issue 17, finding 6: the window proves the applicant is there before acting for them.

Posting ``agreed=1`` alone no longer starts an application; the applicant's own campus card
with its PIN (the kiosks' digest and lockout) or the window's one-time QR code confirmed on the
applicant's phone does, and the history says which.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from campus_portal.applications.models import Application, Event
from campus_portal.audit.models import SecurityEvent
from data_warehouse.models import AccessLog
from hall_kiosk.models import CardCredential, QrSignIn
from hall_kiosk.services import card_credential_set
from tests.workbench.conftest import MATTER_CODE, STUDENT_UID, as_user

pytestmark = pytest.mark.django_db(databases=["default", "warehouse"])
WINDOW = "/workbench/window/"
START = {"campus_number": STUDENT_UID, "matter": MATTER_CODE, "agreed": "1"}


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


@pytest.fixture
def card(applicant):
    return card_credential_set(user=applicant, card_number="CARD20230101", pin="2468")


def test_agreed_alone_or_an_unknown_method_is_refused(client, handler, applicant, window_staff):
    as_user(client, window_staff)
    for extra in ({}, {"presence": "trust-me"}):
        response = client.post(WINDOW, {**START, **extra}, follow=True)
        assert any("Confirm that the applicant is here" in m for m in _messages(response))
    assert not Application.objects.filter(applicant=applicant).exists()


def test_card_and_pin_wrong_pins_count_and_lock(client, handler, applicant, window_staff, card):
    as_user(client, window_staff)
    card_post = {**START, "presence": "card_pin", "card_number": "CARD20230101"}
    response = client.post(WINDOW, {**card_post, "pin": "0000"}, follow=True)
    assert any("Wrong PIN" in m for m in _messages(response))
    for _attempt in range(4):
        client.post(WINDOW, {**card_post, "pin": "0000"})
    card.refresh_from_db()
    assert card.locked_until and card.locked_until > timezone.now()
    response = client.post(WINDOW, {**card_post, "pin": "2468"}, follow=True)  # locked now
    assert any("locked" in m for m in _messages(response))
    assert not Application.objects.filter(applicant=applicant).exists()
    assert SecurityEvent.objects.filter(
        kind="sign_in_failed", detail__via="kiosk-pin", detail__window="window"
    ).exists()


def test_someone_elses_card_is_refused(client, handler, applicant, window_staff, card):
    other = get_user_model().objects.create_user("other-card", "o@x.cn", "pw")
    card_credential_set(user=other, card_number="CARD99990000", pin="1357")
    as_user(client, window_staff)
    response = client.post(
        WINDOW,
        {**START, "presence": "card_pin", "card_number": "CARD99990000", "pin": "1357"},
        follow=True,
    )
    assert any("not the applicant's" in m for m in _messages(response))
    assert not Application.objects.filter(applicant=applicant).exists()


def test_card_and_pin_start_it_and_the_history_says_so(
    client, handler, applicant, window_staff, card
):
    as_user(client, window_staff)
    response = client.post(
        WINDOW, {**START, "presence": "card_pin", "card_number": "CARD20230101", "pin": "2468"}
    )
    assert response.status_code == 302
    application = Application.objects.get(applicant=applicant)
    visit = application.events.get(kind=Event.Kind.VISITED)
    assert visit.detail["presence"] == "card_pin"
    page = client.get(f"/workbench/{application.reference}/").content.decode()
    assert "Presence confirmed: Campus card and PIN at the counter (…0101)" in page
    # The window's read at consent and its look at the form are on the applicant's log.
    client.get(f"/applications/{application.reference}/form/")
    logged = AccessLog.objects.filter(application_ref=application.reference, actor="window")
    assert set(logged.values_list("kind", "reader_role")) == {
        ("read", "window_staff"),
        ("view", "window_staff"),
    }
    as_user(client, applicant)
    mine = client.get(f"/applications/{application.reference}/").content.decode()
    assert "Campus card and PIN at the counter" in mine


def _qr_from_page(client) -> tuple[str, str]:
    page = client.get(WINDOW).content.decode()
    qr_id = re.search(r'name="qr_id" value="(\d+)"', page).group(1)
    link = re.search(r'id="window-qr-link">([^<]+)<', page).group(1)
    return qr_id, link.split("://", 1)[-1].split("/", 1)[1]


def test_qr_confirmed_on_the_applicants_phone_once(client, handler, applicant, window_staff):
    as_user(client, window_staff)
    qr_id, phone_path = _qr_from_page(client)
    qr_post = {**START, "presence": "qr", "qr_id": qr_id}
    # Not confirmed yet: refused.
    response = client.post(WINDOW, qr_post, follow=True)
    assert any("has not confirmed this QR code" in m for m in _messages(response))

    # Someone else's phone confirms it: still refused.
    other = get_user_model().objects.create_user("other-phone", "p@x.cn", "pw")
    as_user(client, other)
    assert client.post(f"/{phone_path}").status_code == 200
    as_user(client, window_staff)
    response = client.post(WINDOW, qr_post, follow=True)
    assert not Application.objects.filter(applicant=applicant).exists()

    # A fresh code confirmed by the applicant's phone: started, and the code is spent.
    qr_id, phone_path = _qr_from_page(client)
    as_user(client, applicant)
    question = client.get(f"/{phone_path}").content.decode()
    assert "Are you at the service window now?" in question
    assert client.post(f"/{phone_path}").status_code == 200
    as_user(client, window_staff)
    qr_post["qr_id"] = qr_id
    assert client.post(WINDOW, qr_post).status_code == 302
    application = Application.objects.get(applicant=applicant)
    assert application.events.get(kind=Event.Kind.VISITED).detail["presence"] == "qr"
    assert QrSignIn.objects.get(pk=qr_id).used_at is not None
    client.post(WINDOW, qr_post)  # used once: a second start with it is refused
    assert Application.objects.filter(applicant=applicant).count() == 1


def test_an_expired_qr_is_refused(client, handler, applicant, window_staff):
    as_user(client, window_staff)
    qr_id, phone_path = _qr_from_page(client)
    as_user(client, applicant)
    client.post(f"/{phone_path}")
    QrSignIn.objects.filter(pk=qr_id).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    as_user(client, window_staff)
    response = client.post(WINDOW, {**START, "presence": "qr", "qr_id": qr_id}, follow=True)
    assert any("has not confirmed this QR code" in m for m in _messages(response))
    assert not CardCredential.objects.exists()
    assert not Application.objects.filter(applicant=applicant).exists()
