"""谁查看了我的数据 in a real browser: sign in through the form, read your own access log."""

from __future__ import annotations

import datetime as dt

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from campus_portal.accounts.services import identity_link
from campus_portal.catalog.models import Office
from campus_portal.common.page_cache import page_cache_clear
from data_warehouse.services import access_view_record
from tests.accounts.data_access_fixtures import reads_of_two_people_create

pytestmark = [
    pytest.mark.django_db(
        transaction=True, serialized_rollback=True, databases=["default", "warehouse"]
    ),
    pytest.mark.browser,
]

PASSWORD = "pw-Browser-123"


@pytest.fixture
def person_with_reads(catalog_home):
    # The reader's office, named: a transactional test restores the state before the reference
    # import, so the test brings the office it shows rather than count on the import's.
    Office.objects.get_or_create(code="JWC", defaults={"name": "教务处"})
    reads_of_two_people_create()
    user = get_user_model().objects.create_user("2023010101", "zxm@x.cn", PASSWORD)
    EmailAddress.objects.create(user=user, email="zxm@x.cn", verified=True, primary=True)
    identity_link(user, person_uid="2023010101", source="demo")
    return user


def test_who_read_my_data(browser, live_server, person_with_reads):
    page_cache_clear()
    browser.get(live_server.url + "/healthz")
    browser.delete_all_cookies()
    browser.get(live_server.url + "/me/data-access/")
    WebDriverWait(browser, 15).until(lambda b: "/accounts/login/" in b.current_url)
    browser.find_element(By.ID, "id_login").send_keys("2023010101")
    browser.find_element(By.ID, "id_password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    WebDriverWait(browser, 15).until(lambda b: b.current_url.endswith("/me/data-access/"))
    rows = browser.find_elements(By.CSS_SELECTOR, "article.access-group")
    assert len(rows) == 1
    assert "开具在读证明" in rows[0].text and "姓名" in rows[0].text and "APP-OWN" in rows[0].text
    assert "APP-OTHER" not in browser.find_element(By.TAG_NAME, "main").text
    assert browser.find_element(By.TAG_NAME, "h1").text == "谁查看了我的数据"
    # Issue 17: a staff member's looks, grouped with their office and role by name, readable
    # on a 390 px phone (no sideways scrolling).
    access_view_record(
        person_uid="2023010101",
        actor="jwc-staff",
        items=["person.name", "attachment:成绩单扫描件（本科阶段，含双学位课程）.pdf"],
        purpose="在读证明开具",
        application_ref="APP-OWN",
        reader={"name": "李老师", "office": "JWC", "role": "office_staff"},
        on=dt.date.today(),
    )
    browser.set_window_size(390, 844)
    try:
        browser.refresh()
        groups = browser.find_elements(By.CSS_SELECTOR, "article.access-group")
        assert len(groups) == 2
        assert "李老师" in groups[0].text and "教务处" in groups[0].text
        assert "JWC" not in groups[0].text and "office_staff" not in groups[0].text
        width = browser.execute_script("return document.documentElement.scrollWidth")
        assert width <= 390, width
    finally:
        browser.set_window_size(1280, 900)
