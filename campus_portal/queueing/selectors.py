"""Reading the queue: waiting counts, the waiting-time estimate, and what the hall display shows.

The estimate is "people ahead × minutes per person ÷ windows serving". Minutes per person are
the average of today's recently served tickets of the category (called → served), so it follows
the hall's real pace; until a few have been served it is the category's usual minutes. Windows
serving are those that called the category within the last hour (at least one).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Q
from django.utils import timezone

from campus_portal.queueing.models import ServiceCategory, Ticket

# Served tickets the average is taken over, and how many are needed before it replaces the
# category's usual minutes.
RECENT_SERVED = 20
MIN_SAMPLES = 3
RECENT_WINDOW = timedelta(hours=2)
WINDOWS_WINDOW = timedelta(hours=1)


def service_categories_active():
    return ServiceCategory.objects.filter(active=True)


def service_minutes_recent(*, category: ServiceCategory) -> float:
    """Average minutes a window needed per person of ``category`` lately."""
    since = timezone.now() - RECENT_WINDOW
    served = Ticket.objects.filter(
        category=category,
        state=Ticket.State.SERVED,
        finished_at__gte=since,
        called_at__isnull=False,
    ).order_by("-finished_at")[:RECENT_SERVED]
    durations = [(t.finished_at - t.called_at).total_seconds() / 60 for t in served]
    if len(durations) < MIN_SAMPLES:
        return float(category.default_service_minutes)
    return sum(durations) / len(durations)


def windows_serving(*, category: ServiceCategory) -> int:
    since = timezone.now() - WINDOWS_WINDOW
    windows = (
        Ticket.objects.filter(category=category, called_at__gte=since)
        .exclude(window="")
        .values("window")
        .distinct()
        .count()
    )
    return max(1, windows)


def tickets_waiting_ahead(*, ticket: Ticket) -> int:
    return Ticket.objects.filter(
        category_id=ticket.category_id,
        service_date=ticket.service_date,
        state=Ticket.State.WAITING,
        number__lt=ticket.number,
    ).count()


def queue_wait_minutes(*, category: ServiceCategory, ahead: int) -> int:
    """Estimated minutes until a person with ``ahead`` people before them is called."""
    if ahead <= 0:
        return 0
    minutes = ahead * service_minutes_recent(category=category) / windows_serving(category=category)
    return math.ceil(minutes)


@dataclass(frozen=True)
class CategoryQueue:
    category: ServiceCategory
    waiting: int
    wait_minutes: int


def queue_overview() -> list[CategoryQueue]:
    """Each active category with how many wait today and how long a new ticket would wait."""
    today = timezone.localdate()
    categories = service_categories_active().annotate(
        waiting=Count(
            "tickets",
            filter=Q(tickets__service_date=today, tickets__state=Ticket.State.WAITING),
        )
    )
    return [
        CategoryQueue(
            category=category,
            waiting=category.waiting,
            wait_minutes=queue_wait_minutes(category=category, ahead=category.waiting),
        )
        for category in categories
    ]


def tickets_called_recently(*, limit: int = 8) -> list[Ticket]:
    """What the hall display shows: the latest calls today, newest first (called or served)."""
    return list(
        Ticket.objects.filter(service_date=timezone.localdate(), called_at__isnull=False)
        .select_related("category")
        .order_by("-called_at")[:limit]
    )


def tickets_at_window(*, window: str) -> list[Ticket]:
    """The ticket a window is serving now (at most one)."""
    return list(
        Ticket.objects.filter(
            service_date=timezone.localdate(), window=window, state=Ticket.State.CALLED
        ).select_related("category")
    )
