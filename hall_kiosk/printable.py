"""What the kiosk prints for an application: its result document, as PDF bytes and an id.

This is the one place that knows where printable documents come from, so that the printing
code (``printing.py``, ``services.print_job_*``) takes only bytes, a title and a document id.
Until the signed result documents exist (issue 7), the printable document of a decided
application is its decision notice (campus_portal/documents), whose number is stable.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from campus_portal.applications.models import Application
from campus_portal.documents.notices import NoticeKind, notice_get, notice_pdf


@dataclass(frozen=True)
class Printable:
    """A document to print: its number and title at once, its PDF only when printing (the
    result page shows the number without rendering or reading the file)."""

    document_id: str
    title: str
    render: Callable[[], bytes]

    def pdf(self) -> bytes:
        return self.render()


def printable_document(*, application: Application, actor=None) -> Printable | None:
    """The document to print for ``application``; None while it has none (not decided yet).

    Asking again returns the same document (same number): a retried print never issues a
    second one.
    """
    notice = notice_get(application, NoticeKind.DECISION)
    if notice is None or application.state not in (
        Application.State.APPROVED,
        Application.State.CLOSED,
    ):
        return None
    return Printable(
        document_id=notice.number,
        title=notice.title,
        render=lambda: notice_pdf(application, notice),
    )
