"""Creating notifications and delivering them; nothing here may break the caller's transition.

``notify`` writes the in-app messages inside the caller's transaction (so a transition that
rolls back leaves no message behind) and, once it commits, hands every outside delivery to a
Celery task. The task retries a failing channel with backoff; a failure is logged and recorded
on the ``Delivery`` row, never raised into the code that changed the application.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campus_portal.notifications.channels import channels_for, preferences_preload
from campus_portal.notifications.models import Delivery, Notification, Preference
from campus_portal.notifications.sending import delivery_attempt
from campus_portal.notifications.tasks import deliveries_enqueue, deliveries_resend_stuck

__all__ = [
    "deliveries_enqueue",
    "deliveries_resend_stuck",
    "delivery_attempt",
    "notification_preferences_set",
    "notifications_mark_read",
    "notify",
]

MOBILE = re.compile(r"^1[3-9][0-9]{9}$")

logger = logging.getLogger(__name__)


def notify(
    recipients: Iterable,
    kind: str,
    title: str,
    body: str = "",
    link: str = "",
    application=None,
) -> list[Notification]:
    """Tell ``recipients`` (users; duplicates and inactive ones are dropped) about something.

    Returns the in-app messages made. Any error is logged and swallowed: a notification is a
    side effect and must never block or roll back the transition that caused it.
    """
    try:
        with transaction.atomic():  # a savepoint: a failure here leaves the caller's work intact
            notifications, delivery_ids = _create(recipients, kind, title, body, link, application)
    except Exception:
        logger.exception("could not create the %s notifications", kind)
        return []
    if delivery_ids:
        transaction.on_commit(lambda: deliveries_enqueue(delivery_ids))
    return notifications


def _create(recipients, kind, title, body, link, application):
    unique = {}
    for user in recipients:
        if user is not None and user.is_active:
            unique.setdefault(user.pk, user)
    preferences_preload(unique.values())
    notifications = Notification.objects.bulk_create(
        Notification(
            recipient=user,
            kind=kind,
            title=title[:200],
            body=body,
            link=link[:300],
            application=application,
        )
        for user in unique.values()
    )
    deliveries = Delivery.objects.bulk_create(
        Delivery(notification=notification, channel=channel.key)
        for notification in notifications
        for channel in channels_for(notification.recipient)
    )
    return notifications, [delivery.pk for delivery in deliveries]


def notifications_mark_read(user, *, notification_id: int | None = None) -> int:
    """Mark one of the user's messages read (or all of them when no id is given)."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_id is not None:
        unread = unread.filter(pk=notification_id)
    return unread.update(read_at=timezone.now())


def notification_preferences_set(*, user, email: bool, sms: bool, phone: str = "") -> Preference:
    """Save how ``user`` wants to be told. SMS needs a mainland mobile number; the inbox
    cannot be switched off (it is the record of what was said)."""
    phone = (phone or "").replace(" ", "").replace("-", "")
    if phone.startswith("+86"):
        phone = phone[3:]
    if phone and not MOBILE.match(phone):
        raise ValidationError(_("Please enter an 11-digit mobile number."))
    if sms and not phone:
        raise ValidationError(_("Text messages need your mobile number."))
    preference, _created = Preference.objects.update_or_create(
        user=user, defaults={"email": email, "sms": sms, "phone": phone}
    )
    user._notification_preference = preference
    return preference
