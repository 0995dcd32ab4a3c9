"""The ways a notification reaches a person, behind one small interface.

The in-app message is the ``Notification`` row itself and always exists. Every other channel
(email now; an SMS provider later) is a ``NotificationChannel``: it sends one notification or
raises, and the Celery task retries it. Adding SMS means writing one class with ``send`` and
registering it with ``channel_register``; nothing else changes.

Which outside channels a person gets is decided in ``channels_for``. Today that is the
``NOTIFICATIONS_CHANNELS`` setting for everybody; per-person preferences (issue 7) replace the
body of that one function.
"""

from __future__ import annotations

from abc import ABC, abstractmethod

from django.conf import settings
from django.core.mail import EmailMessage

from campus_portal.notifications.models import Notification


class NotificationChannel(ABC):
    """One way out. ``send`` must raise on failure so that the delivery is retried."""

    key: str = ""

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


_CHANNELS: dict[str, NotificationChannel] = {}


def channel_register(channel: NotificationChannel) -> NotificationChannel:
    """Make a channel available by its key (an SMS adapter registers itself here)."""
    if not channel.key:
        raise ValueError("a notification channel needs a key")
    _CHANNELS[channel.key] = channel
    return channel


def channel_get(key: str) -> NotificationChannel | None:
    return _CHANNELS.get(key)


def channels_for(user) -> list[NotificationChannel]:
    """The outside channels ``user`` is notified by (the in-app message always exists)."""
    chosen = [channel_get(key) for key in settings.NOTIFICATIONS_CHANNELS]
    return [
        channel
        for channel in chosen
        if channel is not None and channel.key != InAppChannel.key and channel.available_for(user)
    ]


channel_register(InAppChannel())
channel_register(EmailChannel())
