"""The catalog in a real browser: search with pinyin initials, open a guide, phone layout."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from campus_portal.catalog.services import power_list_import
from campus_portal.common.page_cache import page_cache_clear
from tests.conftest import reference_rows, rows_to_csv

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.browser,
]


@pytest.fixture
def catalog(catalog_home):
    rows = [r for r in reference_rows() if r["部门编码"] in {"JWC", "XXZX", "YJSY"}]
    plan = power_list_import(data=rows_to_csv(rows), filename="browser.csv", dry_run=False)
    assert plan.ok
    page_cache_clear()
    return catalog_home


@pytest.fixture
def portal(browser, live_server, catalog):
    """The shared browser with no cookies left by an earlier test (language, session)."""
    browser.get(live_server.url + "/healthz")
    browser.delete_all_cookies()
    browser.set_window_size(1280, 900)
    return browser


def test_search_cjd_and_open_the_guide(portal, live_server):
    browser = portal
    browser.get(live_server.url + "/")
    box = browser.find_element(By.ID, "site-search")
    box.send_keys("cjd", Keys.ENTER)
    WebDriverWait(browser, 10).until(lambda b: "q=cjd" in b.current_url)
    results = browser.find_elements(By.CSS_SELECTOR, "#matter-list .matter-card h3 a")
    titles = [link.text for link in results]
    assert titles[0] == "成绩单打印（中文成绩单）"
    assert "校园卡补办" not in titles
    results[0].click()
    WebDriverWait(browser, 10).until(lambda b: b.current_url.endswith("/jwc/sf-jwc-003/"))
    assert browser.find_element(By.TAG_NAME, "h1").text == "成绩单打印（中文成绩单）"
    assert browser.find_element(By.ID, "visit-promise").text == "一次不用跑"
    assert "SF-JWC-003" in browser.page_source


def test_phone_layout_has_no_horizontal_scrolling(portal, live_server):
    browser = portal
    browser.set_window_size(390, 844)
    try:
        for path in ("/", "/jwc/sf-jwc-014/", "/?q=xiaoyuanka"):
            browser.get(live_server.url + path)
            overflow = browser.execute_script(
                "return document.documentElement.scrollWidth - window.innerWidth"
            )
            assert overflow <= 0, path
        assert "校园卡补办" in browser.page_source
    finally:
        browser.set_window_size(1280, 900)


def test_switch_to_english_and_back(portal, live_server):
    browser = portal
    browser.get(live_server.url + "/jwc/sf-jwc-001/")
    browser.find_element(By.CSS_SELECTOR, ".languages a[lang=en]").click()
    WebDriverWait(browser, 10).until(
        lambda b: b.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    )
    assert browser.find_element(By.ID, "visit-promise").text == "No visit needed"
    browser.find_element(By.CSS_SELECTOR, ".languages a[lang=zh-hans]").click()
    WebDriverWait(browser, 10).until(
        lambda b: b.find_element(By.TAG_NAME, "html").get_attribute("lang") == "zh-hans"
    )
    assert browser.find_element(By.ID, "visit-promise").text == "一次不用跑"
