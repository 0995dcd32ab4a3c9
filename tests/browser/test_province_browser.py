"""Provincial matters in a real browser: 户口 finds campus and provincial matters together."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from campus_portal.catalog.services import power_list_import
from campus_portal.common.page_cache import page_cache_clear
from campus_portal.province.models import HandOff, SyncRun
from campus_portal.province.sync import province_sync
from tests.conftest import reference_rows, rows_to_csv, wait_for
from tests.province.conftest import province  # noqa: F401  # the fake province fixture

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.browser,
]


@pytest.fixture
def portal(browser, live_server, catalog_home, province):  # noqa: F811
    rows = [r for r in reference_rows() if r["部门编码"] in {"BWC", "JWC"}]
    plan = power_list_import(data=rows_to_csv(rows), filename="browser.csv", dry_run=False)
    assert plan.ok
    assert province_sync().status == SyncRun.Status.OK
    page_cache_clear()
    browser.get(live_server.url + "/healthz")
    browser.delete_all_cookies()
    browser.set_window_size(1280, 900)
    return browser


def test_search_hukou_shows_both_and_the_provincial_link_hands_off(portal, live_server):
    browser = portal
    browser.get(live_server.url + "/")
    browser.find_element(By.ID, "site-search").send_keys("户口", Keys.ENTER)
    WebDriverWait(browser, 10).until(lambda b: "q=" in b.current_url)
    campus = [a.text for a in browser.find_elements(By.CSS_SELECTOR, "#matter-list h3 a")]
    assert "学生集体户口迁入" in campus
    provincial = browser.find_element(
        By.CSS_SELECTOR, '#provincial-list [data-code="330000-GA-HJ-001"]'
    )
    assert provincial.find_element(By.CSS_SELECTOR, "h3 a").text == "集体户口迁移"
    assert provincial.find_element(By.CSS_SELECTOR, ".badge.province").text == "省政务服务网办理"
    provincial.find_element(By.CSS_SELECTOR, "h3 a").click()
    WebDriverWait(browser, 10).until(lambda b: "/province/matters/" in b.current_url)
    assert browser.find_element(By.TAG_NAME, "h1").text == "集体户口迁移"
    browser.find_element(By.ID, "province-go-web").click()
    # The province itself is out of reach from the test machine; the hand-off is ours.
    wait_for(lambda: HandOff.objects.exists(), timeout=15, message="no hand-off recorded")
    handoff = HandOff.objects.get()
    assert (handoff.matter.code, handoff.channel, handoff.user) == ("330000-GA-HJ-001", "web", None)
