"""Fast kiosk tests without a browser: devices, card and PIN, QR tokens, printing, submit."""

from __future__ import annotations

import datetime as dt
import hashlib
import io

import pytest
import time_machine
from django.test import Client
from django.utils import timezone, translation
from pypdf import PdfReader
from weasyprint import HTML

from campus_portal.applications.models import Application
from campus_portal.applications.services import (
    application_consent,
    application_start,
    application_submit,
)
from campus_portal.audit.models import SecurityEvent
from campus_portal.catalog.models import MatterPage
from campus_portal.results.models import IssuedDocument
from campus_portal.results.signing import pdf_signature_check
from hall_kiosk import services
from hall_kiosk.models import CardCredential, Kiosk, PrintJob, QrSignIn
from hall_kiosk.printable import printable_document
from tests.applications.conftest import make_user
from tests.hall_kiosk.conftest import CARD, PIN, enrolled_kiosk, kiosk_client
from tests.hall_kiosk.cups_printer import pages_differ

pytestmark = pytest.mark.django_db(databases=["default", "warehouse"])


# --- Devices --------------------------------------------------------------------------------


def test_an_unenrolled_browser_gets_no_kiosk(db):
    response = Client().get("/kiosk/")
    assert response.status_code == 403
    assert "no-store" in response["Cache-Control"]
    assert b"not-enrolled" in response.content
    wrong = kiosk_client("not-a-device-token").get("/kiosk/queue/")
    assert wrong.status_code == 403


def test_enrolment_link_works_once_and_sets_the_device_cookie(db):
    kiosk = Kiosk.objects.create(number=7, name="7号自助终端")
    admin = make_user("kiosk-admin")
    code = services.kiosk_enrolment_issue(kiosk=kiosk, actor=admin)
    kiosk.refresh_from_db()
    assert code not in kiosk.enrolment_digest  # only the digest is stored
    browser = Client()
    assert browser.get(f"/kiosk/enrol/{code}/").status_code == 200  # asking uses nothing
    response = browser.post(f"/kiosk/enrol/{code}/")
    assert response.status_code == 302
    cookie = response.cookies["kiosk_device"]
    assert cookie["httponly"] and cookie["samesite"] == "Strict"
    assert browser.get("/kiosk/").status_code == 200
    kiosk.refresh_from_db()
    assert kiosk.token_digest == hashlib.sha256(cookie.value.encode()).hexdigest()
    # The same link again: refused, and the first device stays enrolled.
    again = Client().post(f"/kiosk/enrol/{code}/")
    assert again.status_code == 400 and "kiosk_device" not in again.cookies
    assert browser.get("/kiosk/").status_code == 200


def test_re_enrolling_locks_out_the_old_browser_and_links_expire(db):
    kiosk, token = enrolled_kiosk(number=8)
    old = kiosk_client(token)
    assert old.get("/kiosk/").status_code == 200
    code = services.kiosk_enrolment_issue(kiosk=kiosk, actor=make_user("admin-2"))
    assert old.get("/kiosk/").status_code == 403
    later = time_machine.travel(timezone.now() + dt.timedelta(hours=25))
    # The client's requests left Chinese active (LocaleMiddleware): read the message in English.
    with later, translation.override("en"), pytest.raises(services.KioskRefused, match="expired"):
        services.kiosk_enrol(code=code)


def test_a_hall_display_shows_the_calls_and_nothing_else(db):
    _display, token = enrolled_kiosk(number=20, kind=Kiosk.Kind.DISPLAY)
    screen = kiosk_client(token)
    assert screen.get("/kiosk/hall-display/").status_code == 200
    assert screen.get("/kiosk/").status_code == 403  # no sign-in or applying on a display


def test_admin_issues_an_enrolment_link_once(admin_user, client):
    kiosk = Kiosk.objects.create(number=9, name="9号")
    client.force_login(admin_user)
    page = client.get("/admin/kiosks/enrolment/")
    assert page.status_code == 200 and "9号" in page.content.decode()
    issued = client.post("/admin/kiosks/enrolment/", {"kiosk": kiosk.pk}).content.decode()
    link = issued.split('id="enrolment-link">')[1].split("<")[0]
    assert "/kiosk/enrol/" in link
    assert link not in client.get("/admin/kiosks/enrolment/").content.decode()
    assert Client().post(link.split("testserver")[1]).status_code == 302


