"""Uploading through the applicant's form, and who may download what was uploaded."""

from __future__ import annotations

import pytest
from django.urls import reverse

from campus_portal.applications import services
from campus_portal.applications.models import Step
from campus_portal.attachments.models import Attachment
from campus_portal.audit.models import SecurityEvent
from tests.attachments.conftest import EXE, HTML, PDF, png_bytes, upload

pytestmark = pytest.mark.django_db(databases=["default", "warehouse"])


def download_url(application, attachment) -> str:
    return reverse("applications:attachment", args=[application.reference, attachment.pk])


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_the_form_stores_the_invoice_and_answers_with_its_summary(client, claim_world):
    application = claim_world.apply(
        client, files={"invoice": upload("invoice.pdf", png_bytes(), "application/pdf")}
    )
    assert claim_world.response.status_code == 302
    assert application.state == "submitted"
    attachment = Attachment.objects.get(application=application)
    assert application.answers["invoice"] == {
        "attachment": attachment.pk,
        "name": "invoice.png",
        "size": len(png_bytes()),
    }
    assert application.answers["other_documents"] is None
    assert application.answers["amount"] == "1280.50"
    assert (attachment.field_name, attachment.content_type) == ("invoice", "image/png")
    assert attachment.uploaded_by == claim_world.applicant
    # The applicant's page lists it with a download link.
    html = client.get(reverse("applications:detail", args=[application.reference])).content
    assert download_url(application, attachment).encode() in html
    assert "发票".encode() in html


@pytest.mark.parametrize("data", [HTML, EXE])
def test_a_web_page_or_program_named_pdf_is_refused_on_the_form(client, claim_world, data):
    application = claim_world.apply(client, files={"invoice": upload("invoice.pdf", data)})
    response = claim_world.response
    assert response.status_code == 200
    assert application.state == "draft"
    errors = response.context["form"].errors["invoice"]
    assert errors == [
        "“发票”: the file's content is not PDF, JPEG, PNG, OFD, whatever its name says. "
        "Upload a PDF, JPEG, PNG, OFD file."
    ]
    assert not Attachment.objects.exists()


def test_an_oversized_invoice_is_refused_on_the_form(client, claim_world, settings):
    settings.UPLOAD_MAX_BYTES = 2048
    application = claim_world.apply(
        client, files={"invoice": upload("scan.png", png_bytes(padding=4096), "image/png")}
    )
    assert application.state == "draft"
    assert "larger than" in claim_world.response.context["form"].errors["invoice"][0]
    assert not Attachment.objects.exists()


def test_the_budget_holder_may_not_be_the_applicant(client, claim_world):
    application = claim_world.apply(
        client, files={"invoice": upload("i.pdf", PDF)}, budget_holder=" 2024110001 "
    )
    assert application.state == "draft"
    assert claim_world.response.context["form"].errors["budget_holder"] == [
        "经费负责人不能是申请人本人，请填写经费负责人的工号。"
    ]


def test_the_file_goes_only_to_those_who_may_view_the_application(client, claim_world):
    application = claim_world.apply(client, files={"invoice": upload("发票.pdf", PDF)})
    attachment = application.attachments.get()
    url = download_url(application, attachment)
    services.application_accept(application, actor=claim_world.cwc_staff)
    assert application.steps.get(key="budget_holder").assignee_uid == "T20010"

    for user in (claim_world.applicant, claim_world.holder, claim_world.cwc_staff):
        response = claim_world.as_user(client, user).get(url)
        assert response.status_code == 200, user
        assert response["Content-Type"] == "application/pdf"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Disposition"].startswith("attachment;")
        assert "filename*=utf-8''%E5%8F%91%E7%A5%A8.pdf" in response["Content-Disposition"]
        assert body(response) == PDF

    missing = download_url(application, attachment).replace(
        f"/{attachment.pk}/", f"/{attachment.pk + 1000}/"
    )
    for user in (claim_world.other_student, claim_world.jwc_staff):
        denials = SecurityEvent.objects.filter(kind="permission_denied").count()
        client = claim_world.as_user(client, user)
        assert client.get(url).status_code == 404
        assert client.get(missing).status_code == 404  # the same answer as a missing file
        assert SecurityEvent.objects.filter(kind="permission_denied").count() > denials
    # The applicant asking for a file of theirs that does not exist: 404 too.
    assert claim_world.as_user(client, claim_world.applicant).get(missing).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to sign-in


