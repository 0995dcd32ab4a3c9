"""Issuing result documents in the Celery worker, after the approval has been committed.

Retried with backoff (a signing key being rotated, storage briefly unavailable); the task is
idempotent (``result_document_issue`` returns the existing document), so a broker delivering
it twice, or a download that issued first, is harmless.
"""

from __future__ import annotations

from celery import shared_task

from campus_portal.applications.models import Application
from campus_portal.results.services import ResultNotAvailable, result_document_issue


@shared_task(
    acks_late=True,
    autoretry_for=(Exception,),
    dont_autoretry_for=(ResultNotAvailable, Application.DoesNotExist),
    retry_backoff=30,
    retry_backoff_max=3600,
    retry_jitter=True,
    max_retries=6,
)
def result_document_issue_task(application_id: int) -> str:
    application = Application.objects.select_related("matter").get(pk=application_id)
    return result_document_issue(application=application).number
