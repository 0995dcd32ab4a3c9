"""Finding 1 of issue 17, over HTTP against a live server (run it on PostgreSQL too).

As 李研 (a graduate student), submit 日常费用报销 naming another student as 经费负责人: before
the fix the claim went through, 财务处 accepted it and the other student — no role, no MFA —
opened it in /workbench/ and approved the step. Now the form refuses the number on its field,
and a student named on an older claim can neither see nor approve it; the real budget holder
must enrol MFA first and then sees only the claim that names them.
"""

from __future__ import annotations

import re

import pytest
import requests
from django.conf import settings
from django.test import Client

from campus_portal.applications import services
from campus_portal.applications.models import Application, Step
from tests.applications.conftest import make_user
from tests.attachments.conftest import (
    APPLICANT_UID,
    MATTER,
    PDF,
    claim_answers,
    claim_world_create,
    warehouse_graduate,
)

pytestmark = pytest.mark.django_db(
    transaction=True, serialized_rollback=True, databases=["default", "warehouse"]
)


@pytest.fixture
def live(live_server, catalog_home):
    """The live server on the reference catalog, every handler bound (a transactional test
    starts from an empty database)."""
    from campus_portal.applications.services import handler_bindings_ensure
    from campus_portal.catalog.services import power_list_import
    from tests.conftest import REFERENCE_CSV

    power_list_import(data=REFERENCE_CSV.read_bytes(), filename="list.csv", dry_run=False)
    handler_bindings_ensure()
    return live_server


CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Browser:
    """A ``requests`` session signed in as one user on the live server."""

    def __init__(self, live_server, user) -> None:
        self.base = live_server.url
        self.http = requests.Session()
        self.http.headers["Accept-Language"] = "en"
        self.http.headers["Accept"] = "text/html"
        client = Client()
        client.force_login(user)
        self.http.cookies.set(
            settings.SESSION_COOKIE_NAME, client.cookies[settings.SESSION_COOKIE_NAME].value
        )

    def get(self, path: str) -> requests.Response:
        return self.http.get(self.base + path, allow_redirects=False, timeout=30)

    def post(self, path: str, data: dict, files: dict | None = None) -> requests.Response:
        page = self.http.get(self.base + path, timeout=30).text
        token = CSRF.search(page)
        if token is None:  # a POST-only URL: any page sets the CSRF cookie
            self.http.get(self.base + "/accounts/login/", timeout=30)
        token = token.group(1) if token else self.http.cookies.get("csrftoken", "")
        return self.http.post(
            self.base + path,
            data={**data, "csrfmiddlewaretoken": token},
            files=files,
            headers={"Referer": self.base + path},
            allow_redirects=False,
            timeout=30,
        )


def _claim(world, browser: Browser, holder: str) -> tuple[Application, requests.Response]:
    assert browser.post(f"/apply/{MATTER}/", {}).status_code == 302
    application = Application.objects.filter(applicant=world.applicant).latest("pk")
    form = f"/applications/{application.reference}/form/"
    assert browser.post(f"/applications/{application.reference}/consent/", {}).status_code == 302
    response = browser.post(
        form,
        {**claim_answers(budget_holder=holder), "idempotency_key": f"http-{application.pk}"},
        files={"invoice": ("invoice.pdf", PDF, "application/pdf")},
    )
    application.refresh_from_db()
    return application, response


def test_a_student_cannot_be_named_nor_approve_a_claim(live):
    world = claim_world_create()
    applicant = Browser(live, world.applicant)
    other = world.other_student  # 2024110002, a graduate student with an account, no role

    # 1. Naming another student is refused on the field; nothing is submitted.
    application, response = _claim(world, applicant, "2024110002")
    assert response.status_code == 200
    assert application.state == Application.State.DRAFT
    field = re.search(r'id="[^"]*budget_holder[^"]*".*?</(?:div|p|ul)>', response.text, re.S)
    assert "2024110002 cannot be named for" in response.text, response.text[:2000]
    assert field is not None

    # Naming oneself is refused too (the plugin's own check, and the core's).
    _application, response = _claim(world, applicant, APPLICANT_UID)
    assert response.status_code == 200 and "budget_holder" in response.text

    # 2. An older claim (submitted before the rule) that names the student: accepted by 财务处,
    #    the student opens /workbench/ — even with an authenticator app — and is refused.
    claim, response = _claim(world, applicant, "T20010")
    assert response.status_code == 302 and claim.state == Application.State.SUBMITTED
    services.application_accept(claim, actor=world.cwc_staff)
    step = claim.steps.get(key="budget_holder")
    Step.objects.filter(pk=step.pk).update(assignee_uid="2024110002")
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    TOTP.activate(other, generate_totp_secret())
    student = Browser(live, other)
    assert student.get("/workbench/").status_code == 403
    assert student.get(f"/workbench/{claim.reference}/").status_code == 403
    assert student.get(f"/applications/{claim.reference}/").status_code == 404
    refused = student.post(
        f"/workbench/{claim.reference}/",
        {"action": "approve", "step": step.pk, "version": step.version},
    )
    assert refused.status_code == 403
    step.refresh_from_db()
    assert step.state == Step.State.ACTIVE


def test_the_budget_holder_must_use_mfa_and_sees_only_their_claim(live):
    world = claim_world_create()
    from allauth.mfa.models import Authenticator

    Authenticator.objects.filter(user=world.holder).delete()  # not enrolled yet
    applicant = Browser(live, world.applicant)
    claim, _response = _claim(world, applicant, "T20010")
    services.application_accept(claim, actor=world.cwc_staff)
    # Someone else's claim that does not name the holder.
    warehouse_graduate("2024110009")
    stranger = make_user("stranger", person_uid="2024110009")
    other_claim = Application.objects.create(
        reference="OTHER-1",
        matter=claim.matter,
        handler_key=claim.handler_key,
        office_code="CWC",
        applicant=stranger,
        applicant_uid="2024110009",
    )

    holder = Browser(live, world.holder)
    response = holder.get("/workbench/")
    assert response.status_code == 302 and "/accounts/2fa/" in response.headers["Location"]
    assert holder.get(f"/applications/{claim.reference}/").status_code in (302, 404)

    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    TOTP.activate(world.holder, generate_totp_secret())
    assert claim.reference in holder.get("/workbench/").text
    assert holder.get(f"/workbench/{claim.reference}/").status_code == 200
    assert holder.get(f"/workbench/{other_claim.reference}/").status_code == 404
