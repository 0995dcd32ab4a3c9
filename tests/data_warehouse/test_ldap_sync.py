"""The campus directory sync against a real slapd (see ldap_fixtures.py)."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import ldap
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from data_warehouse.models import OrgUnit, Person
from data_warehouse.sources import ldap_sync as ldap_sync_module
from data_warehouse.sources.ldap_sync import LdapSyncError, ldap_sync
from data_warehouse.tasks import warehouse_sync_ldap_task
from tests.data_warehouse.ldap_fixtures import (
    EXPECTED_UIDS,
    EXPECTED_UNIT_CODES,
    PEOPLE_BASE,
    PORT_RANGE,
    UNITS_BASE,
    CampusSlapd,
    admin_connection,
    free_port,
    reset_directory,
    start_slapd,
)

pytestmark = pytest.mark.django_db(databases=["default", "warehouse"])


@pytest.fixture(scope="session")
def slapd_server() -> Iterator[CampusSlapd]:
    server = start_slapd()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def directory(slapd_server: CampusSlapd, settings) -> CampusSlapd:
    """A pristine directory, and WAREHOUSE_LDAP pointing at it."""
    reset_directory(slapd_server)
    settings.WAREHOUSE_LDAP = {
        "URI": slapd_server.ldap_uri,
        "BIND_DN": slapd_server.root_dn,
        "BIND_PASSWORD": slapd_server.root_pw,
        "PEOPLE_BASE_DN": PEOPLE_BASE,
        "UNITS_BASE_DN": UNITS_BASE,
        "TIMEOUT": 5,
        # This directory records gender in employeeType and the ID card in employeeNumber.
        "ATTRIBUTES": {"gender": "employeeType", "id_card_number": "employeeNumber"},
    }
    return slapd_server


def modify(server: CampusSlapd, dn: str, changes: list[tuple[int, str, list[bytes]]]) -> None:
    conn = admin_connection(server)
    try:
        conn.modify_s(dn, changes)
    finally:
        conn.unbind_s()


def delete(server: CampusSlapd, dn: str) -> None:
    conn = admin_connection(server)
    try:
        conn.delete_s(dn)
    finally:
        conn.unbind_s()


def snapshot() -> tuple[list[tuple], list[tuple]]:
    """Every column of every row, to prove that nothing at all changed."""
    return (
        list(Person.objects.order_by("uid").values_list()),
        list(OrgUnit.objects.order_by("code").values_list()),
    )


def closed_port() -> int:
    """A port below the ephemeral range on which nothing listens."""
    while True:
        port = free_port()
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) != 0:
                return port


def test_first_sync_creates_persons_and_units(directory):
    report = ldap_sync()

    assert set(Person.objects.values_list("uid", flat=True)) == EXPECTED_UIDS
    zhang = Person.objects.get(uid="2023010101")
    assert zhang.name == "张晓明"
    assert zhang.email == "zhangxm@example.edu"
    assert zhang.gender == Person.Gender.MALE
    assert zhang.id_card_number == "330106200501011234"
    assert zhang.active
    wang = Person.objects.get(uid="2023010102")
    assert wang.name == "王芳"  # displayName wins over cn
    assert wang.gender == Person.Gender.FEMALE
    teacher = Person.objects.get(uid="T1001")
    assert (teacher.name, teacher.email, teacher.gender) == ("李老师", "", "unknown")
    assert Person.objects.get(uid="T1002").name == "欧阳明月"

    units = {u.code: u for u in OrgUnit.objects.select_related("parent")}
    assert set(units) == EXPECTED_UNIT_CODES
    assert (units["CS"].name, units["CS"].kind, units["CS"].parent) == (
        "计算机学院",
        OrgUnit.Kind.SCHOOL,
        None,
    )
    assert units["SE"].parent == units["CS"]
    assert units["SE"].kind == OrgUnit.Kind.OTHER
    assert units["SE2301"].parent == units["SE"]
    assert units["SE2301"].kind == OrgUnit.Kind.CLASS
    assert units["JWC"].kind == OrgUnit.Kind.OFFICE

    assert (report.people.created, report.people.skipped) == (4, 1)
    assert report.units.created == 4
    # Only the person without a uid is skipped; the role and the printer never match.
    assert [entry.dn for entry in report.skipped] == [f"cn=陈无号,{PEOPLE_BASE}"]
    assert "uid" in report.skipped[0].reason


def test_rerun_without_changes_writes_nothing(directory):
    ldap_sync()
    before = snapshot()

    report = ldap_sync()

    assert report.writes == 0
    assert report.people.unchanged == 4
    assert report.units.unchanged == 4
    assert report.people.skipped == 1
    assert snapshot() == before  # includes every updated_at


def test_paging_reads_every_page(directory, settings):
    settings.WAREHOUSE_LDAP = {**settings.WAREHOUSE_LDAP, "PAGE_SIZE": 2}
    report = ldap_sync()
    assert report.people.created == 4
    assert report.units.created == 4


def test_modified_entry_updates_only_that_person(directory):
    ldap_sync()
    before = {p.uid: p for p in Person.objects.all()}

    modify(
        directory,
        f"uid=T1001,{PEOPLE_BASE}",
        [
            (ldap.MOD_REPLACE, "cn", ["李明老师".encode()]),
            (ldap.MOD_ADD, "mail", [b"li@example.edu"]),
        ],
    )
    report = ldap_sync()

    assert (report.people.updated, report.people.unchanged) == (1, 3)
    assert report.units.updated == 0
    after = {p.uid: p for p in Person.objects.all()}
    assert (after["T1001"].name, after["T1001"].email) == ("李明老师", "li@example.edu")
    assert after["T1001"].updated_at > before["T1001"].updated_at
    for uid in EXPECTED_UIDS - {"T1001"}:
        assert after[uid].updated_at == before[uid].updated_at


def test_deleted_entry_retires_person_and_returning_reactivates(directory):
    ldap_sync()
    delete(directory, f"uid=T1002,{PEOPLE_BASE}")
    delete(directory, f"ou=JWC,{UNITS_BASE}")

    report = ldap_sync()

    assert (report.people.retired, report.units.retired) == (1, 1)
    retired = Person.objects.get(uid="T1002")  # kept, never deleted
    assert not retired.active
    assert set(Person.objects.filter(active=True).values_list("uid", flat=True)) == (
        EXPECTED_UIDS - {"T1002"}
    )
    assert not OrgUnit.objects.get(code="JWC").active
    assert ldap_sync().writes == 0  # retiring is not repeated

    reset_directory(directory)
    report = ldap_sync()
    assert (report.people.updated, report.units.updated) == (1, 1)
    assert Person.objects.get(uid="T1002").active


def test_rows_of_other_sources_are_never_retired(directory):
    Person.objects.create(uid="HR-ONLY-1", name="外聘专家", source="hr_import")
    OrgUnit.objects.create(code="DEMO-U", name="演示单位", kind="office", source="demo")
    report = ldap_sync()
    assert Person.objects.get(uid="HR-ONLY-1").active
    assert OrgUnit.objects.get(code="DEMO-U").active
    assert report.people.retired == report.units.retired == 0
    assert Person.objects.get(uid=sorted(EXPECTED_UIDS)[0]).source == "ldap"


def test_wrong_password_raises_and_changes_nothing(directory, settings):
    ldap_sync()
    delete(directory, f"uid=T1002,{PEOPLE_BASE}")
    before = snapshot()
    settings.WAREHOUSE_LDAP = {**settings.WAREHOUSE_LDAP, "BIND_PASSWORD": "wrong"}

    with pytest.raises(LdapSyncError, match="refused the bind"):
        ldap_sync()

    assert snapshot() == before


def test_unreachable_server_raises_and_changes_nothing(directory, settings):
    ldap_sync()
    before = snapshot()
    port = closed_port()
    assert PORT_RANGE[0] <= port < PORT_RANGE[1]
    settings.WAREHOUSE_LDAP = {**settings.WAREHOUSE_LDAP, "URI": f"ldap://127.0.0.1:{port}"}

    with pytest.raises(LdapSyncError, match="Cannot reach"):
        ldap_sync()

    assert snapshot() == before


def test_search_failing_on_a_later_page_retires_nobody(directory, settings, monkeypatch):
    ldap_sync()
    delete(directory, f"uid=T1002,{PEOPLE_BASE}")
    before = snapshot()
    settings.WAREHOUSE_LDAP = {**settings.WAREHOUSE_LDAP, "PAGE_SIZE": 2}
    original = ldap.ldapobject.SimpleLDAPObject.result3
    calls = {"n": 0}

    def flaky_result3(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 4:  # the units take 3 pages; fail on the people's first
            raise ldap.SERVER_DOWN({"desc": "Can't contact LDAP server"})
        return original(self, *args, **kwargs)

    monkeypatch.setattr(ldap.ldapobject.SimpleLDAPObject, "result3", flaky_result3)

    with pytest.raises(LdapSyncError, match="Searching"):
        ldap_sync()

    assert calls["n"] == 4
    assert snapshot() == before
    assert Person.objects.get(uid="T1002").active


def test_failure_while_writing_leaves_nothing_half_updated(directory, monkeypatch):
    ldap_sync()
    modify(
        directory,
        f"ou=CS,{UNITS_BASE}",
        [(ldap.MOD_REPLACE, "description", ["计算机科学与技术学院".encode()])],
    )
    modify(directory, f"uid=T1001,{PEOPLE_BASE}", [(ldap.MOD_REPLACE, "cn", ["李明".encode()])])
    before = snapshot()
    original = ldap_sync_module._sync_people

    def crash_after_people(*args, **kwargs):
        original(*args, **kwargs)
        raise RuntimeError("disk full")

    monkeypatch.setattr(ldap_sync_module, "_sync_people", crash_after_people)

    with pytest.raises(RuntimeError, match="disk full"):
        ldap_sync()

    assert snapshot() == before


def test_empty_result_is_refused_not_mass_retirement(directory, settings):
    ldap_sync()
    before = snapshot()
    settings.WAREHOUSE_LDAP = {**settings.WAREHOUSE_LDAP, "PEOPLE_FILTER": "(uid=nobody)"}

    with pytest.raises(LdapSyncError, match="no usable people"):
        ldap_sync()

    assert snapshot() == before


def test_command_prints_report(directory, capsys):
    call_command("warehouse_sync_ldap")
    out = capsys.readouterr().out
    assert "Persons: 4 created, 0 updated, 0 retired, 0 unchanged, 1 skipped." in out
    assert "Org units: 4 created" in out
    assert f"Skipped cn=陈无号,{PEOPLE_BASE}" in out


def test_command_fails_on_ldap_error(directory, settings):
    settings.WAREHOUSE_LDAP = {**settings.WAREHOUSE_LDAP, "BIND_PASSWORD": "wrong"}
    with pytest.raises(CommandError, match="nothing was changed"):
        call_command("warehouse_sync_ldap")
    assert not Person.objects.exists()


def test_command_fails_without_configuration(settings):
    settings.WAREHOUSE_LDAP = {}
    with pytest.raises(CommandError, match="URI"):
        call_command("warehouse_sync_ldap")


def test_task_runs_the_sync_and_retries_on_ldap_errors(directory):
    result = warehouse_sync_ldap_task.apply().get()
    assert result["people"]["created"] == 4
    assert warehouse_sync_ldap_task.autoretry_for == (LdapSyncError,)
    assert warehouse_sync_ldap_task.max_retries == 5
    assert warehouse_sync_ldap_task.acks_late
