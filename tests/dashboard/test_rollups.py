"""The incremental refresh and the full rebuild leave the same rows; lifecycle saves schedule
one refresh per transaction, after commit."""

from __future__ import annotations

from django.db import connection

from campus_portal.applications.models import Event
from campus_portal.dashboard import rollups, signal_handlers
from campus_portal.dashboard.models import ApplicationFact, HandlingRollup, MonthlyRollup
from campus_portal.ratings.models import Rating


def _state() -> dict[str, list[tuple]]:
    """The tables' contents, summed per key (a cell's partial rows may be split differently)."""
    from django.db.models import Sum

    sums = [
        f.name
        for f in MonthlyRollup._meta.fields
        if f.name not in ("id", "month", "matter", "office_code")
    ]
    return {
        "facts": sorted(ApplicationFact.objects.values_list(*rollups.FACT_COLUMNS)),
        "monthly": sorted(
            tuple(row.values())
            for row in MonthlyRollup.objects.values("month", "matter_id", "office_code")
            .annotate(**{name: Sum(name) for name in sums})
            .order_by()
        ),
        "histogram": sorted(
            HandlingRollup.objects.values("month", "matter_id", "office_code", "days")
            .annotate(n=Sum("count"))
            .order_by()
            .values_list("month", "matter_id", "office_code", "days", "n")
        ),
    }


def test_incremental_refresh_agrees_with_the_rebuild(history):
    first = history.application("SF-JWC-010", submitted="2026-03-02 09:00")
    second = history.application(
        "SF-XGB-001", submitted="2026-03-30 09:00", decided="2026-04-02 10:00", visits=1
    )
    rollups.facts_refresh(application_ids=[first.pk, second.pk])
    # Later changes, each followed by the refresh the Celery task would run:
    first.state, first.decided_at = "approved", second.decided_at  # decided in April
    first.save()
    rollups.facts_refresh(application_ids=[first.pk])
    Event.objects.create(application=first, kind=Event.Kind.VISITED, actor="w", channel="window")
    Event.objects.create(application=first, kind=Event.Kind.VISITED, actor="w", channel="window")
    rollups.facts_refresh(application_ids=[first.pk])
    Rating.objects.create(application=second, office_code="XGB", overall=2)
    rollups.facts_refresh(application_ids=[second.pk])
    third = history.application(
        "SF-JWC-010", submitted="2026-03-03 09:00", decided="2026-03-20 10:00", late=True, score=5
    )
    rollups.facts_refresh(application_ids=[third.pk])
    rollups.facts_refresh(application_ids=[third.pk])  # a task delivered twice
    incremental = _state()
    assert len(incremental["facts"]) == 3
    assert sum(row[3] for row in incremental["monthly"]) == 3  # submitted, once each
    rollups.rollups_rebuild()
    assert _state() == incremental


def test_lifecycle_saves_schedule_one_refresh_after_commit(
    history, django_capture_on_commit_callbacks
):
    connection._dashboard_pending = set()  # what earlier tests' rolled-back saves left
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        application = history.application("SF-JWC-010", submitted="2026-03-02 09:00", visits=2)
        Rating.objects.create(application=application, office_code="JWC", overall=5)
    flushes = [c for c in callbacks if c is signal_handlers._flush]
    assert len(flushes) == 1
    assert connection._dashboard_pending == {application.pk}
    connection._dashboard_pending = set()
