"""The hourly sync (Celery beat); it skips runs while backing off after failures."""

from __future__ import annotations

from celery import shared_task

from campus_portal.province.health import sync_due
from campus_portal.province.sync import province_sync


@shared_task
def province_sync_task() -> str:
    if not sync_due():
        return "backing off"
    return province_sync().status
