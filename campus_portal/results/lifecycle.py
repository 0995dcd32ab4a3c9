"""The results app listens to the lifecycle (``applications.signals.application_decided``).

An approval queues the issuing task *after commit* (like notification delivery): the
transition never waits for a PDF and never fails because of one. A broker outage is logged;
the applicant's first download issues the document then (``views.result_download``).
"""

from __future__ import annotations

import logging

from django.db import transaction

from campus_portal.applications import signals
from campus_portal.results.tasks import result_document_issue_task

logger = logging.getLogger(__name__)


def _enqueue(application_id: int) -> None:
    try:
        result_document_issue_task.apply_async(args=[application_id])
    except Exception:
        logger.exception("could not queue the result document of application %s", application_id)


def application_decided(sender, *, application, approved: bool, **kwargs) -> None:
    if approved:
        application_id = application.pk
        transaction.on_commit(lambda: _enqueue(application_id))


def receivers_connect() -> None:
    signals.application_decided.connect(
        application_decided, dispatch_uid="results.application_decided"
    )
