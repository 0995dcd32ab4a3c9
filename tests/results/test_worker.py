"""The real Celery worker issues the certificate after the approval has been committed."""

from __future__ import annotations

import uuid

import pytest
from django.conf import settings

from campus_portal.applications import services
from campus_portal.catalog.models import MatterPage
from campus_portal.results.keys import configured_key_files, key_pair_ensure
from campus_portal.results.models import IssuedDocument
from campus_portal.results.selectors import issued_document_pdf
from campus_portal.results.signing import pdf_signature_check
from tests.browser.flows import catalog_ready, grants_for, student
from tests.conftest import wait_for


@pytest.mark.django_db(
    databases=["default", "warehouse"], transaction=True, serialized_rollback=True
)
@pytest.mark.celery
def test_the_worker_issues_the_certificate_after_an_instant_approval(catalog_home, celery_worker):
    # The worker shares VAR_DIR with this process: the same session keys, the same storage.
    key_pair_ensure(configured_key_files(), organisation=settings.UNIVERSITY_NAME)
    catalog_ready()
    grants_for("jwc.enrollment_certificate")
    zhang = student().user
    application = services.application_start(
        user=zhang, matter=MatterPage.objects.get(code="SF-JWC-001")
    )
    services.application_consent(application, actor=zhang)
    application.refresh_from_db()
    services.application_submit(
        application,
        actor=zhang,
        answers={"use": "实习", "copies": 1},
        idempotency_key=uuid.uuid4().hex,
    )
    application.refresh_from_db()
    assert application.state == "approved"  # the transition did not wait for the document
    document = wait_for(
        lambda: IssuedDocument.objects.filter(application=application).first(),
        message="the worker issues the certificate",
    )
    assert document.issued_by == "system"
    assert pdf_signature_check(issued_document_pdf(document=document)).ok
