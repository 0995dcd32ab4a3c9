"""An office designs a new matter in the admin's Matter designer, the lint refuses it, the fix
publishes it; a student applies on a 390 px phone; the office publishes a changed form while
that application is in flight; it finishes on its own version, staff decide, the result is
downloaded. axe-core runs on the portal pages at desktop and 390 px, and on the admin screens.

Set up in Python: the matter itself (imported from a list row), the people, MFA, the
warehouse record and the data steward's grants. The designer's plain fields are filled in the
browser; its two streams (fields, steps) are sent with them through the same admin form POST
(``_design``), because adding StreamField blocks by clicks is slow and brittle. The fix, the
later change and every publication are made on the admin's own pages.

Saves docs/screenshots/matter-designer-lint.png and matter-designer-phone.png.
"""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator

import pytest
from django.conf import settings as django_settings
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from campus_portal.catalog.models import MatterPage
from campus_portal.catalog.services import power_list_import
from campus_portal.matter_config.models import ApplicationVersion, MatterConfiguration
from campus_portal.results.keys import configured_key_files, key_pair_ensure
from campus_portal.results.services import result_demo_setup
from data_warehouse.services import grant_create
from tests.browser.axe import axe_violations
from tests.browser.flows import MATTERS, Portal, application, portal_for, staff, student
from tests.browser.test_config_transfer_browser import _press
from tests.conftest import ROOT, reference_rows, rows_to_csv
from tests.documents.conftest import pdf_text

pytestmark = [
    pytest.mark.django_db(
        transaction=True, serialized_rollback=True, databases=["default", "warehouse"]
    ),
    pytest.mark.browser,
]
SCREENSHOTS = ROOT / "docs" / "screenshots"
CODE = "SF-XGB-090"
DESIGNER = "/admin/snippets/matter_config/matterconfiguration/"
# The header (the open/close toggle) of the StreamField block an input belongs to.
BLOCK_HEADER = (
    "ancestor::*[contains(@class, 'c-sf-block ')][1]//*[contains(@class, 'c-sf-block__header')]"
)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def portal(browser, live_server, catalog_home, settings) -> Iterator[Portal]:
    key_pair_ensure(configured_key_files(), organisation=django_settings.UNIVERSITY_NAME)
    with portal_for(browser, live_server, settings) as portal:
        yield portal
    browser.set_window_size(1280, 900)


def _new_matter() -> MatterPage:
    """学生工作部 adds 勤工助学岗位申请 to its list (全程网办, promised in 5 working days); the
    office designs its configuration from nothing, so the import's starting one is removed."""
    rows = [row for row in reference_rows() if row["事项编码"] in MATTERS]
    new = next(row for row in reference_rows() if row["事项编码"] == "SF-XGB-003").copy()
    new.update(
        {"序号": "901", "事项编码": CODE, "事项名称": "勤工助学岗位申请", "子项名称": "",
         "申请材料": "个人简历", "办理流程": "学生申请→学生工作部审核",
         "法定时限（工作日）": "5", "承诺时限（工作日）": "5", "网上办理深度": "4"}
    )  # fmt: skip
    plan = power_list_import(data=rows_to_csv([*rows, new]), filename="list.csv", dry_run=False)
    assert plan.ok, plan.problems
    MatterConfiguration.objects.filter(matter__code=CODE).delete()
    return MatterPage.objects.get(code=CODE)


def _stream_fields() -> dict[str, object]:
    """A choice, a text field shown only for one answer, an upload slot with no allowed type."""
    common = {"label_en": "", "help_zh": "", "help_en": "", "required": "on",
              "visible_when_field": "", "visible_when_equals": "", "choices-count": "0",
              "min_value": "", "max_value": ""}  # fmt: skip
    blocks = [
        ("field", {**common, "key": "post", "type": "choice", "label_zh": "岗位类别",
                   "choices-count": "2",
                   **_option(0, "library", "图书馆助理"), **_option(1, "lab", "实验室助理")}),
        ("field", {**common, "key": "lab_name", "type": "text", "label_zh": "实验室名称",
                   "visible_when_field": "post", "visible_when_equals": "lab"}),
        ("upload", {"key": "resume", "label_zh": "个人简历", "label_en": "", "help_zh": "",
                    "help_en": "", "required": "on", "visible_when_field": "",
                    "visible_when_equals": "", "max_mb": "5", "max_files": "1"}),
    ]  # fmt: skip
    return _stream("fields", blocks)


def _stream_steps() -> dict[str, object]:
    """Two steps of 3 working days each: 6, above the promised 5 (the lint refuses it)."""
    blocks = [
        ("office", {"key": "review", "label": "学工部初审", "time_limit_days": "3", "group": "",
                    "office": "XGB"}),
        ("office", {"key": "confirm", "label": "学工部复核", "time_limit_days": "3",
                    "group": "", "office": "XGB"}),
    ]  # fmt: skip
    return _stream("steps", blocks)


