"""The security log: sign-in events, append-only, and a hash chain that exposes tampering."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.db import connection

from campus_portal.audit.models import SecurityEvent
from campus_portal.audit.selectors import audit_chain_verify
from campus_portal.audit.services import security_event_record

pytestmark = pytest.mark.django_db


def _events(n: int = 5) -> None:
    for index in range(n):
        security_event_record(
            kind=SecurityEvent.Kind.PERMISSION_DENIED,
            actor=f"user{index}",
            detail={"path": f"/admin/{index}/", "备注": "越权访问"},
        )


def test_sign_ins_and_failures_are_logged(client, django_user_model):
    user = django_user_model.objects.create_user("zhang", "zhang@x.cn", password="pw-Zhang-123")
    EmailAddress.objects.create(user=user, email="zhang@x.cn", verified=True, primary=True)
    client.post("/accounts/login/", {"login": "zhang", "password": "wrong"})
    client.post("/accounts/login/", {"login": "zhang", "password": "pw-Zhang-123"})
    kinds = list(SecurityEvent.objects.order_by("sequence").values_list("kind", "subject", "actor"))
    assert kinds == [("sign_in_failed", "zhang", ""), ("sign_in", "", "zhang")]
    assert audit_chain_verify() == []


def test_an_intact_chain_verifies(capsys):
    _events()
    call_command("verify_audit_chain")
    assert "5 entries" in capsys.readouterr().out


def test_a_modified_entry_is_detected():
    _events()
    with connection.cursor() as cursor:  # tampering behind the model's back
        cursor.execute("UPDATE audit_securityevent SET actor = 'nobody' WHERE sequence = 3")
    assert [(b.sequence, b.reason) for b in audit_chain_verify()] == [
        (3, "was modified after it was written")
    ]
    with pytest.raises(CommandError):
        call_command("verify_audit_chain")


def test_a_deleted_entry_is_detected():
    _events()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_securityevent WHERE sequence = 2")
    breaks = audit_chain_verify()
    assert breaks and breaks[0].sequence == 2


def test_a_deleted_last_entry_is_detected():
    _events()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_securityevent WHERE sequence = 5")
    assert [b.sequence for b in audit_chain_verify()] == [5]


def test_a_rewritten_tail_is_detected():
    """Recomputing one entry's own hash does not help: the next entry still points elsewhere."""
    _events()
    from campus_portal.audit.chain import entry_hash

    event = SecurityEvent.objects.get(sequence=2)
    forged = entry_hash(
        previous_hash=event.previous_hash,
        sequence=2,
        at=event.at,
        kind=event.kind,
        actor="forged",
        subject=event.subject,
        ip_address=event.ip_address,
        detail=event.detail,
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_securityevent SET actor = 'forged', hash = %s WHERE sequence = 2",
            [forged],
        )
    assert [b.sequence for b in audit_chain_verify()] == [3]


def test_the_model_refuses_changes():
    _events(1)
    event = SecurityEvent.objects.get()
    with pytest.raises(PermissionDenied):
        event.save()
    with pytest.raises(PermissionDenied):
        event.delete()
    with pytest.raises(PermissionDenied):
        SecurityEvent.objects.all().delete()


def test_the_admin_shows_the_log_read_only(client, admin_user):
    client.force_login(admin_user)  # itself a logged sign-in
    event = SecurityEvent.objects.get()
    listing = client.get("/admin/snippets/audit/securityevent/", {"q": "root"})
    assert listing.status_code == 200 and "root" in listing.content.decode()
    assert client.get(f"/admin/snippets/audit/securityevent/inspect/{event.pk}/").status_code == 200
    for path in (
        "/admin/snippets/audit/securityevent/add/",
        f"/admin/snippets/audit/securityevent/edit/{event.pk}/",
        f"/admin/snippets/audit/securityevent/delete/{event.pk}/",
    ):
        assert client.get(path).status_code in (302, 403), path


@pytest.mark.urls("tests.audit.urls")
def test_permission_denials_are_logged(client, django_user_model):
    user = django_user_model.objects.create_user("jwc", password="pw-Jwc-12345")
    client.force_login(user)
    assert client.get("/secret/").status_code == 403
    denial = SecurityEvent.objects.get(kind=SecurityEvent.Kind.PERMISSION_DENIED)
    assert denial.actor == "jwc"
    assert denial.detail == {"method": "GET", "path": "/secret/", "via": "403"}
    assert audit_chain_verify() == []


def test_an_anonymous_flood_of_denials_is_aggregated_not_dropped(client, settings):
    """Issue 17: 200 anonymous 403s on POST /kiosk/ added 200 hash-chained rows. Now: the first
    denial a row, then one row per 50 repeats saying so; a signed-in actor's denial always a
    row (tests/authorization)."""
    from django.core.cache import cache

    from campus_portal.audit.services import DENIAL_AGGREGATE_EVERY

    cache.clear()
    before = SecurityEvent.objects.filter(kind="permission_denied").count()
    flooder = type(client)(REMOTE_ADDR="203.0.113.66")
    for _ in range(200):
        assert flooder.post("/kiosk/").status_code == 403
    rows = SecurityEvent.objects.filter(kind="permission_denied", ip_address="203.0.113.66")
    assert SecurityEvent.objects.filter(kind="permission_denied").count() - before == rows.count()
    assert rows.count() == 1 + 200 // DENIAL_AGGREGATE_EVERY
    # Every denial counted: the first row, then rows standing for 49, 50, 50, 50.
    assert sum(row.detail.get("repeated", 1) for row in rows) == 200
    # Another address is not hidden behind the flood.
    assert type(client)(REMOTE_ADDR="198.51.100.1").post("/kiosk/").status_code == 403
    assert SecurityEvent.objects.filter(ip_address="198.51.100.1").count() == 1
    assert audit_chain_verify() == []
