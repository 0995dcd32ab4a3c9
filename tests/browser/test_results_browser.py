"""A signed certificate in a real browser: the applicant downloads it from "我的办件", its QR
code's address opens the verify page, and the file uploaded there is genuine. Saves
docs/screenshots/certificate.png (the PDF's first page, by pdftoppm) and verify.png."""

from __future__ import annotations

import subprocess
import urllib.request
from collections.abc import Iterator

import pytest
from django.conf import settings as django_settings

from campus_portal.results.keys import configured_key_files, key_pair_ensure
from campus_portal.results.models import IssuedDocument
from campus_portal.results.services import result_demo_setup
from campus_portal.results.signing import pdf_signature_check
from tests.browser.flows import Portal, grants_for, portal_for, student
from tests.conftest import ROOT
from tests.documents.conftest import pdf_text

pytestmark = [
    pytest.mark.django_db(
        transaction=True, serialized_rollback=True, databases=["default", "warehouse"]
    ),
    pytest.mark.browser,
]
SCREENSHOTS = ROOT / "docs" / "screenshots"


@pytest.fixture
def portal(browser, live_server, catalog_home, settings) -> Iterator[Portal]:
    # The session's test keys (tests/results/conftest.py makes them the same way).
    key_pair_ensure(configured_key_files(), organisation=django_settings.UNIVERSITY_NAME)
    # PRIVATE_MEDIA_ROOT stays the session's: the Celery worker may issue the document first
    # (the approval queues it), and the worker writes where the settings of VAR_DIR say.
    with portal_for(browser, live_server, settings) as portal:
        yield portal


def test_certificate_download_and_verification(portal, tmp_path):
    grants_for("jwc.enrollment_certificate")
    result_demo_setup()
    zhang = student(name="张晓明")
    portal.sign_in(zhang)
    reference = portal.apply("SF-JWC-001", {"use": "办理签证", "copies": "1"})
    assert portal.state() == "approved"
    link = portal.wait_for("#result-download").get_attribute("href")
    # The browser's session downloads it (headless Chromium saves PDFs instead of showing them).
    cookies = "; ".join(f"{c['name']}={c['value']}" for c in portal.browser.get_cookies())
    request = urllib.request.Request(link, headers={"Cookie": cookies})
    with urllib.request.urlopen(request, timeout=60) as response:
        assert response.headers["Content-Type"] == "application/pdf"
        pdf = response.read()
    document = IssuedDocument.objects.get(application__reference=reference)
    assert pdf_signature_check(pdf).ok
    # The QR code's address (RESULTS_VERIFY_BASE_URL of whichever process issued it) ends in
    # the verify path; here it is opened on the live server.
    assert f"/verify/{document.number}/" in pdf_text(pdf)
    path = tmp_path / "certificate.pdf"
    path.write_bytes(pdf)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "80",
            "-singlefile",
            str(path),
            str(SCREENSHOTS / "certificate"),
        ],
        check=True,
        timeout=60,
    )
    assert (SCREENSHOTS / "certificate.png").stat().st_size > 10_000
    # Anyone (signed out) opens the QR code's address.
    portal.browser.delete_all_cookies()
    portal.open(document.verify_path)
    status = portal.wait_for("#verify-status")
    assert status.get_attribute("data-status") == "valid"
    assert portal.find("#verify-holder").text == "张**"
    assert "张晓明" not in portal.find("main").text
    portal.find("#id_file").send_keys(str(path))
    portal.click("#verify-submit")
    assert portal.wait_for("#upload-result").get_attribute("data-genuine") == "yes"
    assert portal.find("#upload-bytes").get_attribute("data-ok") == "yes"
    portal.browser.save_screenshot(str(SCREENSHOTS / "verify.png"))
    assert (SCREENSHOTS / "verify.png").stat().st_size > 10_000
