"""The Content-Security-Policy holds in a real browser: no page type violates it.

Every page type of the portal (anonymous and signed in), the staff workbench and the kiosk is
opened in headless Chromium with a ``securitypolicyviolation`` listener installed before any of
the page's own code runs (DevTools ``addScriptToEvaluateOnNewDocument``); any violation fails
the test, and so does a page without the header or with ``unsafe-inline`` for scripts. A
control first shows that the listener does see an inline script being blocked.
"""

from __future__ import annotations

import pytest
import requests

from campus_portal.accounts.roles import Role
from campus_portal.applications import services
from campus_portal.catalog.models import MatterPage
from hall_kiosk import services as kiosk_services
from hall_kiosk.models import Kiosk
from tests.browser.flows import grants_for, staff, student

pytestmark = [
    pytest.mark.django_db(
        transaction=True, serialized_rollback=True, databases=["default", "warehouse"]
    ),
    pytest.mark.browser,
]

LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__cspViolations.push(event.violatedDirective + " " + (event.blockedURI || "inline")
    + " " + (event.sourceFile || "") + ":" + (event.lineNumber || ""));
});
"""


@pytest.fixture
def watched(portal):
    script = portal.browser.execute_cdp_cmd(
        "Page.addScriptToEvaluateOnNewDocument", {"source": LISTENER}
    )
    yield portal
    portal.browser.execute_cdp_cmd(
        "Page.removeScriptToEvaluateOnNewDocument", {"identifier": script["identifier"]}
    )


def _violations(portal, path: str, ready: str = "body") -> list[str]:
    portal.open(path)
    portal.wait_for(ready)
    # Deferred scripts and late loads: wait until the document has finished loading.
    portal._wait().until(lambda b: b.execute_script("return document.readyState") == "complete")
    return portal.browser.execute_script("return window.__cspViolations || []")


def _header(portal, path: str, cookies=None) -> str:
    response = requests.get(portal.url + path, cookies=cookies, allow_redirects=False, timeout=10)
    return response.headers.get("Content-Security-Policy", "")


def _script_src(policy: str) -> str:
    return next(
        (part.strip() for part in policy.split(";") if part.strip().startswith("script-src")), ""
    )


def test_the_listener_sees_a_blocked_inline_script(watched):
    watched.open("/")
    watched.wait_for("body")
    watched.browser.execute_script(
        "var s = document.createElement('script'); s.textContent = 'window.__ran = 1;';"
        "document.body.appendChild(s);"
    )
    violations = watched.browser.execute_script("return window.__cspViolations")
    assert violations and violations[0].startswith("script-src")
    assert watched.browser.execute_script("return window.__ran") is None


def test_no_page_type_violates_the_policy(watched, live_server):
    portal = watched
    grants_for("jwc.enrollment_certificate")
    applicant = student()
    officer = staff("csp-jwc", (Role.OFFICE_STAFF, "JWC"))
    matter = MatterPage.objects.get(code="SF-JWC-001")
    draft = services.application_start(user=applicant.user, matter=matter)
    services.application_consent(draft, actor=applicant.user)
    submitted = services.application_start(user=applicant.user, matter=matter)
    services.application_consent(submitted, actor=applicant.user)
    services.application_submit(
        submitted, actor=applicant.user, answers={"use": "出国", "copies": 1}, idempotency_key="c"
    )
    pages: dict[str, list[str]] = {}

    # The portal, anonymous.
    for path in ("/", matter.url, "/accounts/login/", "/verify/", "/api/v1/matters/"):
        pages[path] = _violations(portal, path)
        policy = _header(portal, path)
        assert _script_src(policy) == "script-src 'self'", (path, policy)

    # The portal, signed in: the form (its submit button is the static once.js's), the list.
    portal.sign_in(applicant)
    for path in (
        f"/apply/{matter.code}/",
        f"/applications/{draft.reference}/form/",
        f"/applications/{submitted.reference}/",
        "/applications/",
        "/me/data-access/",
        "/me/messages/",
    ):
        pages[path] = _violations(portal, path)
    assert portal.browser.execute_script("return typeof document.querySelector") == "function"

    # The workbench.
    portal.sign_in(officer)
    for path in ("/workbench/", f"/workbench/{submitted.reference}/"):
        pages[path] = _violations(portal, path)

    # The kiosk: an enrolled browser.
    portal.open("/healthz")
    portal.browser.delete_all_cookies()
    kiosk = Kiosk.objects.create(number=7, name="7号自助终端")
    code = kiosk_services.kiosk_enrolment_issue(kiosk=kiosk, actor=officer.user)
    pages["/kiosk/enrol/"] = _violations(portal, f"/kiosk/enrol/{code}/", "#enrol-confirm")
    portal.click("#enrol-confirm")
    portal.wait_for("#kiosk-start")
    for path in ("/kiosk/", "/kiosk/matters/", "/kiosk/queue/", "/kiosk/hall-display/"):
        pages[path] = _violations(portal, path)
    kiosk_cookies = {c["name"]: c["value"] for c in portal.browser.get_cookies()}
    assert _script_src(_header(portal, "/kiosk/", kiosk_cookies)) == "script-src 'self'"

    broken = {path: found for path, found in pages.items() if found}
    assert not broken, broken
