"""Reference plugins from draft to closed, in a real browser, as applicant, office and window.

Each test is the story of one application: the people and records exist beforehand (fixtures),
every transition is a click on the real pages — apply, consent, return for supplement,
supplement, accept, approve or reject a step, close — signed in through the real sign-in form
(staff with their TOTP code).
"""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from campus_portal.applications.models import Event
from hall_kiosk.services import card_credential_set
from tests.browser.flows import Portal, application, grants_for, staff, student

pytestmark = [
    pytest.mark.django_db(
        transaction=True, serialized_rollback=True, databases=["default", "warehouse"]
    ),
    pytest.mark.browser,
]


def test_enrollment_certificate_is_decided_at_once_and_closed_by_the_applicant(portal):
    grants_for("jwc.enrollment_certificate")
    zhang = student()
    portal.sign_in(zhang)
    reference = portal.apply("SF-JWC-001", {"use": "办理签证", "copies": "2"})
    # The form showed what the warehouse holds, read-only, and asked only the rest.
    assert "张晓明" in portal.prefill and "软件工程" in portal.prefill
    # … and how the result should reach them (the matter offers electronic and window).
    assert portal.asked == {"use", "copies", "delivery-mode"}
    assert portal.state() == "approved"
    portal.click("#close-application")
    assert portal.state() == "closed"
    assert not portal.all("#close-application")
    kinds = list(application(reference).events.values_list("kind", "actor"))
    assert kinds == [
        (Event.Kind.DRAFTED, zhang.login),
        (Event.Kind.SUBMITTED, zhang.login),
        (Event.Kind.APPROVED, "system"),
        (Event.Kind.CLOSED, zhang.login),
    ]


def test_long_leave_with_one_supplement_round_the_counsellor_and_the_head(portal, tmp_path):
    grants_for("xgb.student_leave")
    zhang = student()
    counsellor = staff("xgb-counsellor", ("office_staff", "XGB"))
    head = staff("xgb-head", ("office_head", "XGB"))

    portal.sign_in(zhang)
    reference = portal.apply(
        "SF-XGB-006",
        {
            "start_date": "2026-12-01",
            "end_date": "2026-12-05",  # 5 days: more than 3, so the head decides too
            "reason": "回家",
            "destination": "杭州",
        },
        dates=("start_date", "end_date"),
    )
    assert portal.state() == "submitted"

    # The counsellor's office returns it once, listing both problems in one notice.
    portal.sign_in(counsellor, then="/workbench/")
    portal.find(f"tr.acceptance-row[data-reference='{reference}'] a").click()
    portal.wait_for("#supplement-form")
    boxes = portal.all("input.supplement-material")
    material = next(box for box in boxes if "证明" in box.get_attribute("value"))
    material.click()
    portal.find("#supplement-items").send_keys("请假事由请写明具体原因")
    portal.click("#supplement")
    assert portal.state() == "supplement"

    portal.sign_in(zhang, then=f"/applications/{reference}/")
    notice = portal.texts("section.supplement-notice li")
    assert len(notice) == 2 and "请假事由请写明具体原因" in notice
    assert any("证明" in item for item in notice)
    portal.find("section.supplement-notice a").click()
    # Each item is answered in the round: a file for the material, text for the typed item.
    portal.fill({"reason": "家中老人住院，需回家照顾（附医院证明）", "supplement_2": "已写明原因"})
    proof = tmp_path / "证明.pdf"
    proof.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    portal.find("[name='supplement_1']").send_keys(str(proof))
    portal.click("#submit-application")
    assert portal.state() == "submitted"
    # Returned once: the workbench offers no second round.
    portal.sign_in(counsellor)
    portal.workbench(reference)
    assert not portal.all("#supplement-form")
    portal.click("#accept")
    assert portal.state() == "in_progress"
    assert _states(portal) == ["active", "waiting"]
    portal.finish_step("XGB")
    assert _states(portal) == ["approved", "active"]
    # The head's step is not the counsellor's to decide.
    assert not portal.all("form.step-form")

    portal.sign_in(head)
    portal.workbench(reference)
    portal.finish_step("XGB", comment="同意")
    assert portal.state() == "approved"
    portal.click("#close-application")
    assert portal.state() == "closed"
    found = application(reference)
    assert found.answers["reason"].startswith("家中老人住院")
    assert found.events.filter(kind=Event.Kind.SUPPLEMENTED).count() == 1
    assert found.events.get(kind=Event.Kind.CLOSED).actor == head.login


