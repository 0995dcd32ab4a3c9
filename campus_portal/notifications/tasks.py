"""Delivery of notifications by outside channels, in the Celery worker.

A failing channel (the mail server is down) is retried with exponential backoff up to
``NOTIFICATIONS_MAX_RETRIES`` times; the in-app message exists regardless.
"""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from campus_portal.notifications.services import deliveries_resend_stuck, delivery_attempt


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
