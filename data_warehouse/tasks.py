"""Background work of the warehouse (Celery).

The directory sync is idempotent and all-or-nothing, so the broker may deliver it twice
(``acks_late``) and a failed run may simply be retried: ``LdapSyncError`` means nothing was
changed, typically because the directory was briefly unreachable. Scheduling is left to the
deployment (no beat entry here).

Record imports from the admin run here too, so that a 100,000-row export neither blocks a web
process nor hits its timeout: an upload is checked (a dry run), a steward confirms, and the
apply task imports it. Both tasks are idempotent — a confirmed import is applied once, however
often the broker delivers the task or the steward clicks.
"""

from __future__ import annotations

import hashlib
from typing import Any

from celery import shared_task
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from data_warehouse.models.records import RecordImport
from data_warehouse.router import WAREHOUSE_ALIAS
from data_warehouse.sources.ldap_sync import LdapSyncError, ldap_sync
from data_warehouse.sources.record_import import Progress, RecordImportReport, import_records

PROGRESS_TIMEOUT = 3600
Status = RecordImport.Status


@shared_task(
    autoretry_for=(LdapSyncError,),
    retry_backoff=True,
    max_retries=5,
    acks_late=True,
)
def warehouse_sync_ldap_task() -> dict[str, Any]:
    """Run the LDAP sync; the result is the report as a JSON-friendly dict."""
    return ldap_sync().as_dict()


# --- record imports from the admin ----------------------------------------------------------


def record_import_progress_key(import_id: int) -> str:
    return f"warehouse-record-import:{import_id}:progress"


def record_import_progress(import_id: int) -> dict[str, int]:
    return cache.get(record_import_progress_key(import_id)) or {"done": 0, "total": 0}


def _reporter(import_id: int) -> Progress:
    def report(done: int, total: int) -> None:
        # The shared cache, not the database: the import's transaction is still open and the
        # admin page must see progress before it commits.
        cache.set(
            record_import_progress_key(import_id), {"done": done, "total": total}, PROGRESS_TIMEOUT
        )

    return report


def report_as_dict(report: RecordImportReport) -> dict[str, Any]:
    """The report as stored with the import: counts and problems, no personal data beyond them."""
    return {
        "ok": report.ok,
        "dry_run": report.dry_run,
        "rows": report.rows,
        "created_persons": report.created_persons,
        "updated_persons": report.updated_persons,
        "created_units": report.created_units,
        "changed_records": report.changed_records,
        "unchanged": report.unchanged,
        "problems": [
            {"row": p.row, "column": p.column, "message": p.message} for p in report.problems
        ],
    }


def record_import_start(*, kind: str, name: str, data: bytes, user: str) -> RecordImport:
    """Store an upload and queue its check; the caller has already checked its size."""
    job = RecordImport.objects.create(
        kind=kind,
        original_name=name[:255],
        sha256=hashlib.sha256(data).hexdigest(),
        data=data,
        created_by=user[:150],
    )
    # After commit: the worker must find the row it is told about.
    transaction.on_commit(lambda: record_import_check_task.delay(job.pk), using=WAREHOUSE_ALIAS)
    return job


def record_import_confirm(import_id: int) -> bool:
    """Queue the import of a checked upload; False when it is not waiting for confirmation.

    The conditional update is the guard against a double-submitted confirm: only the first
    request finds the upload CHECKED, so the apply task is queued once.
    """
    updated = RecordImport.objects.filter(
        pk=import_id, status=Status.CHECKED, report__ok=True
    ).update(status=Status.IMPORTING)
    if updated:
        record_import_apply_task.delay(import_id)
    return bool(updated)


def _finish(job: RecordImport, status: str, report: dict[str, Any]) -> None:
    """Store the outcome; the file's bytes (ID numbers) are dropped once nothing needs them."""
    job.status = status
    job.report = report
    job.finished_at = timezone.now() if status != Status.CHECKED else None
    fields = ["status", "report", "finished_at"]
    if status != Status.CHECKED:
        job.data = b""
        fields.append("data")
    job.save(update_fields=fields)


@shared_task(acks_late=True)
def record_import_check_task(import_id: int) -> str:
    """Dry run: validate the upload and store what importing it would do, or its problems."""
    with transaction.atomic(using=WAREHOUSE_ALIAS):
        job = RecordImport.objects.select_for_update().get(pk=import_id)
        if job.status not in (Status.UPLOADED, Status.CHECKING):
            return job.status  # checked already (a redelivered task)
        job.status = Status.CHECKING
        job.save(update_fields=["status"])
    report = import_records(bytes(job.data), job.kind, dry_run=True)
    _finish(job, Status.CHECKED if report.ok else Status.REJECTED, report_as_dict(report))
    return job.status


@shared_task(acks_late=True)
def record_import_apply_task(import_id: int) -> str:
    """Apply a confirmed upload, all or nothing, and mark it done in the same transaction.

    The row lock makes a second delivery wait for the first and then find the import done.
    A file that turns out to have problems now (it was checked against older data) is
    rejected with nothing imported; an error leaves the warehouse untouched and marks it failed.
    """
    try:
        with transaction.atomic(using=WAREHOUSE_ALIAS):
            job = RecordImport.objects.select_for_update().get(pk=import_id)
            if job.status != Status.IMPORTING:
                return job.status  # already applied, rejected, or never confirmed
            report = import_records(bytes(job.data), job.kind, progress=_reporter(import_id))
            _finish(job, Status.DONE if report.ok else Status.REJECTED, report_as_dict(report))
    except Exception as error:
        failure = {"row": None, "column": None, "message": str(error)}
        RecordImport.objects.filter(pk=import_id, status=Status.IMPORTING).update(
            status=Status.FAILED, report={"ok": False, "problems": [failure]}, data=b""
        )
        raise
    return job.status
