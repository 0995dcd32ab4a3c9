"""Downloading notices over HTTP: who may, when, under which file name; links on both pages."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.urls import reverse

from campus_portal.applications import services
from campus_portal.audit.models import SecurityEvent
from tests.applications.conftest import make_user
from tests.documents.conftest import embedded_fonts, pdf_text

pytestmark = pytest.mark.django_db(databases=["default", "warehouse"])


def url(application, kind: str) -> str:
    return reverse("documents:notice", args=[application.reference, kind])


def test_the_applicant_downloads_the_receipt_with_a_chinese_file_name(
    client, submitted, staff, applicant
):
    application = submitted()
    services.application_accept(application, actor=staff)
    client.force_login(applicant)
    response = client.get(url(application, "receipt"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    number = f"{application.reference}-SL"
    assert response["Content-Disposition"] == (
        f'attachment; filename="{number}-receipt.pdf"; '
        f"filename*=UTF-8''{quote(number + '-受理回执.pdf')}"
    )
    assert response["Content-Disposition"].isascii()
    assert "%E5%8F%97%E7%90%86%E5%9B%9E%E6%89%A7" in response["Content-Disposition"]  # 受理回执
    pdf = response.content
    assert pdf.startswith(b"%PDF-")
    assert number in pdf_text(pdf)
    assert embedded_fonts(pdf)


def test_office_staff_download_it_too(client, submitted, staff):
    application = submitted()
    services.application_accept(application, actor=staff)
    client.force_login(staff)
    assert client.get(url(application, "receipt")).status_code == 200


def test_a_notice_not_issued_yet_is_a_404(client, submitted, applicant):
    application = submitted()
    client.force_login(applicant)
    for kind in ("receipt", "supplement", "not_accepted", "decision"):
        assert client.get(url(application, kind)).status_code == 404, kind
    assert client.get(f"/applications/{application.reference}/notices/other.pdf").status_code == 404


def test_other_people_get_a_logged_404(client, submitted, staff):
    application = submitted()
    services.application_accept(application, actor=staff)
    for stranger in (
        make_user("2023019999"),
        make_user("jwc-notice-staff", roles=[("office_staff", "JWC")]),
    ):
        client.force_login(stranger)
        assert client.get(url(application, "receipt")).status_code == 404
        denial = SecurityEvent.objects.get(kind="permission_denied", actor=stranger.get_username())
        assert denial.detail["application"] == application.reference
    client.logout()
    response = client.get(url(application, "receipt"))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_links_appear_on_the_applicant_page_once_issued(client, submitted, staff, applicant):
    application = submitted()
    client.force_login(applicant)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    detail = reverse("applications:detail", args=[application.reference])
    page = client.get(detail).content.decode()
    assert 'id="notices"' not in page
    services.application_accept(application, actor=staff)
    page = client.get(detail).content.decode()
    assert url(application, "receipt") in page and "Acceptance receipt" in page
    assert url(application, "decision") not in page


def test_links_appear_on_the_workbench_page(client, submitted, staff):
    application = submitted()
    services.application_not_accept(application, actor=staff, reason="材料不属于本部门受理范围")
    client.force_login(staff)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    page = client.get(reverse("workbench:detail", args=[application.reference])).content.decode()
    assert url(application, "not_accepted") in page and "Non-acceptance notice" in page
    assert url(application, "receipt") not in page
