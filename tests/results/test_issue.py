"""Issuing: content from the plugin, number, seal, QR code, signature; idempotent."""

from __future__ import annotations

import hashlib
import io

import pytest
from pypdf import PdfReader

from campus_portal.results.content import mask_name
from campus_portal.results.models import IssuedDocument
from campus_portal.results.selectors import issued_document_pdf, result_documents_for
from campus_portal.results.services import (
    ResultNotAvailable,
    result_demo_setup,
    result_document_issue,
)
from campus_portal.results.signing import pdf_signature_check
from tests.documents.conftest import embedded_fonts, pdf_text

pytestmark = pytest.mark.django_db(databases=["default", "warehouse"])


def test_an_instant_certificate_is_issued_signed_and_stored(approved):
    result_demo_setup()  # the demo seal of 教务处
    application = approved()
    document = result_document_issue(application=application)
    assert document.kind == "certificate" and document.title == "在读证明"
    assert document.number.startswith(f"{application.reference}-ZM-")
    assert document.holder_masked == "张**"
    assert document.office_code == "JWC"
    pdf = issued_document_pdf(document=document)
    assert hashlib.sha256(pdf).hexdigest() == document.sha256 and len(pdf) == document.size
    text = pdf_text(pdf)
    assert "张晓明" in text and "软件工程" in text and "办理签证" in text
    assert document.number in text and f"/verify/{document.number}/" in text
    assert embedded_fonts(pdf)
    reader = PdfReader(io.BytesIO(pdf))
    images = [name for page in reader.pages for name in page.images]
    assert len(images) >= 2  # the seal and the QR code
    check = pdf_signature_check(pdf)
    assert check.ok, check.message
    assert check.number == document.number
    # Not in the web root: under PRIVATE_MEDIA_ROOT.
    assert document.file.path.startswith(str(document.file.storage.location))


def test_issuing_is_idempotent(approved):
    application = approved()
    first = result_document_issue(application=application)
    again = result_document_issue(application=application)
    assert again.pk == first.pk and again.number == first.number
    assert list(result_documents_for(application=application)) == [first]
    assert IssuedDocument.objects.filter(application=application).count() == 1


def test_mask_name():
    assert mask_name("张晓明") == "张**"
    assert mask_name("李") == "李*"
    assert mask_name("") == ""


def test_an_application_not_approved_has_no_result(submitted, signing_keys, private_root):
    application = submitted()
    with pytest.raises(ResultNotAvailable):
        result_document_issue(application=application)


def test_a_staff_decided_matter_without_a_result_of_its_own_gets_a_decision(
    submitted, staff, signing_keys, private_root
):
    from campus_portal.applications import services

    application = submitted()
    services.application_accept(application, actor=staff)
    application.refresh_from_db()
    (step,) = application.steps.all()
    services.step_finish(step, actor=staff, approved=True, comment="")
    application.refresh_from_db()
    document = result_document_issue(application=application, actor=staff)
    assert (document.kind, document.title, document.office_code) == (
        "decision",
        "准予办理决定书",
        "XGB",
    )
    text = pdf_text(issued_document_pdf(document=document))
    assert "决定准予办理" in text and application.reference in text and "李思源" in text
