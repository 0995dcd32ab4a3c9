"""Reading result documents — the public read API of the results app (keep the names):
``issued_document_pdf``, ``result_documents_for``; plus what ``/verify/`` looks up.

Callers have already checked that the user may see the application (``application_for``);
``/verify/`` reads only the copied, masked fields of a document (see models.py).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.db.models import QuerySet

from campus_portal.results.models import IssuedDocument
from campus_portal.results.signing import SignatureCheck, pdf_signature_check


def result_documents_for(*, application) -> QuerySet[IssuedDocument]:
    """The application's issued result documents, oldest first."""
    return IssuedDocument.objects.filter(application=application).order_by("issued_at", "pk")


def issued_document_pdf(*, document: IssuedDocument) -> bytes:
    """The signed bytes exactly as issued (their SHA-256 is ``document.sha256``)."""
    with document.file.open("rb") as handle:
        return handle.read()


def issued_document_by_number(*, number: str) -> IssuedDocument | None:
    return IssuedDocument.objects.filter(number=number).first()


@dataclass(frozen=True)
class UploadVerification:
    """An uploaded file checked twice: its signature (offline, as a PDF reader would) and its
    bytes against what we issued (``matches``: same SHA-256 as the issued document)."""

    check: SignatureCheck
    document: IssuedDocument | None
    matches: bool

    @property
    def genuine(self) -> bool:
        return self.check.ok and self.matches

    @property
    def valid(self) -> bool:
        return self.genuine and self.document is not None and not self.document.is_revoked


def upload_verify(*, data: bytes, number: str | None = None) -> UploadVerification:
    """Check an uploaded PDF; ``number`` (from the URL) narrows it to that document."""
    check = pdf_signature_check(data)
    digest = hashlib.sha256(data).hexdigest()
    issued = IssuedDocument.objects.filter(sha256=digest)
    if number:
        issued = issued.filter(number=number)
    document = issued.first()
    if document is None:
        lookup = number or check.number
        document = issued_document_by_number(number=lookup) if lookup else None
        return UploadVerification(check=check, document=document, matches=False)
    return UploadVerification(check=check, document=document, matches=True)
