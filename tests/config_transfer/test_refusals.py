"""Bad archives are refused with a message naming the file and the object; nothing imported.
References this instance lacks are problems until a mapping resolves them."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from campus_portal.catalog.models import MatterPage, Office
from campus_portal.config_transfer.archive import ArchiveRefused, archive_write, json_bytes
from campus_portal.config_transfer.references import MappingRefused, mapping_parse
from campus_portal.config_transfer.scope import Scope
from campus_portal.config_transfer.services import configuration_export, configuration_import
from campus_portal.matter_config.models import ConfigurationVersion

pytestmark = pytest.mark.django_db(databases=["default", "warehouse"])
FIXTURES = Path(__file__).parent / "fixtures"


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return {name: package.read(name) for name in package.namelist()}


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name, content in members.items():
            package.writestr(name, content)
    return buffer.getvalue()


def _refused(data: bytes, *fragments: str) -> None:
    before = Office.objects.count(), MatterPage.objects.count()
    with pytest.raises(ArchiveRefused) as refused:
        configuration_import(data=data, filename="bad.zip", dry_run=False)
    text = " ".join(refused.value.messages)
    assert "bad.zip" in text
    for fragment in fragments:
        assert fragment in text, text
    assert (Office.objects.count(), MatterPage.objects.count()) == before


@pytest.fixture
def jwc_archive() -> bytes:
    return configuration_export(scope=Scope(offices=frozenset({"JWC"})))


def test_not_an_archive():
    _refused("office,name\nJWC,教务处\n".encode(), "不是配置包")


def test_truncated(jwc_archive):
    _refused(jwc_archive[: len(jwc_archive) // 2])


def test_tampered_file_names_the_file(jwc_archive):
    members = _members(jwc_archive)
    members["offices.json"] = members["offices.json"].replace("教务处".encode(), "假冒处".encode())
    _refused(_zip(members), "offices.json", "校验值")


def test_member_missing_from_the_archive(jwc_archive):
    members = _members(jwc_archive)
    del members["matters.json"]
    _refused(_zip(members), "matters.json")


def test_unknown_and_newer_format_versions(jwc_archive):
    members = _members(jwc_archive)
    manifest = json.loads(members["manifest.json"])
    members["manifest.json"] = json_bytes({**manifest, "format_version": "x"})
    _refused(_zip(members), "x")
    members["manifest.json"] = json_bytes(
        {**manifest, "format_version": 99, "platform_version": "9.0"}
    )
    _refused(_zip(members), "99", "9.0", "1")


def test_path_escape():
    _refused(_zip({"manifest.json": b"{}", "../../evil.py": b"x"}), "../../evil.py")


def test_zip_bomb():
    bomb = _zip({"manifest.json": b"{}", "offices.json": b"\x00" * (30 * 1024 * 1024)})
    _refused(bomb, "offices.json")


def test_record_without_a_field_names_the_object(jwc_archive):
    members = _members(jwc_archive)
    matters = json.loads(members["matters.json"])
    del matters["records"][0]["office"]
    key = matters["records"][0]["key"]
    files = {n: c for n, c in members.items() if n != "manifest.json"}
    files["matters.json"] = json_bytes(matters)
    _refused(archive_write(files=files, scope={"everything": True}), "matters.json", key)


def _with_unknown_office(jwc_archive: bytes) -> bytes:
    """The JWC archive with its first matter moved to an office this instance lacks."""
    members = _members(jwc_archive)
    files = {n: c for n, c in members.items() if n != "manifest.json"}
    matters = json.loads(files["matters.json"])
    matters["records"][0]["office"] = "NOPE"
    files["matters.json"] = json_bytes(matters)
    return archive_write(files=files, scope=json.loads(members["manifest.json"])["scope"])


def test_unknown_office_is_a_problem_until_mapped(jwc_archive):
    data = _with_unknown_office(jwc_archive)
    report = configuration_import(data=data, filename="x.zip", dry_run=False)
    assert not report.applied and [(p.kind, p.name) for p in report.blocking] == [
        ("offices", "NOPE")
    ]
    mapped = configuration_import(
        data=data, filename="x.zip", mapping={"offices": {"NOPE": "XGB"}}, dry_run=False
    )
    assert mapped.applied
    code = json.loads(_members(data)["matters.json"])["records"][0]["key"]
    assert MatterPage.objects.get(code=code).office.code == "XGB"


def test_mapping_file_refused_with_its_name():
    with pytest.raises(MappingRefused, match=r"map\.json"):
        mapping_parse(data=b'{"people": {}}', filename="map.json")
    with pytest.raises(MappingRefused, match=r"map\.json"):
        mapping_parse(data=b"not json", filename="map.json")


def test_missing_data_item_and_font_are_problems(jwc_archive):
    members = _members(jwc_archive)
    files = {n: c for n, c in members.items() if n != "manifest.json"}
    files["grants.json"] = json_bytes({"kind": "grants", "records": [
        {"key": "config.generic|student.college", "handler": "config.generic",
         "item": "student.college", "purpose": "t", "unmasked": False,
         "granted_by": "t"}]})  # fmt: skip
    files["result_templates.json"] = json_bytes({"kind": "result_templates", "records": [
        {"key": "JWC|certificate|zh-hans|", "office": "JWC", "kind": "certificate",
         "language": "zh-hans", "handler": "",
         "source": '<p style="font-family: FangSongNotHere">{{ body }}</p>'}]})  # fmt: skip
    data = archive_write(files=files, scope={"everything": False, "offices": ["JWC"]})
    report = configuration_import(data=data, filename="x.zip", dry_run=False)
    kinds = {(p.kind, p.name) for p in report.blocking}
    assert {("data_items", "student.college"), ("fonts", "FangSongNotHere")} <= kinds
    assert not report.applied


def test_changed_field_diffed_old_to_new_and_only_here_listed(jwc_archive):
    members = _members(jwc_archive)
    files = {n: c for n, c in members.items() if n != "manifest.json"}
    offices = json.loads(files["offices.json"])
    offices["records"][0]["phone"] = "0571-00000000"
    files["offices.json"] = json_bytes(offices)
    matters = json.loads(files["matters.json"])
    dropped = matters["records"].pop()["key"]
    files["matters.json"] = json_bytes(matters)
    data = archive_write(files=files, scope={"everything": False, "offices": ["JWC"]})
    report = configuration_import(data=data, filename="x.zip", dry_run=True)
    office = next(e for e in report.entries if e.kind == "offices" and e.key == "JWC")
    assert office.status == "changed"
    assert [(c.field, c.new) for c in office.changes] == [("phone", "0571-00000000")]
    only_here = next(e for e in report.entries if e.key == dropped)
    assert only_here.status == "only_here"
    assert Office.objects.get(code="JWC").phone != "0571-00000000"  # a dry run writes nothing
    configuration_import(data=data, filename="x.zip", dry_run=False)
    assert Office.objects.get(code="JWC").phone == "0571-00000000"
    assert MatterPage.objects.filter(code=dropped).exists()  # never deleted


def test_committed_format_1_fixture_imports():
    """One archive per format version, committed; each must keep importing."""
    data = (FIXTURES / "format-1.zip").read_bytes()
    report = configuration_import(data=data, filename="format-1.zip", dry_run=False)
    assert report.ok and report.applied
    assert report.manifest["format_version"] == 1
    assert ConfigurationVersion.objects.filter(configuration__matter__code="T-CT-001").exists()
