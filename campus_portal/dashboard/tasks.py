"""Celery tasks that keep the rollups current (campus_portal.dashboard.rollups).

Both are idempotent: a task delivered twice recomputes the same rows.
"""

from __future__ import annotations

from celery import shared_task

from campus_portal.dashboard import rollups


@shared_task(acks_late=True)
def dashboard_facts_refresh_task(application_ids: list[int]) -> int:
    return rollups.facts_refresh(application_ids=application_ids)


@shared_task(acks_late=True)
def dashboard_rollups_rebuild_task() -> dict[str, int]:
    return rollups.rollups_rebuild()
