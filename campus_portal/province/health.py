"""Is the provincial connector healthy, and when may it try again?

After a failure the next attempt waits ``PROVINCE_SYNC_BACKOFF`` seconds, doubled for each
further consecutive failure up to ``PROVINCE_SYNC_BACKOFF_MAX``: a province that is down is
not hammered every hour, and comes back to the hourly rhythm after the first success.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from campus_portal.province.models import ConnectorState


def state_get() -> ConnectorState:
    state, _ = ConnectorState.objects.get_or_create(pk=1)
    return state


def backoff_delay(failures: int) -> datetime.timedelta:
    """How long to wait after ``failures`` consecutive failures (0 → no wait)."""
    if failures <= 0:
        return datetime.timedelta(0)
    seconds = settings.PROVINCE_SYNC_BACKOFF * 2 ** (failures - 1)
    return datetime.timedelta(seconds=min(seconds, settings.PROVINCE_SYNC_BACKOFF_MAX))


@dataclass(frozen=True)
class Health:
    healthy: bool
    consecutive_failures: int
    last_success_at: datetime.datetime | None
    last_error: str
    next_attempt_at: datetime.datetime | None


def connector_health() -> Health:
    """Unhealthy from ``PROVINCE_UNHEALTHY_AFTER`` consecutive failures on (default 3)."""
    state = ConnectorState.objects.filter(pk=1).first() or ConnectorState()
    return Health(
        healthy=state.consecutive_failures < settings.PROVINCE_UNHEALTHY_AFTER,
        consecutive_failures=state.consecutive_failures,
        last_success_at=state.last_success_at,
        last_error=state.last_error,
        next_attempt_at=state.next_attempt_at,
    )


def sync_due(now: datetime.datetime | None = None) -> bool:
    """Whether a scheduled sync may run now (not while backing off)."""
    state = ConnectorState.objects.filter(pk=1).first()
    if state is None or state.next_attempt_at is None:
        return True
    return (now or timezone.now()) >= state.next_attempt_at
