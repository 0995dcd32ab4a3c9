"""Every guide page says plainly how to get the matter done — never a silent dead end.

With an enabled binding to a registered handler: the apply button (and the window, when the
handler's path still needs a visit). Without: the guide's online depth decides — 1 information
only, 2 blank forms or a booking, 3 and 4 "not online yet" — always with the window, its opening
hours and what to bring. ``/apply/<code>/`` says the same instead of a bare message.
"""

from __future__ import annotations

import re

import pytest
from django.core.files.base import ContentFile
from wagtail.documents.models import Document

from campus_portal.applications.models import HandlerBinding
from campus_portal.applications.selectors import Way, matter_how_to_apply
from campus_portal.applications.services import handler_for
from campus_portal.catalog.choices import MaterialSource
from campus_portal.catalog.models import MatterMaterial, MatterPage
from campus_portal.common.page_cache import page_cache_clear
from tests.applications.conftest import make_user

pytestmark = pytest.mark.django_db

LEAVE = "xgb.student_leave"  # any registered handler serves to bind a test matter


def _matter(code: str, *, depth: int | None = None) -> MatterPage:
    if depth is not None:
        visits = 0 if depth == 4 else 1
        MatterPage.objects.filter(code=code).update(online_depth=depth, visits_required=visits)
    return MatterPage.objects.get(code=code)


def _bind(matter: MatterPage, key: str = LEAVE, *, enabled: bool = True) -> None:
    HandlerBinding.objects.update_or_create(
        matter=matter, defaults={"handler_key": key, "enabled": enabled}
    )


def _unbind(matter: MatterPage) -> None:
    HandlerBinding.objects.filter(matter=matter).delete()


def _how(client, matter: MatterPage) -> str:
    page_cache_clear()
    html = client.get(matter.url).content.decode()
    found = re.search(r'<section class="how-to-apply".*?</section>', html, re.S)
    assert found, "the guide page has no 'how to get it done' section"
    return found.group(0)


def _way(section: str) -> str:
    return re.search(r'data-way="(\w+)"', section).group(1)


# --- the selector ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("depth", "way"), [(1, Way.INFORMATION), (2, Way.FORMS), (3, Way.WINDOW), (4, Way.WINDOW)]
)
def test_without_a_handler_the_guide_depth_decides(depth, way):
    matter = _matter("SF-XGB-003", depth=depth)
    how = matter_how_to_apply(matter=matter, handler=None)
    assert how.way == way
    # 奖学金申请表；获奖证明: both brought by the applicant.
    assert [m.name for m in how.to_bring] == ["奖学金申请表", "获奖证明"]


@pytest.mark.parametrize("depth", [1, 2, 3, 4])
def test_with_a_handler_every_depth_is_applied_for_online(depth):
    matter = _matter("SF-XGB-003", depth=depth)
    _bind(matter)
    how = matter_how_to_apply(matter=matter, handler=handler_for(matter))
    assert how.way == Way.ONLINE and how.visit_needed is False  # student leave: no visit


def test_a_handler_whose_path_needs_a_visit_says_so():
    matter = _matter("SF-CWC-001")  # 日常费用报销: the paper originals are handed in
    how = matter_how_to_apply(matter=matter, handler=handler_for(matter))
    assert how.way == Way.ONLINE and how.visit_needed is True


def test_materials_shared_from_the_warehouse_are_not_brought():
    matter = _matter("SF-JWC-001")  # 无（数据共享）
    how = matter_how_to_apply(matter=matter, handler=None)
    assert how.to_bring == [] and how.nothing_to_bring is True


# --- the guide page ---------------------------------------------------------------------------


@pytest.mark.parametrize("depth", [1, 2, 3, 4])
def test_guide_page_with_a_binding_has_the_apply_button(client, depth):
    matter = _matter("SF-XGB-003", depth=depth)
    _bind(matter)
    section = _how(client, matter)
    assert _way(section) == "online"
    assert 'id="apply-online" href="/apply/SF-XGB-003/"' in section
    assert "无需跑腿" in section or "无需到现场" in section
    assert 'id="window-facts"' not in section  # fully online: no window to name


def test_guide_page_of_a_handler_needing_a_visit_names_the_window(client):
    section = _how(client, _matter("SF-CWC-001"))
    assert 'id="apply-online"' in section and 'id="visit-needed"' in section
    assert "行政楼一楼师生服务中心11号窗口" in section and "工作日 8:30–11:30" in section


def test_depth_1_without_a_binding_is_information_only(client):
    matter = _matter("SF-XGB-003", depth=1)
    section = _how(client, matter)
    assert _way(section) == "information"
    assert "仅提供办事信息" in section
    assert 'id="apply-online"' not in section
    _assert_window(section, address="学生活动中心201", bring=["奖学金申请表", "获奖证明"])


