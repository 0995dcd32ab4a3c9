"""Applying in a real browser: guide page → consent → prefilled form → instant decision."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from campus_portal.applications.models import Application, Event
from campus_portal.applications.services import handler_bindings_ensure
from campus_portal.catalog.services import power_list_import
from campus_portal.common.page_cache import page_cache_clear
from data_warehouse.models import AccessLog, Consent
from tests.applications.conftest import grant_all, make_student, make_user
from tests.conftest import REFERENCE_CSV

pytestmark = [
    pytest.mark.django_db(
        transaction=True, serialized_rollback=True, databases=["default", "warehouse"]
    ),
    pytest.mark.browser,
]


@pytest.fixture
def applicant(catalog_home):
    power_list_import(data=REFERENCE_CSV.read_bytes(), filename="list.csv", dry_run=False)
    handler_bindings_ensure()
    make_student("2023010101")
    grant_all("jwc.enrollment_certificate")
    user = make_user("2023010101", person_uid="2023010101")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def _sign_in(browser, live_server, next_path: str) -> None:
    page_cache_clear()
    browser.get(live_server.url + "/healthz")
    browser.delete_all_cookies()
    browser.get(f"{live_server.url}/accounts/login/?next={next_path}")
    browser.find_element(By.ID, "id_login").send_keys("2023010101")
    browser.find_element(By.ID, "id_password").send_keys("pw-App-12345")
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    WebDriverWait(browser, 15).until(lambda b: b.current_url.endswith(next_path))


def test_instant_certificate_from_the_guide_page(browser, live_server, applicant):
    _sign_in(browser, live_server, "/apply/SF-JWC-001/")
    browser.find_element(By.ID, "apply-start").click()
    # The consent screen names every item and the office holding it.
    WebDriverWait(browser, 15).until(lambda b: b.find_elements(By.ID, "consent-agree"))
    items = [row.text for row in browser.find_elements(By.CSS_SELECTOR, "tr.consent-item")]
    assert any("学籍状态" in text or "在读" in text or "姓名" in text for text in items)
    assert len(items) == 8
    browser.find_element(By.ID, "consent-agree").click()
    # The form shows what the university knows, read-only, and asks only the rest.
    WebDriverWait(browser, 15).until(lambda b: b.find_elements(By.ID, "submit-application"))
    shown = [dd.text for dd in browser.find_elements(By.CSS_SELECTOR, "dd.prefill-value")]
    assert "张晓明" in shown and "软件工程" in shown
    assert not browser.find_elements(By.NAME, "student.major")
    browser.find_element(By.ID, "id_use").send_keys("办理签证")
    button = browser.find_element(By.ID, "submit-application")
    browser.execute_script("arguments[0].click(); arguments[0].click();", button)
    WebDriverWait(browser, 15).until(lambda b: b.find_elements(By.ID, "application-state"))
    state = browser.find_element(By.ID, "application-state").get_attribute("data-state")
    assert state == "approved"
    application = Application.objects.get(applicant=applicant)
    assert application.events.filter(kind=Event.Kind.SUBMITTED).count() == 1
    assert Consent.objects.filter(application_ref=application.reference).count() == 1
    assert AccessLog.objects.filter(application_ref=application.reference).count() == 1
