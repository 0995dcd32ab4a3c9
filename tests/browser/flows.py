"""Helpers for the end-to-end browser tests: people, sign-in through the real forms, page steps.

Data is set up directly (people in the warehouse, accounts, roles, grants, bindings) because it
exists before anyone opens a browser; every *transition* of an application is then driven by
clicking through the real pages as the applicant, the office and the window would.

Staff sign in with a password and a TOTP code computed from the secret their authenticator was
activated with (allauth accepts each code once per 30 s step; ``Account.code`` hands out the
current, next and previous codes in turn, which ``MFA_TOTP_TOLERANCE = 1`` makes valid).
"""

from __future__ import annotations

import datetime as dt
import itertools
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from django.contrib.auth import get_user_model
from django.utils import timezone
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from campus_portal.accounts.services import identity_link, role_assign
from campus_portal.applications.models import Application
from campus_portal.applications.services import handler_bindings_ensure
from campus_portal.catalog.services import power_list_import
from campus_portal.common.page_cache import page_cache_clear
from campus_portal.plugin_api import registry
from data_warehouse.models import OrgUnit, Person, StudentRecord
from data_warehouse.services import grant_create
from tests.conftest import reference_rows, rows_to_csv

PASSWORD = "pw-Flow-12345"
WAIT = 15
# Sensitive items the allocating office must see in clear (plugins/dormitory_change).
UNMASKED = frozenset({"student.dormitory"})
_serial = itertools.count(1)


# The reference matters the stories apply for (rows of demo_data/micro_power_list.csv).
MATTERS = ("SF-JWC-001", "SF-JWC-003", "SF-JWC-004", "SF-XGB-006", "SF-HQC-001", "SF-XB-002")


def catalog_ready() -> None:
    """The catalog and the default handler bindings (transactional tests start without them).

    Only the reference list's rows for ``MATTERS`` are imported, through the real import: the
    whole list costs seconds per test and nothing here looks at the other matters.
    """
    rows = [row for row in reference_rows() if row["事项编码"] in MATTERS]
    assert len(rows) == len(MATTERS)
    plan = power_list_import(data=rows_to_csv(rows), filename="list.csv", dry_run=False)
    assert plan.ok, plan.problems
    handler_bindings_ensure()


def grants_for(*handler_keys: str) -> None:
    """What a data steward grants each handler: its data needs (the room unmasked)."""
    for key in handler_keys:
        for item in registry.get(key).data_needs:
            grant_create(
                handler_key=key,
                item_key=item,
                purpose="办理",
                granted_by="steward",
                unmasked=item in UNMASKED,
            )


@dataclass
class Account:
    """An account that signs in through the form; ``secret`` is set for staff (TOTP)."""

    user: object
    login: str
    secret: str = ""
    used: set[str] = field(default_factory=set)

    def code(self) -> str:
        step = int(time.time()) // 30
        for offset in (0, 1, -1):
            code = format_hotp_value(hotp_value(self.secret, step + offset))
            if code not in self.used:
                self.used.add(code)
                return code
        raise AssertionError("no unused TOTP code left in this 30 s step")


