"""Lifecycle changes → a rollup refresh after commit.

Every transition saves the application (``_save``) or writes an event (visits, reminders,
overdue marking, delivery, rating), and a rating is its own row, so listening to these three
models catches every change the measures depend on without touching the lifecycle code. The
changed ids of one transaction are collected and sent as one task when it commits; a rolled
back transaction sends nothing. Bulk-created rows (no signal) are caught by the nightly
rebuild.
"""

from __future__ import annotations

import logging

from django.db import connection, transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from campus_portal.dashboard.tasks import dashboard_facts_refresh_task

logger = logging.getLogger(__name__)


def _flush() -> None:
    ids = sorted(getattr(connection, "_dashboard_pending", ()))
    connection._dashboard_pending = set()
    if not ids:
        return

    try:
        dashboard_facts_refresh_task.delay(ids)
    except Exception:  # the broker is down: the nightly rebuild catches up; never fail a request
        logger.exception("could not enqueue the dashboard refresh of %s", ids)


def application_changed(application_id: int | None) -> None:
    """Schedule a refresh of ``application_id``'s facts once the current transaction commits."""
    if application_id is None:
        return
    pending = getattr(connection, "_dashboard_pending", None)
    if pending is None:
        pending = connection._dashboard_pending = set()
    pending.add(application_id)
    # Register the flush once per transaction; a rollback drops it from run_on_commit, so a
    # later change registers it again (the set may then hold ids of the rolled-back work —
    # refreshing them is harmless).
    if not any(func is _flush for _, func, *_ in connection.run_on_commit):
        transaction.on_commit(_flush)


@receiver(post_save, sender="applications.Application")
def _application_saved(sender, instance, **kwargs) -> None:
    if instance.submitted_at is not None:
        application_changed(instance.pk)


@receiver(post_save, sender="applications.Event")
@receiver(post_save, sender="ratings.Rating")
def _related_saved(sender, instance, **kwargs) -> None:
    application_changed(instance.application_id)
