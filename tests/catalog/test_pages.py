"""The portal pages: browse, filter, search, read a guide; phone layout; language; cache."""

from __future__ import annotations

import pytest

from campus_portal.catalog.models import MatterPage
from campus_portal.common.page_cache import page_cache_clear

pytestmark = pytest.mark.django_db


def test_catalog_home_lists_and_filters(client):
    page = client.get("/").content.decode()
    assert page.count('class="matter-card"') == 20  # first page of 100
    assert "共 100 项事项" in page
    last = client.get("/", {"page": 5}).content.decode()
    assert last.count('class="matter-card"') == 20 and 'rel="next"' not in last
    assert "本科生" in page and "教务处" in page
    staff = client.get("/?audience=staff").content.decode()
    assert "在职证明开具" in staff and "在读证明开具" not in staff
    office = client.get("/?office=XXZX").content.decode()
    assert office.count('class="matter-card"') == 5
    topic = client.get("/?topic=finance").content.decode()
    assert "差旅费报销" in topic


def test_search_results_page(client):
    html = client.get("/", {"q": "cjd"}).content.decode()
    assert "成绩单打印（中文成绩单）" in html
    assert "校园卡补办" not in html


@pytest.mark.parametrize(
    ("code", "label"),
    [("SF-JWC-001", "一次不用跑"), ("SF-JWC-005", "最多跑一次"), ("SF-BWC-003", "跑 2 次")],
)
def test_guide_shows_the_visit_promise(client, code, label):
    matter = MatterPage.objects.get(code=code)
    html = client.get(matter.url).content.decode()
    assert label in html
    assert matter.office.name in html


def test_guide_shows_the_full_service_guide(client):
    html = client.get(MatterPage.objects.get(code="SF-JWC-014").url).content.decode()
    for text in (
        "SF-JWC-014",
        "20",
        "15",
        "身份证件",
        "行政楼一楼师生服务中心3号窗口",
        "0571-88000101",
        "《高等学校学生学籍学历电子注册办法》",
        "教务处核验",
    ):
        assert text in html, text


def test_office_page_lists_its_matters(client):
    html = client.get("/xxzx/").content.decode()
    assert html.count('class="matter-card"') == 5


def test_pages_are_responsive(client):
    html = client.get("/").content.decode()
    assert 'name="viewport"' in html


def test_english_is_available(client):
    response = client.get("/i18n/en/", {"next": "/jwc/sf-jwc-001/"})
    assert response.status_code == 302 and response["Location"] == "/jwc/sf-jwc-001/"
    html = client.get("/jwc/sf-jwc-001/").content.decode()
    assert "No visit needed" in html
    assert "Responsible office" in html


def test_language_switch_refuses_foreign_redirects(client):
    response = client.get("/i18n/en/", {"next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_anonymous_pages_are_cached_and_publishing_invalidates(
    client, django_capture_on_commit_callbacks
):
    page_cache_clear()
    matter = MatterPage.objects.get(code="SF-JWC-009")
    assert client.get(matter.url)["X-Page-Cache"] == "miss"
    assert client.get(matter.url)["X-Page-Cache"] == "hit"
    matter.phone = "0571-12345678"
    with django_capture_on_commit_callbacks(execute=True):
        matter.save_revision().publish()
    response = client.get(matter.url)
    assert response["X-Page-Cache"] == "miss"
    assert "0571-12345678" in response.content.decode()


def test_signed_in_users_never_get_cached_pages(client, admin_user):
    page_cache_clear()
    client.force_login(admin_user)
    response = client.get("/")
    assert "X-Page-Cache" not in response


def test_language_follows_the_browser_until_chosen(client):
    assert (
        "一次不用跑"
        in client.get("/jwc/sf-jwc-001/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    )
    english = client.get("/jwc/sf-jwc-001/", HTTP_ACCEPT_LANGUAGE="en-US,en").content.decode()
    assert "No visit needed" in english


def test_guide_links_the_other_sub_items(client):
    html = client.get("/jwc/sf-jwc-005/").content.decode()  # 学籍异动办理（休学）
    assert "/jwc/sf-jwc-006/" in html and "/jwc/sf-jwc-007/" in html
    assert "复学" in html and "退学" in html


def test_unknown_page_is_a_chinese_404(client):
    response = client.get("/no-such-matter/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()
