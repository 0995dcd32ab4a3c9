"""Which notices an application has at each moment, and what each one says (read from the PDF)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import override_settings

from campus_portal.applications import services
from campus_portal.catalog.models import MatterPage
from campus_portal.documents.notices import NoticeKind, notice_get, notice_pdf, notices_for
from tests.documents.conftest import pdf_text

pytestmark = pytest.mark.django_db(databases=["default", "warehouse"])

BEIJING = ZoneInfo("Asia/Shanghai")


def kinds(application) -> list[str]:
    return [notice.kind for notice in notices_for(application)]


def text_of(application, kind: str) -> str:
    notice = notice_get(application, kind)
    assert notice is not None, f"no {kind} notice"
    return pdf_text(notice_pdf(application, notice))


def test_nothing_before_acceptance_then_a_receipt(submitted, staff):
    application = submitted()
    assert kinds(application) == []
    services.application_accept(application, actor=staff)
    assert kinds(application) == [NoticeKind.RECEIPT]
    receipt = notice_get(application, NoticeKind.RECEIPT)
    assert receipt.number == f"{application.reference}-SL"
    assert receipt.title == "受理回执"
    assert notice_get(application, NoticeKind.DECISION) is None


def test_the_receipt_promises_a_date_counted_in_working_days_across_a_holiday(
    matter, submitted, staff
):
    # Three promised working days from Wednesday 30 September 2026: the National Day holiday
    # (1–7 October) does not count, Saturday 10 October is an adjusted working day (调休).
    MatterPage.objects.filter(pk=matter.pk).update(promised_time_limit=3, legal_time_limit=5)
    with time_machine.travel(dt.datetime(2026, 9, 30, 10, 0, tzinfo=BEIJING), tick=True):
        application = submitted()
        services.application_accept(application, actor=staff)
    text = text_of(application, NoticeKind.RECEIPT)
    for expected in (
        "示范大学",
        "学生工作部",
        "受理回执",
        f"{application.reference}-SL",
        "李思源",
        matter.title,
        "受理日期2026年9月30日",
        "3个工作日",
        "法定时限5个工作日",
        "预计办结日期2026年10月10日",
    ):
        assert expected in text, expected


@override_settings(UNIVERSITY_NAME="测试理工大学")
def test_the_university_name_comes_from_the_settings(submitted, staff):
    application = submitted()
    services.application_accept(application, actor=staff)
    assert "测试理工大学" in text_of(application, NoticeKind.RECEIPT)


def test_one_supplement_notice_lists_every_item_and_outlives_the_supplement(
    submitted, staff, applicant
):
    application = submitted()
    services.application_accept(application, actor=staff)
    items = ["缺少辅导员签字的请假条", "病假证明不清晰，请重新上传"]
    services.application_return_for_supplement(application, actor=staff, items=items)
    assert kinds(application) == [NoticeKind.RECEIPT, NoticeKind.SUPPLEMENT]
    text = text_of(application, NoticeKind.SUPPLEMENT)
    assert "补正告知书" in text and "一次性告知" in text
    assert f"{application.reference}-BZ" in text
    for item in items:
        assert "".join(item.split()) in text
    # The applicant supplements: the notice they were given stays as it was.
    application.refresh_from_db()
    services.application_submit(application, actor=applicant, answers={}, idempotency_key="s2")
    application.refresh_from_db()
    assert kinds(application) == [NoticeKind.RECEIPT, NoticeKind.SUPPLEMENT]
    assert items[0] in text_of(application, NoticeKind.SUPPLEMENT)


def test_not_accepted_gives_the_reason_and_the_redress_channel(matter, submitted, staff):
    MatterPage.objects.filter(pk=matter.pk).update(complaint_channel="校长信箱 xzxx@example.edu.cn")
    application = submitted()
    services.application_not_accept(application, actor=staff, reason="本事项仅受理在校学生的申请")
    application.refresh_from_db()
    assert kinds(application) == [NoticeKind.NOT_ACCEPTED]
    text = text_of(application, NoticeKind.NOT_ACCEPTED)
    assert "不予受理通知书" in text and f"{application.reference}-BSL" in text
    assert "本事项仅受理在校学生的申请" in text
    assert "申请复核" in text and "学生工作部" in text
    assert "校长信箱xzxx@example.edu.cn" in text
    assert "0571-88000103" in text  # the guide's consultation phone


def test_a_rejection_is_a_decision_with_reason_and_redress(matter, submitted, staff):
    MatterPage.objects.filter(pk=matter.pk).update(
        redress="如对本决定有异议，可在收到本决定书之日起十个工作日内向学生申诉处理委员会提出申诉。"
    )
    application = submitted()
    services.application_accept(application, actor=staff)
    assert notice_get(application, NoticeKind.DECISION) is None
    step = application.steps.get()
    services.step_finish(step, actor=staff, approved=False, comment="请假天数超过辅导员审批权限")
    application.refresh_from_db()
    assert kinds(application) == [NoticeKind.RECEIPT, NoticeKind.DECISION]
    decision = notice_get(application, NoticeKind.DECISION)
    assert decision.title == "不予办理决定书"
    text = text_of(application, NoticeKind.DECISION)
    assert f"{application.reference}-JD" in text
    assert "决定不予办理" in text
    assert "请假天数超过辅导员审批权限" in text
    assert "学生申诉处理委员会提出申诉" in text  # the guide's own redress text wins


def test_an_approval_is_a_decision_without_redress(submitted, staff):
    application = submitted()
    services.application_accept(application, actor=staff)
    services.step_finish(application.steps.get(), actor=staff, approved=True)
    application.refresh_from_db()
    decision = notice_get(application, NoticeKind.DECISION)
    assert decision.title == "准予办理决定书"
    text = text_of(application, NoticeKind.DECISION)
    assert "决定准予办理" in text and "李思源" in text
    assert "复核" not in text


def test_a_withdrawn_application_has_no_decision(submitted, applicant):
    application = submitted()
    services.application_withdraw(application, actor=applicant)
    assert kinds(application) == []


def test_an_instant_decision_has_a_decision_but_no_receipt(student_user, certificate_matter):
    application = services.application_start(user=student_user, matter=certificate_matter)
    services.application_consent(application, actor=student_user)
    services.application_submit(application, actor=student_user, answers={}, idempotency_key="i")
    application.refresh_from_db()
    assert kinds(application) == [NoticeKind.DECISION]
    assert "教务处" in text_of(application, NoticeKind.DECISION)