def _option(index: int, value: str, label: str) -> dict[str, str]:
    prefix = f"choices-{index}"
    return {f"{prefix}-deleted": "", f"{prefix}-order": str(index), f"{prefix}-id": "",
            f"{prefix}-value-value": value, f"{prefix}-value-label_zh": label,
            f"{prefix}-value-label_en": ""}  # fmt: skip


def _stream(name: str, blocks: list[tuple[str, dict]]) -> dict[str, object]:
    """A StreamField as Wagtail's admin form posts it."""
    data: dict[str, object] = {f"{name}-count": str(len(blocks))}
    for index, (kind, value) in enumerate(blocks):
        prefix = f"{name}-{index}"
        data.update({f"{prefix}-type": kind, f"{prefix}-deleted": "",
                     f"{prefix}-order": str(index), f"{prefix}-id": ""})  # fmt: skip
        data.update({f"{prefix}-value-{key}": v for key, v in value.items()})
    return data


def _design(portal: Portal, matter: MatterPage) -> None:
    """The designer's plain fields by hand, then the form posted with its two streams."""
    portal.open(f"{DESIGNER}add/")
    portal.wait_for("form[data-edit-form]")
    assert axe_violations(portal.browser) == []
    _tab(portal, "学校已有数据")
    for item in ("person.name", "student.number"):
        _tick(portal, f"input[name=data_needs][value='{item}']")
    portal.find("[name=purpose]").send_keys("核对申请人身份")
    _tab(portal, "办理决定与结果")
    Select(portal.find("select[name=decision_mode]")).select_by_value("instant")
    rule = {"==": [{"var": "answers.post"}, "library"]}  # the library's posts need no review
    portal.find("[name=decision_rule]").send_keys(json.dumps(rule))
    Select(portal.find("select[name=result_kind]")).select_by_value("certificate")
    portal.find("[name=result_title]").send_keys("勤工助学岗位录用通知")
    portal.find("[name=result_body]").send_keys("你已被录用为勤工助学岗位助理。")
    _tick(portal, "input[name=delivery_modes][value=electronic]")
    landed = portal.browser.execute_async_script(
        """const [matter, streams, done] = arguments;
        const form = document.querySelector('form[data-edit-form]');
        const data = new FormData(form);
        data.set('matter', matter);
        for (const [key, value] of Object.entries(streams)) data.set(key, value);
        fetch(form.action, {method: 'POST', body: data, credentials: 'same-origin'})
          .then(r => done(r.url)).catch(e => done('failed: ' + e));""",
        str(matter.pk),
        {**_stream_fields(), **_stream_steps()},
    )
    assert "/add/" not in landed, landed  # refused forms stay on the add page


def _tick(portal: Portal, css: str) -> None:
    """Tick a box as a click would: the admin's sticky footer covers the end of the page, and
    a real click there lands on the footer."""
    portal.browser.execute_script("arguments[0].click()", portal.find(css))


def _tab(portal: Portal, label: str) -> None:
    """Open a tab of the designer. Clicked by script: the admin's sticky header, which slides
    in and out as the page scrolls, sometimes lies over the tab strip and takes a real click."""
    tab = portal.browser.find_element(By.XPATH, f"//a[@role='tab'][contains(., '{label}')]")
    portal.browser.execute_script("arguments[0].click()", tab)
    panel = portal.find(f"#{tab.get_attribute('aria-controls')}")
    portal._wait().until(lambda b: panel.is_displayed())


def _stream_input(portal: Portal, tab: str, css: str):
    """On the edit page: open the tab and the block, and return one of the block's inputs."""
    _tab(portal, tab)
    element = portal.wait_for(css)
    if not element.is_displayed():  # a collapsed block: open it by its header
        header = element.find_element(By.XPATH, BLOCK_HEADER)
        portal.browser.execute_script("arguments[0].click()", header)  # as _tab, by script
    portal.browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
    portal._wait().until(lambda b: element.is_displayed())
    return element


def _retype(element, value: str) -> None:
    element.clear()
    element.send_keys(value)


def _save_draft(portal: Portal) -> None:
    _press(portal, "form[data-edit-form] button[type=submit]")
    portal.wait_path(DESIGNER)
    assert not portal.all(".error-message"), portal.texts(".error-message")


def _publish_screen(portal: Portal, pk: int) -> str:
    portal.open(f"/admin/matter-config/{pk}/publish/")
    return portal.wait_for("main").text


def _axe_desktop_and_phone(portal: Portal) -> None:
    for width, height in ((1280, 900), (390, 844)):
        portal.browser.set_window_size(width, height)
        assert axe_violations(portal.browser) == [], width
        scroll = portal.browser.execute_script("return document.documentElement.scrollWidth")
        assert width >= 1280 or scroll <= width, scroll  # no sideways scrolling on the phone


