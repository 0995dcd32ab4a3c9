"""The hall kiosk end to end in the session's Chromium, as a kiosk in the hall is used.

One long story on one enrolled kiosk (portrait 1080×1920 first, then landscape 1920×1080):
enrolment → card swipe (the reader's fast keystrokes and Enter) → PIN on the keypad → large
text, high contrast, English → apply for 在读证明 (prefilled; the network drops at the first
submit: a clear message and no application; sent again, decided at once) → print it on the
CUPS virtual PDF printer and compare the printed page → automatic sign-out after the task,
and Back shows nothing of the person → queue ticket → the window calls it, the hall display
shows it → idle sign-out with its warning → QR sign-in confirmed from the phone (a Django
test client signed in to the portal: the phone's own sign-in is tested elsewhere).
Every screen is checked with axe-core; the main ones are saved to docs/screenshots/.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from campus_portal.accounts.roles import Role
from campus_portal.applications.models import Application
from campus_portal.queueing import services as queue_services
from campus_portal.queueing.models import ServiceCategory, Ticket
from campus_portal.results.models import IssuedDocument
from campus_portal.results.signing import pdf_signature_check
from hall_kiosk import services
from hall_kiosk.models import Kiosk, PrintJob
from tests.browser.axe import axe_violations
from tests.browser.flows import catalog_ready, grants_for, staff, student
from tests.hall_kiosk.conftest import (  # noqa: F401 (session fixtures)
    CARD,
    PIN,
    cups_printer,
    results_signing_keys,
)
from tests.hall_kiosk.cups_printer import pages_differ

pytestmark = [
    pytest.mark.django_db(
        transaction=True, serialized_rollback=True, databases=["default", "warehouse"]
    ),
    pytest.mark.browser,
]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
NAME = "张晓明"


class Kiosk_:
    def __init__(self, browser, url: str) -> None:
        self.browser, self.url = browser, url
        self.checked: dict[str, list[str]] = {}

    def wait(self, css: str, timeout: float = 15):
        WebDriverWait(self.browser, timeout, poll_frequency=0.1).until(
            lambda b: b.find_elements(By.CSS_SELECTOR, css)
        )
        return self.browser.find_element(By.CSS_SELECTOR, css)

    def tap(self, css: str) -> None:
        """Click ``css``, finding it again if the page replaced it between finding and clicking
        (a preference switch reloads the screen while its new ``<html>`` is already there)."""

        def click(browser) -> bool:
            browser.find_element(By.CSS_SELECTOR, css).click()
            return True

        WebDriverWait(
            self.browser,
            15,
            poll_frequency=0.1,
            ignored_exceptions=[StaleElementReferenceException],
        ).until(click)

    def check(self, screen: str, *, screenshot: bool = False) -> None:
        """axe-core on this screen; the screenshot where the docs show it."""
        self.checked[screen] = axe_violations(self.browser)
        if screenshot:
            self.browser.save_screenshot(str(SCREENSHOTS / f"kiosk-{screen}.png"))

    def source(self) -> str:
        return self.browser.page_source


def test_a_person_at_the_kiosk(
    browser,
    live_server,
    settings,
    cups_printer,  # noqa: F811
    results_signing_keys,  # noqa: F811
    tmp_path,
):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.KIOSK_CUPS_SERVER = cups_printer.server
    settings.KIOSK_IDLE_SECONDS = 7
    settings.KIOSK_IDLE_WARNING_SECONDS = 4
    settings.KIOSK_FINISHED_SECONDS = 3
    settings.KIOSK_DISPLAY_REFRESH_SECONDS = 60
    cups_printer.cancel_all()
    cups_printer.start()
    for old in cups_printer.out_dir.glob("*.pdf"):
        old.unlink()
    catalog_ready()
    grants_for("jwc.enrollment_certificate")
    person = student(name=NAME)
    services.card_credential_set(user=person.user, card_number=CARD, pin=PIN)
    window = staff("window-a", (Role.WINDOW_STAFF, ""))
    category = ServiceCategory.objects.create(prefix="B", name="证明与成绩单")
    kiosk = Kiosk.objects.create(number=3, name="3号自助终端", printer_name=cups_printer.queue)
    code = services.kiosk_enrolment_issue(kiosk=kiosk, actor=window.user)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    browser.implicitly_wait(0)
    browser.set_window_size(1080, 1920)
    k = Kiosk_(browser, live_server.url)
    try:
        # An unenrolled browser gets no kiosk.
        browser.delete_all_cookies()
        browser.get(live_server.url + "/kiosk/")
        k.wait("#not-enrolled")
        k.check("not-enrolled")
        # Enrolment: the administrator's one-time link, opened on the kiosk.
        browser.get(f"{live_server.url}/kiosk/enrol/{code}/")
        k.wait("#enrol-confirm")
        k.check("enrol")
        k.tap("#enrol-confirm")
        k.wait("#kiosk-start")
        assert "3" in k.wait("#kiosk-name").text
        k.check("start", screenshot=True)

        # An unknown card, then the person's card: the reader types fast and presses Enter.
        k.wait("#card-number").send_keys("77770000" + Keys.ENTER)
        k.wait(".kiosk-message.error")
        k.check("unknown-card")
        k.wait("#card-number").send_keys(CARD + Keys.ENTER)
        k.wait("#pin-heading")
        assert k.wait("#pin-value").get_attribute("autocomplete") == "off"
        k.check("pin", screenshot=True)
        for digit in PIN:
            k.tap(f".key[data-key='{digit}']")
        k.tap("#pin-ok")
        k.wait("#kiosk-menu")
        assert NAME in k.wait("#kiosk-person").text
        k.check("menu", screenshot=True)

        # Large text, high contrast and English, on every screen; then back to Chinese.
        k.tap("#pref-text")
        k.wait("html.text-large")
        k.tap("#pref-contrast")
        k.wait("html.contrast-high")
        k.tap("#pref-language")
        k.wait("html[lang='en']")
        assert "What would you like to do?" in k.wait("#kiosk-menu").text
        k.check("menu-large-contrast-en", screenshot=True)
        k.tap("#pref-language")
        k.wait("html[lang='zh-hans']")
        k.tap("#pref-contrast")
        k.tap("#pref-text")
        k.wait("html:not(.text-large)")

        # Apply for 在读证明: consent, the prefilled form, the instant decision.
        k.tap("#tile-apply")
        k.wait("#kiosk-matters")
        k.check("matters", screenshot=True)
        k.tap("#kiosk-matters a[data-code='SF-JWC-001']")
        k.wait("#kiosk-consent")
        k.check("consent")
        k.tap("#kiosk-consent")
        k.wait("#kiosk-submit")
        assert NAME in [e.text for e in browser.find_elements(By.CSS_SELECTOR, ".prefill-value")]
        k.wait("#id_use").send_keys("办理签证")
        k.check("form", screenshot=True)
        # The network drops as the person presses 提交: a clear message, nothing submitted.
        offline = {"latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}
        browser.execute_cdp_cmd("Network.enable", {})
        browser.execute_cdp_cmd("Network.emulateNetworkConditions", {**offline, "offline": True})
        k.tap("#kiosk-submit")
        k.wait("#kiosk-offline:not([hidden])")
        k.check("offline", screenshot=True)
        assert Application.objects.get(applicant=person.user).state == "draft"
        browser.execute_cdp_cmd("Network.emulateNetworkConditions", {**offline, "offline": False})
        k.tap("#kiosk-offline-close")
        k.tap("#kiosk-submit")
        state = k.wait("#application-state")
        assert state.get_attribute("data-state") == "approved"
        application = Application.objects.get(applicant=person.user)
        assert application.channel == "kiosk"
        k.check("result", screenshot=True)

        # Print it: the job goes through CUPS to the cups-pdf printer.
        k.tap("#kiosk-print")
        k.wait("#print-done", timeout=30)
        k.check("printed", screenshot=True)
        job = PrintJob.objects.get()
        assert job.state == PrintJob.State.PRINTED and job.lp_job_id
        printed = cups_printer.printed()
        assert len(printed) == 1
        # The page that came out is the document, not another (cups-pdf re-renders it).
        from hall_kiosk.printable import printable_document

        document = printable_document(application=application)
        assert job.document_id == document.document_id
        # ... and it is the signed certificate with the portal's number and signature.
        issued = IssuedDocument.objects.get(application=application)
        assert (issued.number, issued.sha256) == (job.document_id, job.sha256)
        assert pdf_signature_check(document.pdf()).ok
        sent = tmp_path / "sent.pdf"
        sent.write_bytes(document.pdf())
        assert pages_differ(sent, printed[0]) < 8
        # The task is finished: signed out, and Back shows nothing of the person.
        k.wait("#kiosk-start")
        browser.back()
        k.wait("#kiosk-start")
        assert NAME not in k.source() and application.reference not in k.source()

        # A queue ticket (no sign-in needed); the window calls it; the hall display shows it.
        k.tap("#tile-queue")
        k.wait("#queue-B")
        k.check("queue", screenshot=True)
        k.tap("#queue-B")
        assert k.wait("#ticket-number").text == "B001"
        k.check("ticket", screenshot=True)
        ticket = Ticket.objects.get()
        queue_services.ticket_call_next(actor=window.user, window="3", categories=[category])
        k.wait("#kiosk-start")  # the ticket screen returned to the start by itself
        browser.get(live_server.url + "/kiosk/hall-display/")
        assert k.wait(".display-number").text == ticket.label
        k.check("hall-display", screenshot=True)

        # Idle: a warning, then the sign-out; landscape this time.
        browser.set_window_size(1920, 1080)
        browser.get(live_server.url + "/kiosk/")
        k.wait("#card-number").send_keys(CARD + Keys.ENTER)
        k.wait("#pin-heading")
        for digit in PIN:
            k.tap(f".key[data-key='{digit}']")
        k.tap("#pin-ok")
        k.wait("#kiosk-menu")
        k.check("menu-landscape", screenshot=True)
        k.wait("#kiosk-idle:not([hidden])", timeout=10)
        k.check("idle-warning", screenshot=True)
        k.wait("#signed-out-idle", timeout=10)
        assert NAME not in k.source()

        # QR sign-in, confirmed from the phone (signed in to the portal).
        k.tap("#tile-qr")
        link = k.wait("#qr-link").text
        k.check("qr", screenshot=True)
        from django.test import Client

        phone = Client()
        phone.force_login(person.user)
        path = link.split(live_server.url, 1)[1]
        question = phone.get(path).content.decode()
        assert "3 号自助终端登录" in question or "kiosk 3" in question
        phone.post(path)
        k.wait("#kiosk-menu", timeout=10)
        assert NAME in k.wait("#kiosk-person").text
        assert phone.post(path).status_code == 410  # reused: refused
        # 我的办件 and the locker screen of the signed-in person.
        k.tap("#tile-applications")
        k.wait(f"#kiosk-applications a[data-reference='{application.reference}']")
        k.check("applications", screenshot=True)
        browser.get(live_server.url + "/kiosk/locker/")
        k.wait("#locker-form")
        k.check("locker", screenshot=True)
    finally:
        browser.set_window_size(1280, 900)
        browser.implicitly_wait(5)
        browser.delete_all_cookies()
    failures = {screen: found for screen, found in k.checked.items() if found}
    assert not failures, failures
