"""What the kiosk prints for an application: its signed result document, as PDF bytes and an id.

This is the one place that knows where printable documents come from, so that the printing
code (``printing.py``, ``services.print_job_*``) takes only bytes, a title and a document id.
The document is the same signed certificate the portal offers (campus_portal/results), with
the same number and verification QR code; asking again returns the same document, so a
retried print never issues a second number.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from campus_portal.applications.models import Application
from campus_portal.results.selectors import issued_document_pdf
from campus_portal.results.services import ResultNotAvailable, result_document_issue
from campus_portal.results.signing import SigningUnavailable

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Printable:
    """A document to print: its number and title at once, its PDF only when printing (the
    result page shows the number without reading the file)."""

    document_id: str
    title: str
    render: Callable[[], bytes]

    def pdf(self) -> bytes:
        return self.render()


def printable_document(*, application: Application, actor=None) -> Printable | None:
    """The document to print for ``application``; None while it has none (not approved yet, or
    the platform cannot sign now — the person is then offered the electronic version)."""
    if application.state not in (Application.State.APPROVED, Application.State.CLOSED):
        return None
    try:
        document = result_document_issue(application=application, actor=actor)
    except ResultNotAvailable:
        return None
    except SigningUnavailable:
        logger.exception("cannot issue the result of %s for printing", application.reference)
        return None
    return Printable(
        document_id=document.number,
        title=document.title,
        render=lambda: issued_document_pdf(document=document),
    )
