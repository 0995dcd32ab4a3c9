"""日常费用报销: the form, the two steps (a named budget holder, then 财务处) and the result."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from campus_portal.applications import services
from campus_portal.applications.models import Step
from campus_portal.plugin_api import UploadField, registry
from plugins.expense_reimbursement.handlers import MAX_AMOUNT, ExpenseClaimForm
from tests.attachments.conftest import (
    PDF,
    claim_answers,
    claim_world_create,
    png_bytes,
    upload,
)
from tests.plugins.conftest import step_keys, view

KEY = "cwc.expense_reimbursement"
DATA = {
    "person.name": "李研",
    "staff.number": None,
    "staff.unit": None,
    "student.number": "2024110001",
    "student.school": "计算机学院",
}


def handler():
    return registry.get(KEY)


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def claim_world(db):
    """A graduate student, the budget holder, CWC staff and outsiders (tests/attachments)."""
    return claim_world_create()


# --- The handler on its own ----------------------------------------------------------------------


def test_registered_for_the_matter_with_warehouse_data_only():
    registered = handler()
    assert (registered.office, registered.matter_codes) == ("CWC", ("SF-CWC-001",))
    form_fields = set(ExpenseClaimForm.base_fields)
    assert form_fields == {
        "budget_code",
        "budget_holder",
        "amount",
        "purpose",
        "invoice",
        "other_documents",
    }
    invoice = ExpenseClaimForm.base_fields["invoice"]
    assert isinstance(invoice, UploadField) and invoice.required
    assert set(invoice.content_types) >= {"application/pdf", "image/jpeg", "image/png"}
    assert not ExpenseClaimForm.base_fields["other_documents"].required


def test_the_budget_holder_step_names_the_holder_then_finance_checks():
    specs = handler().steps(view(KEY, data=DATA, answers=claim_answers(budget_holder=" T20010 ")))
    assert step_keys(specs) == ["budget_holder", "finance_review"]
    holder, finance = specs
    assert (holder.office, holder.assignee, holder.group) == ("CWC", "T20010", "")
    assert (finance.office, finance.assignee) == ("CWC", "")
    assert holder.time_limit_days + finance.time_limit_days == 5  # the promised limit
    assert handler().decide(view(KEY, data=DATA, answers=claim_answers())) is None


def _form(answers, *, files=None, applicant_uid="2024110001", data=DATA):
    application = replace(view(KEY, data=data, answers={}), applicant_uid=applicant_uid)
    files = {"invoice": upload("i.pdf", PDF)} if files is None else files
    return ExpenseClaimForm(answers, files, application=application)


def test_a_valid_claim():
    form = _form(claim_answers(budget_code="ky2026-0815"))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["budget_code"] == "KY2026-0815"
    assert form.cleaned_data["amount"] == Decimal("1280.50")


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"amount": "0"}, "amount"),
        ({"amount": "-5"}, "amount"),
        ({"amount": str(MAX_AMOUNT + Decimal("0.01"))}, "amount"),
        ({"budget_code": "经费 1"}, "budget_code"),
        ({"budget_holder": "2024110001"}, "budget_holder"),  # the applicant's campus identity
    ],
)
def test_bad_claims_are_refused_on_the_form(overrides, field):
    form = _form(claim_answers(**overrides))
    assert not form.is_valid()
    assert field in form.errors


def test_a_member_of_staff_may_not_name_their_own_staff_number():
    staff_data = {**DATA, "staff.number": "T30001", "student.number": None}
    form = _form(claim_answers(budget_holder="t30001"), applicant_uid="u-30001", data=staff_data)
    assert not form.is_valid()
    assert form.errors["budget_holder"] == ["经费负责人不能是申请人本人，请填写经费负责人的工号。"]


def test_the_invoice_is_required_and_judged_by_content():
    assert "invoice" in _form(claim_answers(), files={}).errors
    assert _form(claim_answers(), files={"invoice": upload("i.pdf", png_bytes())}).is_valid()
    bad = _form(claim_answers(), files={"invoice": upload("i.pdf", b"<html></html>")})
    assert not bad.is_valid() and "发票" in bad.errors["invoice"][0]


def test_the_result_summarises_the_claim():
    answers = {
        **claim_answers(),
        "invoice": {"attachment": 7, "name": "发票.pdf", "size": 1200},
        "other_documents": None,
    }
    document = handler().result(view(KEY, data=DATA, answers=answers))
    assert document.title == "日常费用报销审核通知"
    assert "李研" in document.body and "1280.50" in document.body and "计算机学院" in document.body
    assert document.fields["经费号"] == "KY2026-0815"
    assert document.fields["发票"] == "发票.pdf"
    assert document.fields["经费负责人工号"] == "T20010"


# --- The whole life of a claim -------------------------------------------------------------------


@pytest.mark.django_db(databases=["default", "warehouse"])
def test_the_budget_holder_approves_from_the_workbench_then_finance_decides(client, claim_world):
    application = claim_world.apply(client, files={"invoice": upload("发票.pdf", PDF)})
    assert application.state == "submitted"
    holder = claim_world.as_user(client, claim_world.holder)
    assert holder.get("/workbench/").status_code == 403  # nothing assigned yet

    services.application_accept(application, actor=claim_world.cwc_staff)
    step = application.steps.get(key="budget_holder")
    finance = application.steps.get(key="finance_review")
    assert (step.state, step.assignee_uid, finance.state) == ("active", "T20010", "waiting")

    # The holder (no office role at all) finds the step in their queue and opens the claim.
    queue = holder.get("/workbench/").content.decode()
    assert f'data-step="{step.pk}"' in queue and f'data-step="{finance.pk}"' not in queue
    detail = holder.get(reverse("workbench:detail", args=[application.reference]))
    assert detail.status_code == 200
    assert [s.pk for s in detail.context["my_steps"]] == [step.pk]
    assert not detail.context["may_accept"] and not detail.context["may_supplement"]
    response = holder.post(
        reverse("workbench:detail", args=[application.reference]),
        {"action": "approve", "step": step.pk, "version": step.version, "comment": "同意"},
        follow=True,
    )
    assert response.status_code == 200
    step.refresh_from_db()
    finance.refresh_from_db()
    assert (step.state, step.finished_by) == ("approved", "wang-prof")
    assert finance.state == Step.State.ACTIVE and finance.due_at is not None

    assert response.redirect_chain[-1][0] == reverse(
        "workbench:detail", args=[application.reference]
    )
    assert [s.pk for s in response.context["my_steps"]] == []

    # The holder cannot finish 财务审核; their queue is empty, the claim stays readable.
    with pytest.raises(PermissionDenied):
        services.step_finish(finance, actor=claim_world.holder, approved=True)
    assert f'data-step="{finance.pk}"' not in holder.get("/workbench/").content.decode()
    assert (
        holder.get(reverse("applications:detail", args=[application.reference])).status_code == 200
    )

    services.step_finish(finance, actor=claim_world.cwc_staff, approved=True, comment="单据齐全")
    application.refresh_from_db()
    assert application.state == "approved"


@pytest.mark.django_db(databases=["default", "warehouse"])
def test_cwc_staff_can_act_for_an_absent_budget_holder(client, claim_world):
    application = claim_world.apply(client, files={"invoice": upload("i.pdf", PDF)})
    services.application_accept(application, actor=claim_world.cwc_staff)
    step = application.steps.get(key="budget_holder")
    services.step_finish(step, actor=claim_world.cwc_staff, approved=True, comment="负责人书面同意")
    assert application.steps.get(key="finance_review").state == Step.State.ACTIVE
    # Other offices' staff cannot, and neither can another person.
    finance = application.steps.get(key="finance_review")
    for outsider in (claim_world.jwc_staff, claim_world.other_student, claim_world.applicant):
        with pytest.raises(PermissionDenied):
            services.step_finish(finance, actor=outsider, approved=True)


@pytest.mark.django_db(databases=["default", "warehouse"])
def test_a_budget_holder_rejection_rejects_the_claim(client, claim_world):
    application = claim_world.apply(client, files={"invoice": upload("i.pdf", PDF)})
    services.application_accept(application, actor=claim_world.cwc_staff)
    step = application.steps.get(key="budget_holder")
    services.step_finish(step, actor=claim_world.holder, approved=False, comment="不属于本课题支出")
    application.refresh_from_db()
    assert (application.state, application.decision_reason) == ("rejected", "不属于本课题支出")
    assert application.steps.get(key="finance_review").state == Step.State.CANCELLED