def _account(username: str, **names):
    user = get_user_model().objects.create_user(
        username, f"{username}@campus.example", PASSWORD, **names
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def student(
    uid: str = "",
    *,
    name: str = "张晓明",
    status: str = "在读",
    degree_level: str = "本科",
) -> Account:
    """A student in the warehouse with a campus account linked to the record."""
    uid = uid or f"2023{next(_serial):06d}"
    school, _ = OrgUnit.objects.get_or_create(
        code="CS", defaults={"name": "计算机学院", "kind": OrgUnit.Kind.SCHOOL}
    )
    person = Person.objects.create(
        uid=uid, name=name, gender=Person.Gender.MALE, id_card_number="330106200501011234"
    )
    StudentRecord.objects.create(
        person=person,
        number=uid,
        school=school,
        major="软件工程",
        class_name="软件2301",
        degree_level=degree_level,
        grade_year=2023,
        enrolment_status=status,
        dormitory="紫金港 5 舍 301",
        valid_from=timezone.now() - dt.timedelta(days=400),
        source="教务系统",
    )
    user = _account(uid, first_name=name[1:], last_name=name[0])
    identity_link(user, person_uid=uid, source="manual")
    return Account(user=user, login=uid)


def staff(username: str, *grants: tuple[str, str]) -> Account:
    """Staff with roles and an enrolled authenticator whose secret the test knows."""
    user = _account(username)
    for role, office in grants:
        role_assign(user, role=role, office_code=office, by="test")
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return Account(user=user, login=username, secret=secret)


def transcript_to_check(portal: Portal, applicant: Account) -> str:
    """A Chinese transcript applied for by a suspended student (休学): not issued on the spot,
    教务处 checks it in 3 working days. Returns the reference (state: submitted)."""
    portal.sign_in(applicant)
    return portal.apply("SF-JWC-003", {"language": "zh", "copies": "1"}, selects=("language",))


def bind(handler_key: str, matter_code: str) -> None:
    """What an administrator does in the admin for a handler without matter codes (bundles)."""
    from campus_portal.applications.models import HandlerBinding
    from campus_portal.catalog.models import MatterPage

    HandlerBinding.objects.update_or_create(
        matter=MatterPage.objects.get(code=matter_code),
        defaults={"handler_key": handler_key, "enabled": True},
    )


@contextmanager
def portal_for(browser, live_server, settings) -> Iterator[Portal]:
    """A ``Portal`` on the reference catalog; the session browser is left as it was found."""
    settings.MFA_TOTP_TOLERANCE = 1  # Account.code: one staff member signs in repeatedly
    # Passwords are checked for real, with a cheap hash: a story signs in a dozen times.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    catalog_ready()
    try:
        yield Portal(browser, live_server)
    finally:
        browser.implicitly_wait(5)  # as tests/browser/conftest.py set it for the other tests


# --- Driving the pages -----------------------------------------------------------------------


class Portal:
    """The one shared Chromium, pointed at the live server, signed in as one person at a time."""

    def __init__(self, browser, live_server) -> None:
        # Explicit waits only: with the session's implicit wait every check that something is
        # *absent* would cost its full timeout.
        browser.implicitly_wait(0)
        self.browser = browser
        self.url = live_server.url
        self.who: Account | None = None
        self.prefill: list[str] = []  # what the last form showed read-only
        self.asked: set[str] = set()  # and the fields it asked for

    # navigation and waiting
    def _wait(self) -> WebDriverWait:
        return WebDriverWait(self.browser, WAIT, poll_frequency=0.1)

    def open(self, path: str) -> None:
        self.browser.get(self.url + path)

    def path(self) -> str:
        return "/" + self.browser.current_url.split("//", 1)[1].split("/", 1)[1]

    def wait_path(self, prefix: str) -> None:
        self._wait().until(lambda b: self.path().startswith(prefix))

    def wait_for(self, css: str):
        self._wait().until(lambda b: b.find_elements(By.CSS_SELECTOR, css))
        return self.browser.find_element(By.CSS_SELECTOR, css)

    def find(self, css: str):
        return self.browser.find_element(By.CSS_SELECTOR, css)

    def all(self, css: str) -> list:
        return self.browser.find_elements(By.CSS_SELECTOR, css)

    def texts(self, css: str) -> list[str]:
        return [element.text for element in self.all(css)]

    def click(self, css: str) -> None:
        """Click and wait until the next page has loaded (every action here posts a form)."""
        self.browser.execute_script("window.__leaving = true;")
        self.find(css).click()
        self._wait().until(_next_page_loaded)

    # signing in and out
    def sign_in(self, person: Account, *, then: str = "/") -> None:
        page_cache_clear()
        self.open("/healthz")
        self.browser.delete_all_cookies()
        self.open("/accounts/login/")
        self.find("#id_login").send_keys(person.login)
        self.find("#id_password").send_keys(PASSWORD)
        self.click("main form button[type=submit]")
        if person.secret:
            self.wait_path("/accounts/2fa/authenticate/")
            self.find("#id_code").send_keys(person.code())
            self.click("main form button[type=submit]")
        self.wait_for("#account-name")
        self.who = person
        self.open(then)

    # the applicant's pages
    def apply(self, matter_code: str, fields: dict[str, str], *, selects=(), dates=()) -> str:
        """From the apply page through consent and the prefilled form; returns the reference."""
        self.open(f"/apply/{matter_code}/")
        self.click("#apply-start")
        if self.all("#consent-agree"):
            self.click("#consent-agree")
        self.wait_for("#submit-application")
        self.prefill = self.texts("dd.prefill-value")
        self.asked = {
            element.get_attribute("name")
            for element in self.all("main form [name]")
            if element.get_attribute("type") not in ("hidden", "submit")  # not 暂存's button
        }
        self.fill(fields, selects=selects, dates=dates)
        self.click("#submit-application")
        self.wait_for("#application-state")
        return self.find("dd.reference").text

    def fill(self, fields: dict[str, str], *, selects: Iterable = (), dates: Iterable = ()) -> None:
        self.wait_for("#submit-application")
        selects, dates = set(selects), set(dates)
        for name, value in fields.items():
            element = self.find(f"[name='{name}']")
            if element.get_attribute("type") == "radio":
                self.find(f"[name='{name}'][value='{value}']").click()
            elif name in selects:
                Select(element).select_by_value(value)
            elif name in dates:  # a native date picker: set its value as the picker would
                self.browser.execute_script("arguments[0].value = arguments[1];", element, value)
            else:
                element.clear()
                element.send_keys(value)

    def state(self) -> str:
        return self.wait_for("#application-state").get_attribute("data-state")

    # the workbench
    def workbench(self, reference: str) -> None:
        self.open(f"/workbench/{reference}/")
        self.wait_for("#application-state")

    def step_form(self, office: str) -> str:
        """The id of the step form for ``office``'s active step on this application."""
        rows = [row for row in self.all("#steps li.step") if row.get_attribute("data-office")]
        labels = {
            row.get_attribute("data-office"): row.text.split(" (")[0].strip()
            for row in rows
            if row.get_attribute("data-state") == "active"
        }
        label = labels[office]
        for form in self.all("form.step-form"):
            if form.find_element(By.TAG_NAME, "p").text == label:
                return form.get_attribute("data-step")
        raise AssertionError(f"no step form for {office} ({label}) as {self.who.login}")

    def finish_step(self, office: str, *, approve: bool = True, comment: str = "") -> None:
        step = self.step_form(office)
        if comment:
            self.find(f"#step-comment-{step}").send_keys(comment)
        self.click(f"#{'approve' if approve else 'reject'}-{step}")
        self.wait_for("#application-state")


def _next_page_loaded(browser) -> bool:
    """The page that set ``window.__leaving`` is gone and its successor finished loading."""
    try:
        return browser.execute_script(
            "return !window.__leaving && document.readyState === 'complete';"
        )
    except WebDriverException:  # asked in the middle of the navigation: ask again
        return False


def application(reference: str) -> Application:
    return Application.objects.get(reference=reference)