def test_the_budget_holder_sees_nothing_before_the_claim_is_accepted(client, claim_world):
    application = claim_world.apply(client, files={"invoice": upload("i.pdf", PDF)})
    url = download_url(application, application.attachments.get())
    assert claim_world.as_user(client, claim_world.holder).get(url).status_code == 404


def test_a_supplement_keeps_the_invoice_unless_a_new_one_is_chosen(client, claim_world):
    application = claim_world.apply(client, files={"invoice": upload("first.pdf", PDF)})
    first = application.attachments.get()
    services.application_accept(application, actor=claim_world.cwc_staff)
    application.refresh_from_db()
    services.application_return_for_supplement(
        application, actor=claim_world.cwc_staff, items=["发票抬头不对"]
    )
    form_url = reverse("applications:form", args=[application.reference])
    claim_world.as_user(client, claim_world.applicant)
    # No new file: the answer keeps the first invoice (a typed item asks for text, not a file).
    response = client.post(
        form_url,
        {**_answers(purpose="改正后的用途"), "idempotency_key": "s1", "supplement_1": "已改抬头"},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == "in_progress"
    assert application.answers["invoice"]["attachment"] == first.pk
    assert application.answers["purpose"] == "改正后的用途"
    assert application.attachments.count() == 1


def test_a_supplement_can_replace_the_invoice(client, claim_world):
    application = claim_world.apply(client, files={"invoice": upload("first.pdf", PDF)})
    first = application.attachments.get()
    services.application_return_for_supplement(
        application, actor=claim_world.cwc_staff, items=["发票不清晰"]
    )
    claim_world.as_user(client, claim_world.applicant)
    form_url = reverse("applications:form", args=[application.reference])
    assert "first.pdf" in client.get(form_url).content.decode()  # shown as already uploaded
    response = client.post(
        form_url,
        {
            **_answers(),
            "idempotency_key": "s2",
            "invoice": upload("clear.png", png_bytes()),
            "supplement_1": "已换清晰的发票",
        },
    )
    assert response.status_code == 302
    application.refresh_from_db()
    second = application.attachments.exclude(pk=first.pk).get()
    assert application.answers["invoice"]["attachment"] == second.pk
    assert second.content_type == "image/png"
    # Staff still see both; the first one marked as replaced.
    services.application_accept(application, actor=claim_world.cwc_staff)
    html = (
        claim_world.as_user(client, claim_world.cwc_staff)
        .get(reverse("workbench:detail", args=[application.reference]))
        .content.decode()
    )
    assert download_url(application, first) in html and download_url(application, second) in html
    assert html.count("replaced in the supplement") == 1


def test_a_double_submitted_form_stores_the_file_once(client, claim_world):
    application = claim_world.apply(client, files={"invoice": upload("i.pdf", PDF)})
    response = client.post(
        reverse("applications:form", args=[application.reference]),
        {
            **_answers(),
            "idempotency_key": f"k-{application.pk}",
            "invoice": upload("i.pdf", PDF),
        },
    )
    assert response.status_code == 302  # already submitted: to the application
    assert application.attachments.count() == 1


def _answers(**overrides):
    from tests.attachments.conftest import claim_answers

    return claim_answers(**overrides)


def test_steps_assigned_by_name_reach_nobody_else(claim_world, client):
    application = claim_world.apply(client, files={"invoice": upload("i.pdf", PDF)})
    services.application_accept(application, actor=claim_world.cwc_staff)
    step = application.steps.get(key="budget_holder")
    assert step.state == Step.State.ACTIVE
    other = claim_world.as_user(client, claim_world.other_student)
    assert other.get("/workbench/").status_code == 403
    assert (
        other.get(reverse("applications:detail", args=[application.reference])).status_code == 404
    )
