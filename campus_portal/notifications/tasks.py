"""Delivery of notifications by outside channels, in the Celery worker.

A failing channel (the mail server is down) is retried with exponential backoff up to
``NOTIFICATIONS_MAX_RETRIES`` times; the in-app message exists regardless.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from campus_portal.notifications.models import Delivery
from campus_portal.notifications.sending import delivery_attempt

logger = logging.getLogger(__name__)


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=(Exception,),
    retry_backoff=settings.NOTIFICATIONS_RETRY_BACKOFF,
    retry_backoff_max=3600,
    retry_jitter=True,
    max_retries=settings.NOTIFICATIONS_MAX_RETRIES,
)
def notification_deliver(self, delivery_id: int) -> bool:
    return delivery_attempt(delivery_id, final=self.request.retries >= self.max_retries)


@shared_task(acks_late=True)
def notifications_resend_stuck() -> int:
    return deliveries_resend_stuck()


def deliveries_enqueue(delivery_ids: Iterable[int]) -> None:
    """Queue one delivery task each. A broker outage is logged; the sweep picks them up."""
    queue = settings.NOTIFICATIONS_QUEUE or None
    for delivery_id in delivery_ids:
        try:
            notification_deliver.apply_async(args=[delivery_id], queue=queue)
        except Exception:
            logger.exception("could not queue notification delivery %s", delivery_id)


def deliveries_resend_stuck(*, older_than_minutes: int = 30) -> int:
    """Queue again the deliveries never attempted (their task was lost with the broker)."""
    cutoff = timezone.now() - timedelta(minutes=older_than_minutes)
    ids = list(
        Delivery.objects.filter(
            state=Delivery.State.PENDING, attempts=0, created_at__lt=cutoff
        ).values_list("pk", flat=True)[:500]
    )
    deliveries_enqueue(ids)
    return len(ids)
