"""Who may download and revoke; issuing never blocks an approval; the after-commit task."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from campus_portal.applications.models import Event
from campus_portal.audit.models import SecurityEvent
from campus_portal.results.models import IssuedDocument
from campus_portal.results.services import (
    RevocationRefused,
    result_document_issue,
    result_document_revoke,
)
from campus_portal.results.signing import pdf_signature_check
from campus_portal.results.tasks import result_document_issue_task
from tests.applications.conftest import make_student, make_user

pytestmark = pytest.mark.django_db(databases=["default", "warehouse"])


def download_url(application) -> str:
    return reverse("results:download", args=[application.reference])


def test_the_applicant_downloads_and_the_first_download_issues(
    client, approved, student_user, jwc_staff
):
    application = approved()
    assert not IssuedDocument.objects.filter(application=application).exists()
    client.force_login(student_user)
    page = client.get(reverse("applications:detail", args=[application.reference]))
    assert download_url(application) in page.content.decode()
    response = client.get(download_url(application))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    document = IssuedDocument.objects.get(application=application)
    assert document.issued_by == student_user.get_username()
    assert f'filename="{document.number}-certificate.pdf"' in response["Content-Disposition"]
    assert pdf_signature_check(response.content).ok
    assert client.get(download_url(application)).content == response.content  # same bytes
    # The applicant's download is the electronic delivery, recorded once however often.
    delivered = application.events.filter(kind=Event.Kind.DELIVERED)
    assert delivered.count() == 1
    # The office's staff download it too (the same document); that delivers nothing.
    client.force_login(jwc_staff)
    assert client.get(download_url(application)).content == response.content
    assert delivered.count() == 1


def test_others_get_a_logged_404(client, approved):
    application = approved()
    make_student("2023010199", name="王五")
    for stranger in (
        make_user("2023010199", person_uid="2023010199"),
        make_user("xgb-results-staff", roles=[("office_staff", "XGB")]),
    ):
        client.force_login(stranger)
        assert client.get(download_url(application)).status_code == 404
        assert SecurityEvent.objects.filter(
            kind="permission_denied", actor=stranger.get_username()
        ).exists()
    assert not IssuedDocument.objects.filter(application=application).exists()
    client.logout()
    assert client.get(download_url(application)).status_code == 302


def test_only_the_issuing_office_revokes(client, approved, jwc_staff, student_user):
    document = result_document_issue(application=approved())
    xgb = make_user("xgb-revoker", roles=[("office_staff", "XGB")])
    for outsider in (xgb, student_user):
        with pytest.raises(PermissionDenied):
            result_document_revoke(document=document, actor=outsider, reason="不对")
    assert SecurityEvent.objects.filter(actor="xgb-revoker", kind="permission_denied").exists()
    with pytest.raises(RevocationRefused):
        result_document_revoke(document=document, actor=jwc_staff, reason="  ")
    revoke = reverse("results:revoke", args=[document.number])
    client.force_login(xgb)
    assert client.post(revoke, {"reason": "不对"}).status_code == 404  # cannot even see it
    client.force_login(student_user)
    assert client.post(revoke, {"reason": "不对"}).status_code == 403
    document.refresh_from_db()
    assert document.revoked_at is None
    # The office, from the workbench page.
    client.force_login(jwc_staff)
    workbench = reverse("workbench:detail", args=[document.application.reference])
    assert revoke in client.get(workbench).content.decode()
    response = client.post(revoke, {"reason": "信息有误，重新开具"})
    assert response.status_code == 302 and response["Location"] == workbench
    document.refresh_from_db()
    assert document.revocation_reason == "信息有误，重新开具"


def test_a_missing_key_never_blocks_the_approval(
    approved, settings, tmp_path, client, student_user
):
    settings.RESULTS_SIGNING_KEY = tmp_path / "missing-key.pem"
    application = approved()  # approved (秒批) all the same
    client.force_login(student_user)
    assert client.get(download_url(application)).status_code == 503
    assert not IssuedDocument.objects.filter(application=application).exists()


def test_the_approval_queues_the_task_after_commit(
    approved, django_capture_on_commit_callbacks, settings
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    from config.celery import app

    app.conf.task_always_eager = True
    try:
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            application = approved()
        assert callbacks
        document = IssuedDocument.objects.get(application=application)
    finally:
        app.conf.task_always_eager = False
    # The task is idempotent: running it again returns the same number.
    assert result_document_issue_task.apply(args=[application.pk]).get() == document.number