# --- Card and PIN ---------------------------------------------------------------------------


def test_unknown_card_is_told_clearly_and_logged(kiosk):
    browser = kiosk_client(kiosk.token)
    page = browser.post("/kiosk/sign-in/card/", {"card_number": "99999999\n"}, follow=True)
    assert "not registered" in page.content.decode() or "未登记" in page.content.decode()
    assert SecurityEvent.objects.filter(
        kind="sign_in_failed", detail__reason="unknown-card"
    ).exists()


def test_card_and_pin_sign_in_only_the_kiosk(kiosk, card_holder):
    browser = kiosk_client(kiosk.token)
    browser.post("/kiosk/sign-in/card/", {"card_number": CARD})
    response = browser.post("/kiosk/sign-in/pin/", {"pin": PIN})
    assert response.status_code == 302
    assert "kiosk-menu" in browser.get("/kiosk/").content.decode()
    # Not a portal sign-in: the portal's own pages still ask for one.
    assert browser.get("/applications/")["Location"].startswith("/accounts/login/")
    assert SecurityEvent.objects.filter(kind="sign_in", detail__via="kiosk-card").exists()


def test_five_wrong_pins_lock_the_card_for_fifteen_minutes(kiosk, card_holder):
    browser = kiosk_client(kiosk.token)
    browser.post("/kiosk/sign-in/card/", {"card_number": CARD})
    for _ in range(4):
        page = browser.post("/kiosk/sign-in/pin/", {"pin": "0000"}).content.decode()
    assert "1" in page
    browser.post("/kiosk/sign-in/pin/", {"pin": "0000"})
    credential = CardCredential.objects.get(user=card_holder)
    assert credential.locked_until > timezone.now() + dt.timedelta(minutes=14)
    locked = SecurityEvent.objects.filter(kind="sign_in_failed", detail__locked=True)
    assert locked.count() == 1 and locked.get().actor == card_holder.username
    # Even the right PIN does not open a locked card …
    with translation.override("en"), pytest.raises(services.KioskRefused, match="locked"):
        services.card_pin_verify(credential_id=credential.pk, pin=PIN, kiosk=kiosk)
    with pytest.raises(services.KioskRefused):
        services.card_sign_in_start(card_number=CARD, kiosk=kiosk)
    # … until the 15 minutes are over.
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=16)):
        user = services.card_pin_verify(credential_id=credential.pk, pin=PIN, kiosk=kiosk)
    assert user == card_holder


def test_the_person_sets_their_pin_on_the_portal(card_holder, client):
    client.force_login(card_holder)
    page = client.get("/me/kiosk/pin/")
    assert "no-store" in page["Cache-Control"]
    client.post("/me/kiosk/pin/", {"pin": "12", "pin_again": "12"})
    old = CardCredential.objects.get(user=card_holder).pin_hash
    client.post("/me/kiosk/pin/", {"pin": "135790", "pin_again": "135790"})
    credential = CardCredential.objects.get(user=card_holder)
    assert credential.pin_hash != old and "135790" not in credential.pin_hash
    assert CARD not in credential.card_digest and credential.card_last4 == "3456"


# --- QR sign-in -----------------------------------------------------------------------------


def test_qr_sign_in_confirmed_once_by_the_phone(kiosk, card_holder):
    kiosk_browser = kiosk_client(kiosk.token)
    page = kiosk_browser.get("/kiosk/sign-in/qr/").content.decode()
    assert "<svg" in page
    qr = QrSignIn.objects.get()
    poll = f"/kiosk/sign-in/qr/{qr.pk}/poll/"
    assert kiosk_browser.get(poll).json() == {"signed_in": False}
    qr2, token = services.qr_sign_in_start(kiosk=kiosk)
    phone = Client()
    phone.force_login(card_holder)
    question = phone.get(f"/me/kiosk/sign-in/{token}/").content.decode()
    assert "3" in question and "qr-confirm" in question
    assert phone.post(f"/me/kiosk/sign-in/{token}/").status_code == 200
    # Reused: refused on the phone and nobody else can collect it.
    reused = phone.post(f"/me/kiosk/sign-in/{token}/")
    assert reused.status_code == 410
    answer = kiosk_browser.get(f"/kiosk/sign-in/qr/{qr2.pk}/poll/").json()
    assert answer["signed_in"] is True
    assert "kiosk-menu" in kiosk_browser.get("/kiosk/").content.decode()
    assert services.qr_sign_in_collect(kiosk=kiosk, qr_id=qr2.pk) is None  # used once


