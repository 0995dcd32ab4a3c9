"""Channel preferences (/me/messages/preferences/), channels_for, the SMS adapter against a
local fake gateway, and an undelivered message shown as pending rather than lost."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from campus_portal.notifications.channels import channels_for
from campus_portal.notifications.models import Delivery, Preference
from campus_portal.notifications.services import (
    delivery_attempt,
    notification_preferences_set,
    notify,
)
from tests.fake_http import FakeSmsGateway, running
from tests.workbench.conftest import as_user

pytestmark = pytest.mark.django_db(databases=["default", "warehouse"])
PREFERENCES = "/me/messages/preferences/"


@pytest.fixture
def person(db):
    return get_user_model().objects.create_user("li", "li@x.cn", "pw-Person-1")


@pytest.fixture
def gateway(settings) -> Iterator[FakeSmsGateway]:
    with running(FakeSmsGateway(), settings, "SMS_GATEWAY", path="/sms/send") as fake:
        yield fake


def keys(user) -> list[str]:
    fresh = get_user_model().objects.get(pk=user.pk)  # no cached preference
    return [channel.key for channel in channels_for(fresh)]


def test_channels_follow_the_persons_choice_and_what_is_configured(person, settings):
    assert keys(person) == ["email"]  # defaults: email on, SMS off (and not configured)
    notification_preferences_set(user=person, email=True, sms=True, phone="138 0013 8000")
    assert Preference.objects.get(user=person).phone == "13800138000"
    assert keys(person) == ["email"]  # no gateway configured: no SMS
    settings.SMS_GATEWAY_URL = "http://127.0.0.1:9/sms"
    assert keys(person) == ["email", "sms"]
    notification_preferences_set(user=person, email=False, sms=True, phone="13800138000")
    assert keys(person) == ["sms"]
    settings.NOTIFICATIONS_CHANNELS = ["email"]  # the platform offers email only
    assert keys(person) == []
    nomail = get_user_model().objects.create_user("nomail", "", "pw-Person-1")
    settings.NOTIFICATIONS_CHANNELS = ["email", "sms"]
    assert keys(nomail) == []


def test_the_preferences_page_saves_and_refuses_bad_numbers(client, person, gateway):
    as_user(client, person)
    page = client.get(PREFERENCES).content.decode()
    assert 'id="pref-email" checked' in page  # email on by default
    assert 'id="pref-sms"' in page
    response = client.post(PREFERENCES, {"email": "1", "sms": "1", "phone": ""})
    assert "need your mobile number" in response.content.decode()
    response = client.post(PREFERENCES, {"email": "1", "sms": "1", "phone": "12345"})
    assert "11-digit mobile number" in response.content.decode()
    assert not Preference.objects.filter(user=person).exists()
    response = client.post(PREFERENCES, {"sms": "1", "phone": "+86 139-0000-1111"})
    assert response.status_code == 302
    preference = Preference.objects.get(user=person)
    assert (preference.email, preference.sms, preference.phone) == (False, True, "13900001111")
    assert client.get(PREFERENCES).status_code == 200


def test_sms_goes_through_the_gateway_and_a_failure_stays_pending(client, person, gateway):
    notification_preferences_set(user=person, email=False, sms=True, phone="13900001111")
    (message,) = notify(
        [person], kind="result_ready", title="您的结果已就绪", link="/applications/X/"
    )
    delivery = Delivery.objects.get(notification=message)
    assert delivery.channel == "sms" and delivery.state == Delivery.State.PENDING

    gateway.fault = "error"
    with pytest.raises(Exception, match="503"):
        delivery_attempt(delivery.pk)
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == (Delivery.State.PENDING, 1)
    assert "503" in delivery.last_error
    # Visible to the person, not silently lost.
    page = as_user(client, person).get(PREFERENCES).content.decode()
    assert 'data-state="pending" data-channel="sms"' in page

    gateway.fault = None
    assert delivery_attempt(delivery.pk)
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == (Delivery.State.SENT, 2)
    sent = gateway.received[-1]
    assert sent.headers["authorization"] == "Bearer test-token"
    assert sent.body["to"] == "13900001111"
    assert sent.body["message_id"] == f"notification-{message.pk}"
    assert sent.body["text"].startswith("您的结果已就绪 ") and sent.body["text"].endswith(
        "/applications/X/"
    )
    delivery_attempt(delivery.pk)  # already sent: not sent again
    assert len(gateway.received) == 2


def test_a_gateway_that_times_out_is_final_after_the_last_retry(person, gateway):
    notification_preferences_set(user=person, email=False, sms=True, phone="13900001111")
    (message,) = notify([person], kind="result_ready", title="超时")
    delivery = Delivery.objects.get(notification=message)
    gateway.fault, gateway.delay = "timeout", 1.0
    with pytest.raises(Exception, match="unreachable"):
        delivery_attempt(delivery.pk, final=True)
    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.FAILED


def test_email_with_the_mail_server_down_is_shown_pending(client, person, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 1
    (message,) = notify([person], kind="accepted", title="已受理")
    delivery = Delivery.objects.get(notification=message, channel="email")
    with pytest.raises(OSError):
        delivery_attempt(delivery.pk)
    page = as_user(client, person).get(reverse("notifications:preferences")).content.decode()
    assert 'data-state="pending" data-channel="email"' in page and "已受理" in page
