"""The ways a notification reaches a person, behind one small interface.

The in-app message is the ``Notification`` row itself and always exists. Every other channel
(email, SMS through a gateway) is a ``NotificationChannel``: it sends one notification or
raises, and the Celery task retries it. A new channel is one class with ``send``, registered
with ``channel_register``; nothing else changes.

Which outside channels a person gets is decided in ``channels_for``: those the platform offers
(``NOTIFICATIONS_CHANNELS``, and only when configured: SMS needs ``SMS_GATEWAY_URL``) that the
person has not switched off on their preferences page (``Preference``; email is on and SMS
off by default) and can be reached by (an email address, a mobile number).
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from abc import ABC, abstractmethod

from django.conf import settings
from django.core.mail import EmailMessage

from campus_portal.notifications.models import Notification, Preference


class NotificationChannel(ABC):
    """One way out. ``send`` must raise on failure so that the delivery is retried."""

    key: str = ""

    def enabled(self) -> bool:
        """Whether the platform can send this way at all (configured)."""
        return True

    def chosen_by(self, preference: Preference | None) -> bool:
        """Whether the person wants it (``preference`` None: the defaults)."""
        return True

    def available_for(self, user) -> bool:
        """Whether the person can be reached this way at all (e.g. has an email address)."""
        return True

    @abstractmethod
    def send(self, notification: Notification) -> None: ...


class InAppChannel(NotificationChannel):
    """The inbox: the row is the message, so there is nothing to send."""

    key = "in_app"

    def send(self, notification: Notification) -> None:
        return None


class EmailChannel(NotificationChannel):
    """Email through Django's configured backend (file backend by default, SMTP in production)."""

    key = "email"

    def chosen_by(self, preference: Preference | None) -> bool:
        return preference is None or preference.email

    def available_for(self, user) -> bool:
        return bool(getattr(user, "email", ""))

    def send(self, notification: Notification) -> None:
        recipient = notification.recipient
        if not self.available_for(recipient):
            return
        body = notification.body
        if notification.link:
            base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
            body = f"{body}\n\n{base}{notification.link}" if body else f"{base}{notification.link}"
        EmailMessage(
            subject=notification.title,
            body=body,
            to=[recipient.email],
        ).send(fail_silently=False)


class SmsGatewayError(Exception):
    """The SMS gateway did not take the message (the delivery is retried)."""


class SmsChannel(NotificationChannel):
    """Text messages through the SMS gateway's HTTP API (off unless ``SMS_GATEWAY_URL`` is set).

    ``POST SMS_GATEWAY_URL`` with JSON ``{"to", "text", "message_id"}`` and ``Authorization:
    Bearer SMS_GATEWAY_TOKEN``; any 2xx is accepted. ``message_id`` is stable per
    notification so that a gateway seeing a retry of a message it already sent can drop it.
    A message is the title and the link only: SMS is short and not a place for details.
    """

    key = "sms"

    def enabled(self) -> bool:
        return bool(settings.SMS_GATEWAY_URL)

    def chosen_by(self, preference: Preference | None) -> bool:
        return preference is not None and preference.sms and bool(preference.phone)

    def available_for(self, user) -> bool:
        return self.chosen_by(_preference(user))

    def send(self, notification: Notification) -> None:
        preference = _preference(notification.recipient, fresh=True)
        if not self.enabled() or not self.chosen_by(preference):
            return  # switched off since the message was made: nothing to send
        text = notification.title
        if notification.link:
            text = f"{text} {settings.WAGTAILADMIN_BASE_URL.rstrip('/')}{notification.link}"
        payload = {
            "to": preference.phone,
            "text": text[:300],
            "message_id": f"notification-{notification.pk}",
        }
        request = urllib.request.Request(  # noqa: S310  # http(s) from settings
            settings.SMS_GATEWAY_URL,
            data=json.dumps(payload).encode(),
            method="POST",
            headers={"Content-Type": "application/json"},
        )
        if settings.SMS_GATEWAY_TOKEN:
            request.add_header("Authorization", f"Bearer {settings.SMS_GATEWAY_TOKEN}")
        try:
            with urllib.request.urlopen(  # noqa: S310
                request, timeout=settings.SMS_GATEWAY_TIMEOUT
            ) as response:
                response.read(4096)
        except urllib.error.HTTPError as error:
            raise SmsGatewayError(f"SMS gateway answered {error.code}") from error
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            raise SmsGatewayError(f"SMS gateway unreachable: {error}") from error


def _preference(user, *, fresh: bool = False) -> Preference | None:
    """The person's preference row (None: defaults), read once per user object unless
    ``fresh`` (the worker, which must see a change made after the message was queued)."""
    if not fresh and hasattr(user, "_notification_preference"):
        return user._notification_preference
    preference = Preference.objects.filter(user_id=user.pk).first()
    user._notification_preference = preference
    return preference


def preferences_preload(users) -> None:
    """Read the preferences of many people in one query (``notify`` to a whole office)."""
    users = [user for user in users if not hasattr(user, "_notification_preference")]
    rows = {row.user_id: row for row in Preference.objects.filter(user__in=users)}
    for user in users:
        user._notification_preference = rows.get(user.pk)


_CHANNELS: dict[str, NotificationChannel] = {}


def channel_register(channel: NotificationChannel) -> NotificationChannel:
    """Make a channel available by its key (an SMS adapter registers itself here)."""
    if not channel.key:
        raise ValueError("a notification channel needs a key")
    _CHANNELS[channel.key] = channel
    return channel


def channel_get(key: str) -> NotificationChannel | None:
    return _CHANNELS.get(key)


def channels_offered() -> list[NotificationChannel]:
    """The outside channels the platform sends by now (listed in settings and configured)."""
    offered = [channel_get(key) for key in settings.NOTIFICATIONS_CHANNELS]
    return [
        channel
        for channel in offered
        if channel is not None and channel.key != InAppChannel.key and channel.enabled()
    ]


def channels_for(user) -> list[NotificationChannel]:
    """The outside channels ``user`` is notified by (the in-app message always exists):
    offered by the platform, chosen by the person, and reaching them."""
    preference = _preference(user)
    return [
        channel
        for channel in channels_offered()
        if channel.chosen_by(preference) and channel.available_for(user)
    ]


channel_register(InAppChannel())
channel_register(EmailChannel())
channel_register(SmsChannel())
