"""Sending one notification delivery through its channel (run by the Celery task)."""

from __future__ import annotations

import logging

from django.db.models import F
from django.utils import timezone

from campus_portal.notifications.channels import channel_get
from campus_portal.notifications.models import Delivery

logger = logging.getLogger(__name__)


def delivery_attempt(delivery_id: int, *, final: bool = False) -> bool:
    """Send one delivery now. Raises the channel's error (for the task to retry) after
    recording it; ``final`` marks the delivery failed instead of pending. Idempotent: a
    delivery already sent is not sent again (the broker may deliver a task twice)."""
    delivery = (
        Delivery.objects.select_related("notification__recipient").filter(pk=delivery_id).first()
    )
    if delivery is None or delivery.state == Delivery.State.SENT:
        return True
    channel = channel_get(delivery.channel)
    Delivery.objects.filter(pk=delivery.pk).update(attempts=F("attempts") + 1)
    try:
        if channel is None:
            raise LookupError(f"unknown notification channel {delivery.channel!r}")
        channel.send(delivery.notification)
    except Exception as error:
        Delivery.objects.filter(pk=delivery.pk).update(
            state=Delivery.State.FAILED if final else Delivery.State.PENDING,
            last_error=repr(error)[:2000],
        )
        logger.warning("notification delivery %s failed: %r", delivery.pk, error)
        raise
    Delivery.objects.filter(pk=delivery.pk).update(
        state=Delivery.State.SENT, sent_at=timezone.now(), last_error=""
    )
    return True