def test_office_designs_publishes_and_changes_a_matter_in_flight(portal, tmp_path):
    result_demo_setup()
    matter = _new_matter()
    for item in ("person.name", "student.number"):
        grant_create(handler_key="config.generic", item_key=item, purpose="办理",
                     granted_by="steward")  # fmt: skip
    designer = staff("xgb-designer", ("office_staff", "XGB"))
    zhang = student(name="张晓明")

    # The office designs the matter; the publish screen refuses it, naming both problems.
    portal.sign_in(designer, then=DESIGNER)
    _design(portal, matter)
    configuration = MatterConfiguration.objects.get(matter=matter)
    assert configuration.decision_rule == {"==": [{"var": "answers.post"}, "library"]}
    assert configuration.data_needs == ["person.name", "student.number"]
    assert [block.value["key"] for block in configuration.fields] == ["post", "lab_name", "resume"]
    text = _publish_screen(portal, configuration.pk)
    assert "表单字段「个人简历」（resume）：上传材料未设置允许的文件类型" in text
    assert "各环节时限合计 6 个工作日，超过承诺时限 5 个工作日" in text
    assert not portal.all("main form button[type=submit]")  # no publishing while refused
    assert axe_violations(portal.browser) == []
    portal.browser.save_screenshot(str(SCREENSHOTS / "matter-designer-lint.png"))
    assert not configuration.versions.exists()

    # The fix, in the designer: the second step takes 2 days, the slot accepts PDF.
    portal.open(f"{DESIGNER}edit/{configuration.pk}/")
    _retype(_stream_input(portal, "办理环节", "[name='steps-1-value-time_limit_days']"), "2")
    types = _stream_input(portal, "表单", "[name='fields-2-value-content_types']")
    Select(types).select_by_value("application/pdf")
    _save_draft(portal)
    text = _publish_screen(portal, configuration.pk)
    assert "发布前须改正的问题" not in text and "尚未发布" in text
    _press(portal, "main form button[type=submit]")
    portal.wait_for(".messages")
    assert configuration.versions.get().number == 1

    # A student applies on a phone: the lab's name is asked only for a lab post.
    portal.browser.set_window_size(390, 844)
    portal.sign_in(zhang, then=f"/apply/{CODE}/")
    _axe_desktop_and_phone(portal)  # and back on the phone
    portal.click("#apply-start")
    if portal.all("#consent-agree"):
        _axe_desktop_and_phone(portal)
        portal.click("#consent-agree")
    portal.wait_for("#submit-application")
    lab = portal.find("[name=lab_name]")
    assert not lab.is_displayed()
    Select(portal.find("select[name=post]")).select_by_value("lab")
    portal._wait().until(lambda b: lab.is_displayed())
    lab.send_keys("化学实验中心")
    resume = tmp_path / "简历.pdf"
    resume.write_bytes(PDF)
    portal.find("input[name=resume]").send_keys(str(resume))
    portal.browser.save_screenshot(str(SCREENSHOTS / "matter-designer-phone.png"))
    _axe_desktop_and_phone(portal)  # and back on the phone
    portal.click("#submit-application")
    assert portal.state() == "submitted"  # a lab post: the rule does not hold, staff decide
    reference = portal.find("dd.reference").text
    _axe_desktop_and_phone(portal)

    # While it is in flight the office renames the lab field and publishes version 2.
    portal.sign_in(designer, then=f"{DESIGNER}edit/{configuration.pk}/")
    _retype(_stream_input(portal, "表单", "[name='fields-1-value-label_zh']"), "实验室及指导老师")
    _save_draft(portal)
    text = _publish_screen(portal, configuration.pk)
    assert "有 0 份草稿和 1 件办理中的办件使用旧版本" in text
    row = portal.browser.find_element(By.XPATH, "//table[contains(@class,'listing')]//tbody/tr")
    assert row.find_elements(By.TAG_NAME, "td")[2].text == "1"  # in progress on version 1
    _press(portal, "main form button[type=submit]")
    portal.wait_for(".messages")
    assert configuration.versions.count() == 2

    # It finishes on version 1: staff accept and decide both steps.
    portal.workbench(reference)
    main = portal.find("main").text
    assert "实验室名称" in main and "实验室及指导老师" not in main  # its own version's label
    _axe_desktop_and_phone(portal)
    portal.browser.set_window_size(1280, 900)
    portal.click("#accept")
    assert portal.state() == "in_progress"
    portal.finish_step("XGB")
    portal.finish_step("XGB", comment="同意录用")
    assert portal.state() == "approved"
    pin = ApplicationVersion.objects.get(application__reference=reference)
    assert pin.version.number == 1
    assert application(reference).answers["lab_name"] == "化学实验中心"

    # The result is delivered: the student downloads the certificate.
    portal.sign_in(zhang)
    portal.open(f"/applications/{reference}/")
    link = portal.wait_for("#result-download").get_attribute("href")
    _axe_desktop_and_phone(portal)
    cookies = "; ".join(f"{c['name']}={c['value']}" for c in portal.browser.get_cookies())
    request = urllib.request.Request(link, headers={"Cookie": cookies})
    with urllib.request.urlopen(request, timeout=60) as response:
        assert response.headers["Content-Type"] == "application/pdf"
        text = pdf_text(response.read())
    assert "勤工助学岗位录用通知" in text and "张晓明" in text