def test_dormitory_change_rejected_by_the_second_office(portal):
    grants_for("hqc.dormitory_change")
    zhang = student()
    allocator = staff("hqc-allocator", ("office_staff", "HQC"))
    counsellor = staff("xgb-counsellor", ("office_staff", "XGB"))

    portal.sign_in(zhang)
    reference = portal.apply(
        "SF-HQC-001", {"reason": "作息时间不同", "preferred_building": "紫金港 6 舍"}
    )
    assert "紫金港 5 舍 301" in portal.prefill  # granted unmasked to the allocating office

    portal.sign_in(allocator)
    portal.workbench(reference)
    portal.click("#accept")
    assert _states(portal) == ["active", "waiting"]
    assert not portal.all("form.step-form")  # the counsellor goes first

    portal.sign_in(counsellor)
    portal.workbench(reference)
    portal.finish_step("XGB")

    portal.sign_in(allocator)
    portal.workbench(reference)
    portal.finish_step("HQC", approve=False, comment="紫金港 6 舍暂无空床位")
    assert portal.state() == "rejected"

    portal.sign_in(zhang, then=f"/applications/{reference}/")
    assert portal.state() == "rejected"
    page = portal.find("main").text
    assert "紫金港 6 舍暂无空床位" in page
    assert portal.all("p.notice")  # the redress channel
    portal.click("#close-application")
    assert portal.state() == "closed"


def test_transcript_started_at_the_window_completed_by_the_student(portal):
    grants_for("jwc.transcript")
    zhang = student()
    window = staff("window-1", ("window_staff", ""))
    registrar = staff("jwc-registrar", ("office_staff", "JWC"))

    # 无差别受理: the window starts it with the student's agreement, the student swiping their
    # campus card and typing its PIN at the counter (issue 17: proof that they are there).
    card_credential_set(user=zhang.user, card_number="CARD77881234", pin="2468")
    portal.sign_in(window, then="/workbench/window/")
    portal.find("#campus-number").send_keys(zhang.login)
    Select(portal.find("#window-matter")).select_by_value("SF-JWC-004")
    portal.find("#presence-card_pin").click()
    portal.find("#card-number").send_keys("CARD77881234")
    portal.find("#card-pin").send_keys("2468")
    portal.find("#agreed").click()
    portal.click("#start")
    portal.wait_path("/applications/")
    reference = portal.find("p.reference").text.rsplit(" ", 1)[-1].strip()
    assert application(reference).started_by_id == window.user.pk

    # The student finds it under "my applications" and types what only they know.
    portal.sign_in(zhang, then="/applications/")
    portal.browser.find_element(By.LINK_TEXT, reference).click()
    assert portal.state() == "draft"
    portal.find("main a[href$='/form/']").click()
    portal.fill({"language": "en", "copies": "2"}, selects=("language",))
    portal.click("#submit-application")
    assert portal.state() == "submitted"  # English: 教务处 proof-reads first

    portal.sign_in(window)
    portal.workbench(reference)
    portal.click("#accept")
    assert portal.state() == "in_progress"

    portal.sign_in(registrar, then="/workbench/")
    assert portal.all(f"tr.step-row[data-reference='{reference}']")
    portal.workbench(reference)
    portal.finish_step("JWC")
    assert portal.state() == "approved"

    # The result is handed out at the window, which closes the case.
    portal.sign_in(window)
    portal.workbench(reference)
    portal.click("#close-application")
    assert portal.state() == "closed"
    found = application(reference)
    assert found.channel == "window"
    assert found.events.get(kind=Event.Kind.CLOSED).actor == window.login
    assert found.events.filter(kind=Event.Kind.VISITED).count() == 1


def _states(portal: Portal) -> list[str]:
    return [row.get_attribute("data-state") for row in portal.all("#steps li.step")]
