"""Sign-in in a real browser: campus directory through the form, TOTP enrolment and use."""

from __future__ import annotations

import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from campus_portal.common.page_cache import page_cache_clear
from tests.accounts.directory_fixtures import (  # noqa: F401 (fixtures)
    PASSWORD,
    STUDENT,
    TEACHER,
    campus_directory,
    fresh_cache,
    sign_in_slapd,
)

pytestmark = [
    pytest.mark.django_db(
        transaction=True, serialized_rollback=True, databases=["default", "warehouse"]
    ),
    pytest.mark.browser,
]


@pytest.fixture
def portal(browser, live_server, catalog_home, campus_directory, settings):  # noqa: F811
    """The shared browser without cookies from earlier tests, and the test directory."""
    settings.MFA_TOTP_TOLERANCE = 1  # see totp_code()
    page_cache_clear()
    browser.get(live_server.url + "/healthz")
    browser.delete_all_cookies()
    return browser


def wait_for_path(browser, prefix: str) -> None:
    WebDriverWait(browser, 15).until(
        lambda b: b.current_url.split("//", 1)[1].split("/", 1)[1].startswith(prefix.lstrip("/"))
    )


def submit_main_form(browser) -> None:
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()


def sign_in(browser, live_server, login: str, password: str) -> None:
    browser.get(live_server.url + "/")
    browser.find_element(By.ID, "sign-in").click()
    wait_for_path(browser, "/accounts/login/")
    browser.find_element(By.ID, "id_login").send_keys(login)
    browser.find_element(By.ID, "id_password").send_keys(password)
    submit_main_form(browser)


def totp_code(secret: str, used: set[str]) -> str:
    """A currently valid code not typed before (allauth accepts each code once).

    MFA_TOTP_TOLERANCE = 1 makes the previous, current and next 30 s steps valid, so there is
    always one left even when enrolment, reauthentication and sign-in share a step.
    """
    step = int(time.time()) // 30
    for offset in (0, 1, -1):
        code = format_hotp_value(hotp_value(secret, step + offset))
        if code not in used:
            used.add(code)
            return code
    raise AssertionError("no unused TOTP code")


def test_directory_sign_in_through_the_form(portal, live_server):
    browser = portal
    sign_in(browser, live_server, STUDENT, PASSWORD)
    wait_for_path(browser, "/")
    WebDriverWait(browser, 15).until(lambda b: b.find_elements(By.ID, "account-name"))
    assert browser.find_element(By.ID, "account-name").text == "张晓明"
    assert browser.find_element(By.ID, "sign-out")
    assert not browser.find_elements(By.ID, "sign-in")


def test_wrong_password_stays_on_the_form(portal, live_server):
    browser = portal
    sign_in(browser, live_server, STUDENT, "wrong")
    WebDriverWait(browser, 15).until(lambda b: b.find_elements(By.CSS_SELECTOR, "main .errorlist"))
    assert "/accounts/login/" in browser.current_url
    assert not browser.find_elements(By.ID, "account-name")


def test_staff_enrol_totp_then_sign_in_with_it(portal, live_server):
    browser = portal
    sign_in(browser, live_server, TEACHER, PASSWORD)
    # Office staff (from the directory group) must enrol before anything else.
    wait_for_path(browser, "/accounts/2fa/totp/activate/")
    browser.get(live_server.url + "/")
    wait_for_path(browser, "/accounts/2fa/totp/activate/")
    secret = browser.find_element(By.ID, "authenticator_secret").get_attribute("value")
    assert len(secret) >= 16
    used: set[str] = set()
    browser.find_element(By.ID, "id_code").send_keys(totp_code(secret, used))
    submit_main_form(browser)
    # allauth asks for the new factor once more before it shows the recovery codes.
    wait_for_path(browser, "/accounts/2fa/reauthenticate/")
    browser.find_element(By.ID, "id_code").send_keys(totp_code(secret, used))
    submit_main_form(browser)
    wait_for_path(browser, "/accounts/2fa/recovery-codes/")
    assert len(browser.find_element(By.TAG_NAME, "main").text) > 50
    browser.get(live_server.url + "/me/data-access/")
    wait_for_path(browser, "/me/data-access/")

    browser.find_element(By.ID, "sign-out").click()
    wait_for_path(browser, "/accounts/logout/")
    submit_main_form(browser)
    WebDriverWait(browser, 15).until(lambda b: b.find_elements(By.ID, "sign-in"))

    sign_in(browser, live_server, TEACHER, PASSWORD)
    wait_for_path(browser, "/accounts/2fa/authenticate/")
    assert not browser.find_elements(By.ID, "account-name")
    browser.find_element(By.ID, "id_code").send_keys(totp_code(secret, used))
    submit_main_form(browser)
    WebDriverWait(browser, 15).until(lambda b: b.find_elements(By.ID, "account-name"))
    assert browser.find_element(By.ID, "account-name").text == "李老师"
    browser.get(live_server.url + "/me/data-access/")
    wait_for_path(browser, "/me/data-access/")
