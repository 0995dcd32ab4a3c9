"""Background work of the catalog (Celery).

Imports run in the worker so that a large list neither blocks a web process nor hits its
timeout; the admin page polls their progress. Both tasks are idempotent — the broker may deliver
a task twice (acks_late) and a finished import is never applied again.
"""

from __future__ import annotations

from celery import shared_task
from django.core.cache import cache
from django.db import transaction

from campus_portal.catalog.models import PowerListImport
from campus_portal.catalog.services import power_list_import

PROGRESS_TIMEOUT = 3600


def progress_key(import_id: int) -> str:
    return f"power-list-import:{import_id}:progress"


def import_progress(import_id: int) -> dict[str, int]:
    return cache.get(progress_key(import_id)) or {"done": 0, "total": 0}


def _reporter(import_id: int):
    def report(done: int, total: int) -> None:
        # Written to the shared cache, not the database: the import's own transaction is
        # still open, and the admin page must see progress before it commits.
        if done == total or done % 10 == 0:
            cache.set(progress_key(import_id), {"done": done, "total": total}, PROGRESS_TIMEOUT)

    return report


def _read(record: PowerListImport) -> bytes:
    with record.file.open("rb") as handle:
        return handle.read()


@shared_task(acks_late=True)
def power_list_check_task(import_id: int) -> str:
    """Dry run: validate the uploaded list and store what importing it would do."""
    record = PowerListImport.objects.get(pk=import_id)
    if record.status not in (PowerListImport.Status.UPLOADED, PowerListImport.Status.CHECKING):
        return record.status
    record.status = PowerListImport.Status.CHECKING
    record.save(update_fields=["status"])
    power_list_import(
        data=_read(record), filename=record.original_name, dry_run=True, record=record
    )
    return record.status


@shared_task(acks_late=True)
def power_list_apply_task(import_id: int) -> str:
    """Apply a checked list; a failure leaves the catalog untouched and the import marked failed."""
    with transaction.atomic():
        record = PowerListImport.objects.select_for_update().get(pk=import_id)
        if record.status != PowerListImport.Status.IMPORTING:
            return record.status  # already applied, rejected, or never confirmed
    try:
        power_list_import(
            data=_read(record),
            filename=record.original_name,
            dry_run=False,
            user=record.created_by,
            record=record,
            progress=_reporter(import_id),
        )
    except Exception as error:
        PowerListImport.objects.filter(pk=import_id).update(
            status=PowerListImport.Status.FAILED,
            report={
                "ok": False,
                "problems": [
                    {"row": None, "column": None, "message": str(error), "text": str(error)}
                ],
            },
        )
        raise
    return record.status
