"""日常费用报销 (SF-CWC-001): the budget holder approves, then 财务处 checks the paper documents.

Why it is shaped like this:

- The list's process is "网上填报→经费负责人审批→投递单据→财务审核→支付", promised 5 working
  days (legal 10). The applicant fills in the claim online and uploads the invoice; the two
  decisions are two steps, one after the other: 财务处 (CWC) only looks at a claim the budget
  holder has agreed to spend their money on. Limits add up to the promised 5 days (2 + 3).
- The budget holder is a *person*, not an office: the first step names them
  (``StepSpec.assignee``) by their campus identity, and they finish it from the workbench. On
  campus a member of staff's campus identity (统一身份认证号) is their 工号 — the warehouse's
  imports create persons with ``uid`` = 学号/工号 — so the 工号 the applicant types is the
  assignee. The step still belongs to CWC: if the holder is away (or the number was mistyped),
  CWC staff finish it on the holder's written approval, as the counter does today.
- Nobody approves their own claim: the form refuses the applicant's own number (their campus
  identity, or the staff or student number the warehouse holds for them), and the core would
  not let an assignee finish a step of their own application anyway.
- 投递单据 (handing in the signed claim form and paper originals) is not a step: it is the
  applicant's errand, and receiving the papers is what 财务审核 checks. A missing original is
  a supplement (补正) from that step, which pauses the clock.
- The invoice is uploaded (``UploadField``): PDF, JPEG or PNG scans, or OFD — the format of
  Chinese electronic invoices — each recognised by content. Other supporting documents
  (contracts, lists of participants) are optional.
- Name, number and unit come from the warehouse; the form asks only for what the university
  does not know: the budget code, the budget holder, the amount and what it was for.
- Claims above ``MAX_AMOUNT`` are not daily expenses; they go through CWC's large-amount
  procedure on paper, so the form refuses them instead of letting them wait for a rejection.
- Nothing is decided automatically, and paying (支付) happens in the finance system after the
  approval: the result document is the approval notice the applicant keeps.
"""

from __future__ import annotations

import re
from decimal import Decimal

from django import forms

from campus_portal.plugin_api import (
    JPEG,
    OFD,
    PDF,
    PNG,
    ApplicationForm,
    ApplicationView,
    MatterHandler,
    ResultDocument,
    StepSpec,
    UploadField,
    registry,
)

#: Above this amount a claim is not a daily expense (CWC's large-amount procedure applies).
MAX_AMOUNT = Decimal("50000.00")
BUDGET_CODE = re.compile(r"^[A-Za-z0-9-]{4,32}$")


class ExpenseClaimForm(ApplicationForm):
    budget_code = forms.CharField(
        label="经费号", max_length=32, help_text="经费卡号，字母、数字或连字符"
    )
    budget_holder = forms.CharField(
        label="经费负责人工号", max_length=64, help_text="经费负责人的工号（统一身份认证号）"
    )
    amount = forms.DecimalField(
        label="报销金额（元）",
        max_digits=10,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=MAX_AMOUNT,
    )
    purpose = forms.CharField(label="费用用途", max_length=500, widget=forms.Textarea)
    invoice = UploadField(
        label="发票",
        content_types=(PDF, JPEG, PNG, OFD),
        help_text="电子发票（PDF、OFD）或纸质发票的扫描件、照片（JPEG、PNG）",
    )
    other_documents = UploadField(
        label="其他附件", required=False, help_text="合同、验收单、参会名单等（PDF、JPEG、PNG）"
    )

    def clean_budget_code(self) -> str:
        code = self.cleaned_data["budget_code"].strip().upper()
        if not BUDGET_CODE.match(code):
            raise forms.ValidationError("经费号只能包含字母、数字和连字符（4–32 位）。")
        return code

    def clean_budget_holder(self) -> str:
        holder = self.cleaned_data["budget_holder"].strip()
        if holder.casefold() in _own_numbers(self.application):
            raise forms.ValidationError("经费负责人不能是申请人本人，请填写经费负责人的工号。")
        return holder


def _own_numbers(application: ApplicationView | None) -> set[str]:
    """The applicant's campus identity and the numbers the warehouse holds for them."""
    if application is None:
        return set()
    values = [
        application.applicant_uid,
        application.data.get("staff.number"),
        application.data.get("student.number"),
    ]
    return {str(value).strip().casefold() for value in values if value}


@registry.register
class ExpenseReimbursement(MatterHandler):
    key = "cwc.expense_reimbursement"
    office = "CWC"
    label = "日常费用报销"
    purpose = "日常费用报销审核"
    matter_codes = ("SF-CWC-001",)
    data_needs = (
        "person.name",
        "staff.number",
        "staff.unit",
        "student.number",
        "student.school",
    )
    form_class = ExpenseClaimForm

    def steps(self, application: ApplicationView) -> list[StepSpec]:
        holder = str(application.answers.get("budget_holder", "")).strip()
        return [
            StepSpec(
                "budget_holder",
                "CWC",
                "经费负责人审批",
                time_limit_days=2,
                assignee=holder,
                assignee_role="budget_holder",
                assignee_scope=str(application.answers.get("budget_code", "")),
                assignee_field="budget_holder",
            ),
            StepSpec("finance_review", "CWC", "财务审核（含纸质单据）", time_limit_days=3),
        ]

    def is_fully_online(self, matter) -> bool:
        """No: the signed claim form and the paper originals are handed in (投递单据)."""
        return False

    def result(self, application: ApplicationView) -> ResultDocument:
        data, answers = application.data, application.answers
        number = data.get("staff.number") or data.get("student.number") or ""
        unit = data.get("staff.unit") or data.get("student.school") or ""
        invoice = answers.get("invoice") or {}
        return ResultDocument(
            title="日常费用报销审核通知",
            body=(
                f"{data.get('person.name')}（{number}，{unit}）报销 {answers.get('amount')} 元，"
                "经费负责人已同意，财务处审核通过，将按报销单支付。"
            ),
            fields={
                "经费号": str(answers.get("budget_code", "")),
                "经费负责人工号": str(answers.get("budget_holder", "")),
                "报销金额（元）": str(answers.get("amount", "")),
                "费用用途": str(answers.get("purpose", "")),
                "发票": str(invoice.get("name", "")) if isinstance(invoice, dict) else "",
            },
        )
