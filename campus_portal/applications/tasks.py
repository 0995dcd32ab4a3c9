"""Celery tasks of the application lifecycle: the deadline sweeps run by beat
(``CELERY_BEAT_SCHEDULE`` in config/settings.py). All are idempotent, so a task delivered
twice or a beat that fires twice changes nothing."""

from __future__ import annotations

from celery import shared_task

from campus_portal.applications import deadlines


@shared_task(acks_late=True)
def steps_remind_due_soon() -> int:
    return deadlines.steps_remind_due_soon()


@shared_task(acks_late=True)
def steps_mark_overdue() -> int:
    return deadlines.steps_mark_overdue()


@shared_task(acks_late=True)
def steps_escalate_to_supervisors() -> int:
    return deadlines.steps_escalate_to_supervisors()