def test_depth_2_without_a_binding_offers_the_blank_forms_and_a_booking(client):
    matter = _matter("SF-BWC-001")  # 学生集体户口迁入: depth 2, 网上预约
    document = Document.objects.create(
        title="户口迁入申请表", file=ContentFile(b"%PDF-1.4 blank", name="hukou.pdf")
    )
    material = matter.materials.get(name="录取通知书")
    material.template = document
    material.save()
    section = _how(client, matter)
    assert _way(section) == "forms"
    assert f'href="{document.url}"' in section and "空白表格：录取通知书" in section
    assert 'id="booking"' in section and "0571-88000109" in section
    _assert_window(
        section, address="行政楼一楼师生服务中心13号窗口", bring=["录取通知书", "户口迁移证"]
    )


def test_depth_2_without_blank_forms_says_where_they_are(client):
    section = _how(client, _matter("SF-BWC-001"))
    assert 'id="blank-forms"' not in section and "窗口领取空白表格" in section


@pytest.mark.parametrize("depth", [3, 4])
def test_depth_3_and_4_without_a_binding_send_the_applicant_to_the_window(client, depth):
    matter = _matter("SF-XGB-003", depth=depth)  # 奖学金申请: 一次不用跑 · 全程网办 in the list
    section = _how(client, matter)
    assert _way(section) == "window"
    assert 'id="no-online-service"' in section and "暂不支持网上申请" in section
    assert 'id="apply-online"' not in section
    _assert_window(section, address="学生活动中心201", bring=["奖学金申请表", "获奖证明"])


def test_a_disabled_binding_or_an_unregistered_handler_is_no_online_service(client):
    matter = _matter("SF-XGB-006")  # 学生请假, bound to its plugin
    assert _way(_how(client, matter)) == "online"
    _bind(matter, enabled=False)
    assert _way(_how(client, matter)) == "window"
    _bind(matter, "xgb.not_installed")
    assert _way(_how(client, matter)) == "window"


def test_a_guide_without_an_address_names_the_office(client):
    matter = _matter("SF-XGB-003")
    MatterPage.objects.filter(pk=matter.pk).update(address="")
    assert "学生工作部" in _how(client, MatterPage.objects.get(pk=matter.pk))


def test_a_guide_without_materials_says_none_are_needed(client):
    matter = _matter("SF-XGB-003")
    MatterMaterial.objects.filter(page=matter).delete()
    assert "无需提交材料" in _how(client, matter)


def test_office_issued_materials_are_not_brought(client):
    matter = _matter("SF-XGB-003")
    matter.materials.filter(name="获奖证明").update(source=MaterialSource.OFFICE)
    section = _how(client, matter)
    assert "奖学金申请表" in section and "获奖证明" not in section


def test_switching_a_binding_makes_cached_guide_pages_stale(
    client, django_capture_on_commit_callbacks
):
    matter = _matter("SF-XGB-003")
    page_cache_clear()
    assert client.get(matter.url)["X-Page-Cache"] == "miss"
    assert client.get(matter.url)["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        _bind(matter)
    response = client.get(matter.url)
    assert response["X-Page-Cache"] == "miss" and 'id="apply-online"' in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        _unbind(matter)
    assert 'id="apply-online"' not in client.get(matter.url).content.decode()


def _assert_window(section: str, *, address: str, bring: list[str]) -> None:
    facts = re.search(r'<dl class="guide-facts window-facts".*?</dl>', section, re.S).group(0)
    assert address in facts
    assert "工作日 8:30–11:30，14:00–17:00" in facts  # the guide's opening hours
    brought = re.search(r'<dd id="what-to-bring">(.*?)</dd>', facts, re.S).group(1)
    for name in bring:
        assert name in brought


# --- /apply/<code>/ ----------------------------------------------------------------------------


def test_apply_page_without_online_service_explains_what_to_do(client):
    client.force_login(make_user("someone"))
    html = client.get("/apply/SF-XGB-003/").content.decode()
    assert 'id="apply-start"' not in html
    assert 'id="no-online-service"' in html and "学生活动中心201" in html
    assert "奖学金申请表" in html and "工作日 8:30–11:30" in html
    # Posting does not start anything either.
    response = client.post("/apply/SF-XGB-003/")
    assert response.status_code == 200 and 'id="no-online-service"' in response.content.decode()


def test_apply_page_of_an_information_only_matter_says_so(client):
    _matter("SF-XGB-003", depth=1)
    client.force_login(make_user("someone"))
    assert "仅提供办事信息" in client.get("/apply/SF-XGB-003/").content.decode()


def test_apply_page_with_online_service_has_the_start_button(client):
    client.force_login(make_user("someone"))
    html = client.get("/apply/SF-XGB-006/").content.decode()
    assert 'id="apply-start"' in html and 'id="how-to-apply"' not in html
