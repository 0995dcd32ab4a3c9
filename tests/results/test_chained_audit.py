"""Issue 17: decisions, refusals, transfers, revocations and grant changes join the hash chain.

Each kind is produced by the real services, then one entry of that kind is altered behind the
model's back: ``verify_audit_chain`` must name exactly that entry.
"""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from campus_portal.applications import services
from campus_portal.audit.models import SecurityEvent
from campus_portal.audit.selectors import audit_chain_verify
from campus_portal.results.services import result_document_issue, result_document_revoke
from data_warehouse.services import grant_revoke
from tests.applications.conftest import CERTIFICATE, make_user

pytestmark = pytest.mark.django_db(databases=["default", "warehouse"])

KINDS = ("decision", "not_accepted", "transfer", "revocation", "grant_changed")


@pytest.fixture
def history(approved, jwc_staff, submitted, staff):
    """One entry of every chained kind, made the way the platform makes them."""
    document = result_document_issue(application=approved())  # 秒批: a decision by "system"
    result_document_revoke(document=document, actor=jwc_staff, reason="信息有误")
    refused = submitted()
    services.application_not_accept(refused, actor=staff, reason="不属于本部门受理范围")
    moved = submitted()
    services.application_accept(moved, actor=staff)
    step = moved.steps.get()
    services.step_transfer(step, actor=staff, to_office="HQC", reason="应由后勤处办理")
    hqc = make_user("hqc-chain-staff", roles=[("office_staff", "HQC")])
    services.step_finish(moved.steps.get(), actor=hqc, approved=False, comment="材料不符")
    grant_revoke(handler_key=CERTIFICATE, item_key="person.name")
    return moved


def test_every_kind_is_in_the_chain_with_who_and_what(history):
    entries = SecurityEvent.objects.order_by("sequence")
    assert set(KINDS) <= set(entries.values_list("kind", flat=True))
    transfer = entries.get(kind="transfer")
    assert (transfer.actor, transfer.subject) == ("xgb-notice-staff", history.reference)
    assert (transfer.detail["from"], transfer.detail["to"]) == ("XGB", "HQC")
    step_decision = entries.get(
        kind="decision", actor="hqc-chain-staff", detail__event="step_finished"
    )
    assert step_decision.detail["event"] == "step_finished"
    assert step_decision.detail["approved"] is False
    # The rejected step rejected the application: that decision is chained too.
    assert entries.filter(kind="decision", subject=history.reference).count() == 2
    assert entries.filter(kind="decision", actor="system").exists()  # the 秒批 certificate
    revoked = entries.filter(kind="grant_changed", detail__action="revoked").get()
    assert revoked.detail["item"] == "person.name"
    assert audit_chain_verify() == []


@pytest.mark.parametrize("kind", KINDS)
def test_tampering_with_any_chained_kind_is_reported(history, kind, capsys):
    target = SecurityEvent.objects.filter(kind=kind).order_by("sequence").first()
    with connection.cursor() as cursor:  # tampering behind the model's back
        cursor.execute(
            "UPDATE audit_securityevent SET detail = %s WHERE sequence = %s",
            ['{"forged": true}', target.sequence],
        )
    assert [b.sequence for b in audit_chain_verify()] == [target.sequence]
    with pytest.raises(CommandError):
        call_command("verify_audit_chain")
    assert f"#{target.sequence}:" in capsys.readouterr().err
