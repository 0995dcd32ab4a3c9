"""Published versions survive the move, forked histories are refused, in-flight applications
are never touched; the commands' scope and mapping file."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.core.management import CommandError, call_command

from campus_portal.catalog.models import MatterPage
from campus_portal.config_transfer.archive import archive_write, json_bytes
from campus_portal.config_transfer.scope import Scope
from campus_portal.config_transfer.services import configuration_export, configuration_import
from campus_portal.matter_config.models import ApplicationVersion, ConfigurationVersion
from campus_portal.matter_config.services import configuration_derive, configuration_publish
from tests.applications.conftest import make_user
from tests.config_transfer.probe import _apply, _student

pytestmark = pytest.mark.django_db(databases=["default", "warehouse"])
CODE = "SF-XGB-003"


@pytest.fixture
def in_flight():
    """SF-XGB-003 published as v1 and one application submitted on it."""
    from data_warehouse.services import grant_create

    for key in ("person.name", "student.number", "student.school"):
        grant_create(handler_key="config.generic", item_key=key, purpose="t", granted_by="t")
    make_user("ct-xgb-staff", roles=[("office_staff", "XGB")])
    configuration = configuration_derive(matter=MatterPage.objects.get(code=CODE))
    configuration_publish(configuration=configuration, user="t")
    applied = _apply(CODE, _student())
    assert applied["state"] == "submitted"
    return ApplicationVersion.objects.get(application__matter__code=CODE)


def _edited(data: bytes, edit) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        files = {n: package.read(n) for n in package.namelist()}
    manifest = json.loads(files.pop("manifest.json"))
    configurations = json.loads(files["configurations.json"])
    edit(next(r for r in configurations["records"] if r["key"] == CODE))
    files["configurations.json"] = json_bytes(configurations)
    return archive_write(files=files, scope=manifest["scope"])


def test_new_version_appended_in_flight_application_untouched(in_flight):
    data = configuration_export(scope=Scope(matters=frozenset({CODE})))

    def add_version(record):
        definition = {**record["versions"][0]["definition"]}
        definition["result"] = {**definition["result"], "title": "迁移后的证明"}
        record["versions"].append({"number": 2, "definition": definition, "published_by": "test"})
        record["draft"] = definition

    report = configuration_import(data=_edited(data, add_version), filename="v2.zip", dry_run=False)
    entry = next(e for e in report.entries if e.kind == "configurations")
    assert entry.status == "changed" and "1" in entry.note  # one application in flight
    assert {c.field for c in entry.changes} == {"draft", "versions"}
    versions = ConfigurationVersion.objects.filter(configuration__matter__code=CODE)
    assert sorted(versions.values_list("number", flat=True)) == [1, 2]
    pin = ApplicationVersion.objects.get(pk=in_flight.pk)
    assert pin.version.number == 1 and pin.application.state == "submitted"


def test_a_forked_version_history_is_refused(in_flight):
    data = configuration_export(scope=Scope(matters=frozenset({CODE})))

    def fork(record):
        record["versions"][0]["definition"]["purpose"] = "另一个目的"

    report = configuration_import(data=_edited(data, fork), filename="fork.zip", dry_run=False)
    assert [p.kind for p in report.blocking] == ["versions"]
    assert not report.applied
    version = ConfigurationVersion.objects.get(configuration__matter__code=CODE, number=1)
    assert version.definition["purpose"] != "另一个目的"


def test_commands_scope_dry_run_and_mapping(tmp_path):
    out = tmp_path / "jwc.zip"
    call_command("config_export", "--out", str(out), "--office", "JWC", stdout=io.StringIO())
    with zipfile.ZipFile(out) as package:
        manifest = json.loads(package.read("manifest.json"))
        matters = json.loads(package.read("matters.json"))["records"]
    assert manifest["scope"]["offices"] == ["JWC"] and "targets.json" not in manifest["files"]
    assert matters and {m["office"] for m in matters} == {"JWC"}
    with pytest.raises(CommandError, match="NOPE"):
        call_command("config_export", "--out", str(out), "--office", "NOPE")
    printed = io.StringIO()
    call_command("config_import", str(out), "--dry-run", stdout=printed)
    assert "nothing written" in printed.getvalue() or "未写入" in printed.getvalue()
    bad = tmp_path / "mapping.json"
    bad.write_text('{"offices": ["JWC"]}', encoding="utf-8")
    with pytest.raises(CommandError, match=r"mapping\.json"):
        call_command("config_import", str(out), "--mapping", str(bad))
    with pytest.raises(CommandError, match=r"missing\.zip"):
        call_command("config_import", str(tmp_path / "missing.zip"))