def test_qr_code_older_than_two_minutes_is_refused(kiosk, card_holder):
    qr, token = services.qr_sign_in_start(kiosk=kiosk)
    later = time_machine.travel(timezone.now() + dt.timedelta(seconds=121))
    with later, pytest.raises(services.KioskRefused, match="expired"):
        services.qr_sign_in_confirm(token=token, user=card_holder)
    assert services.qr_sign_in_collect(kiosk=kiosk, qr_id=qr.pk) is None
    with pytest.raises(services.KioskRefused):
        services.qr_sign_in_get(token="made-up")


# --- Applying and printing ------------------------------------------------------------------


def _approved_certificate(user) -> Application:
    matter = MatterPage.objects.get(code="SF-JWC-001")
    application = application_start(user=user, matter=matter, channel="kiosk")
    application_consent(application, actor=user, channel="kiosk")
    return application_submit(
        application, actor=user, answers={"use": "签证", "copies": 1}, idempotency_key="k1"
    )


def test_printing_sends_the_document_to_cups(printer, kiosk, card_holder, tmp_path):
    application = _approved_certificate(card_holder)
    job = services.print_job_start(kiosk=kiosk, person=card_holder, application=application)
    assert job.state == PrintJob.State.QUEUED and job.lp_job_id.startswith(printer.queue)
    document = printable_document(application=application)
    assert job.sha256 == hashlib.sha256(document.pdf()).hexdigest()
    # What went to the printer is the signed certificate the portal offers, byte for byte.
    issued = IssuedDocument.objects.get(application=application)
    assert document.document_id == issued.number and job.sha256 == issued.sha256
    assert pdf_signature_check(document.pdf()).ok
    assert document.document_id in PdfReader(io.BytesIO(document.pdf())).pages[0].extract_text()
    files = printer.printed()
    assert len(files) == 1
    # cups-pdf re-renders what it is sent (ghostscript): the printed page is compared with the
    # document as it looks, and a different document's page is not like it.
    sent = tmp_path / "sent.pdf"
    sent.write_bytes(document.pdf())
    assert pages_differ(sent, files[0]) < 8
    other = tmp_path / "other.pdf"
    other.write_bytes(HTML(string="<h1>另一份文件</h1><p>XW0000</p>").write_pdf())
    assert pages_differ(other, files[0]) > 2 * pages_differ(sent, files[0])
    for _ in range(50):
        if services.print_job_refresh(job=job).state != PrintJob.State.QUEUED:
            break
    assert job.state == PrintJob.State.PRINTED


def test_a_stopped_printer_fails_clearly_and_a_retry_prints_the_same_document(
    printer, kiosk, card_holder
):
    application = _approved_certificate(card_holder)
    printer.stop("Media empty")
    job = services.print_job_start(kiosk=kiosk, person=card_holder, application=application)
    assert job.state == PrintJob.State.FAILED and "Media empty" in job.error
    browser = kiosk_client(kiosk.token)
    browser.post("/kiosk/sign-in/card/", {"card_number": CARD})
    browser.post("/kiosk/sign-in/pin/", {"pin": PIN})
    page = browser.get(f"/kiosk/print/{job.pk}/").content.decode()
    assert "print-failed" in page and "print-electronic" in page
    printer.start()
    retried = browser.post(f"/kiosk/print/{job.pk}/retry/")
    again = PrintJob.objects.exclude(pk=job.pk).get()
    assert retried["Location"] == f"/kiosk/print/{again.pk}/"
    assert again.document_id == job.document_id and again.attempt == 2
    assert IssuedDocument.objects.filter(application=application).count() == 1  # one number
    assert again.state == PrintJob.State.QUEUED
    assert len(printer.printed()) == 1  # the held job was cancelled, not printed later


def test_a_queue_that_refuses_jobs_is_an_lp_error(printer, kiosk, card_holder):
    application = _approved_certificate(card_holder)
    printer.reject("offline")
    job = services.print_job_start(kiosk=kiosk, person=card_holder, application=application)
    assert job.state == PrintJob.State.FAILED and job.error
    Kiosk.objects.filter(pk=kiosk.pk).update(printer_name="no-such-printer")
    kiosk.refresh_from_db()
    missing = services.print_job_start(kiosk=kiosk, person=card_holder, application=application)
    assert missing.state == PrintJob.State.FAILED and missing.error


def test_nobody_prints_someone_elses_document(kiosk, card_holder):
    application = _approved_certificate(card_holder)
    other = make_user("someone-else")
    with pytest.raises(Exception, match="print"):
        services.print_job_start(kiosk=kiosk, person=other, application=application)


def test_kiosk_submit_is_one_application_however_often_it_arrives(kiosk, card_holder):
    """A submit whose answer was lost is sent again with the same key: one application; a
    submit that never reached the server leaves a draft, not a half application."""
    browser = kiosk_client(kiosk.token)
    browser.post("/kiosk/sign-in/card/", {"card_number": CARD})
    browser.post("/kiosk/sign-in/pin/", {"pin": PIN})
    browser.get("/kiosk/apply/SF-JWC-001/")
    browser.post("/kiosk/apply/SF-JWC-001/", {"action": "consent"})
    # A form that does not validate is refused with its reasons and submits nothing.
    bad = {"action": "submit", "idempotency_key": "bad", "use": "实习", "copies": "9"}
    refused = browser.post("/kiosk/apply/SF-JWC-001/", bad, HTTP_X_REQUESTED_WITH="fetch")
    assert refused.status_code == 400 and refused.json()["errors"]
    form = browser.get("/kiosk/apply/SF-JWC-001/").content.decode()
    assert "张晓明" in form and 'autocomplete="off"' in form
    application = Application.objects.get(applicant=card_holder)
    assert application.state == "draft" and application.channel == "kiosk"
    data = {"action": "submit", "idempotency_key": "same-key", "use": "实习", "copies": "1"}
    fetch = {"HTTP_X_REQUESTED_WITH": "fetch"}
    first = browser.post("/kiosk/apply/SF-JWC-001/", data, **fetch).json()
    second = browser.post("/kiosk/apply/SF-JWC-001/", data, **fetch)
    assert first["ok"] is True
    assert Application.objects.filter(applicant=card_holder).count() == 1
    application.refresh_from_db()
    assert application.state == "approved"
    assert application.events.filter(kind="submitted").count() == 1
    assert second.json() == first


def test_every_kiosk_page_is_no_store_and_the_session_ends_with_the_task(kiosk, card_holder):
    browser = kiosk_client(kiosk.token)
    browser.post("/kiosk/sign-in/card/", {"card_number": CARD})
    browser.post("/kiosk/sign-in/pin/", {"pin": PIN})
    for path in ("/kiosk/", "/kiosk/matters/", "/kiosk/applications/", "/kiosk/queue/"):
        response = browser.get(path)
        assert response.status_code == 200, path
        assert "no-store" in response["Cache-Control"], path
    browser.get("/kiosk/sign-out/")
    assert browser.get("/kiosk/applications/")["Location"] == "/kiosk/"
    assert "kiosk-person" not in browser.get("/kiosk/").content.decode()


def test_the_server_forgets_an_idle_person(kiosk, card_holder, settings):
    settings.KIOSK_IDLE_SECONDS = 60
    browser = kiosk_client(kiosk.token)
    browser.post("/kiosk/sign-in/card/", {"card_number": CARD})
    browser.post("/kiosk/sign-in/pin/", {"pin": PIN})
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=90)):
        assert browser.get("/kiosk/matters/")["Location"] == "/kiosk/"
