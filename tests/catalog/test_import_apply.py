"""Applying lists: dry runs, idempotent re-imports, updates with history, offices, the command."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from wagtail.models import Revision

from campus_portal.catalog.models import MatterPage, Office, OfficePage, PowerItem, PowerListImport
from campus_portal.catalog.services import power_list_import
from tests.conftest import reference_rows, rows_to_csv, sample_rows

pytestmark = pytest.mark.django_db


def _revisions(matter: MatterPage) -> int:
    return Revision.page_revisions.filter(object_id=str(matter.pk)).count()


def test_reference_list_is_the_catalog():
    rows = reference_rows()
    assert MatterPage.objects.live().count() == len(rows) == 100
    assert Office.objects.count() == len({r["部门编码"] for r in rows})
    matter = MatterPage.objects.get(code="SF-JWC-004")
    assert matter.title == "成绩单打印（英文成绩单）"
    assert (matter.legal_time_limit, matter.promised_time_limit) == (5, 1)
    assert matter.visits_required == 0 and matter.online_depth == 4
    assert sorted(a.name for a in matter.audiences.all()) == ["本科生", "校友"]
    assert matter.channels == ["web", "kiosk"]
    assert matter.office.code == "JWC"
    assert matter.get_parent().specific.office == matter.office
    assert PowerItem.objects.get(code="SF-JWC-004").matter_id == matter.pk


def test_dry_run_reports_and_changes_nothing():
    plan = power_list_import(data=rows_to_csv(sample_rows(3)), filename="x.csv", dry_run=True)
    assert plan.ok
    assert plan.created == ["T-NEW-001", "T-NEW-002", "T-NEW-003"]
    assert plan.offices_created == {"TXB": "测试学院T"}
    assert not PowerItem.objects.filter(code__startswith="T-NEW").exists()
    assert not Office.objects.filter(code="TXB").exists()


def test_reimporting_the_same_file_changes_nothing(reference_csv):
    before = Revision.objects.count()
    plan = power_list_import(data=reference_csv, filename="again.csv", dry_run=False)
    assert plan.ok
    assert (plan.created, plan.changed, len(plan.unchanged)) == ([], {}, 100)
    assert Revision.objects.count() == before


def test_newer_version_updates_changed_matters_and_keeps_history():
    rows = reference_rows()
    matter = MatterPage.objects.get(code="SF-JWC-005")
    revisions_before = _revisions(matter)
    rows[4]["承诺时限（工作日）"] = "5"
    rows[4]["办理地点"] = "行政楼二楼"
    plan = power_list_import(data=rows_to_csv(rows), filename="v2.csv", dry_run=False)
    assert plan.ok
    assert plan.changed == {"SF-JWC-005": ["promised_time_limit", "address"]}
    assert len(plan.unchanged) == 99
    matter.refresh_from_db()
    assert matter.promised_time_limit == 5 and matter.address == "行政楼二楼"
    assert _revisions(matter) == revisions_before + 1
    previous = Revision.page_revisions.filter(object_id=str(matter.pk)).order_by(
        "-created_at", "-pk"
    )[1]
    assert previous.as_object().promised_time_limit == 7  # the old value is in the history


def test_reimport_keeps_what_editors_added():
    matter = MatterPage.objects.get(code="SF-JWC-016")
    matter.conditions = "本人持学生证遗失声明"
    matter.save_revision().publish()
    rows = reference_rows()
    rows[15]["咨询电话"] = "0571-88009999"
    power_list_import(data=rows_to_csv(rows), filename="v2.csv", dry_run=False)
    matter.refresh_from_db()
    assert matter.phone == "0571-88009999"
    assert matter.conditions == "本人持学生证遗失声明"


def test_changed_materials_replace_the_guides_materials_unchanged_ones_stay():
    matter = MatterPage.objects.get(code="SF-JWC-014")
    materials = list(matter.materials.all())
    materials[0].notes = "须本人签名"
    matter.materials = materials
    matter.save_revision().publish()
    rows = reference_rows()
    rows[13]["办理地点"] = "行政楼二楼"
    power_list_import(data=rows_to_csv(rows), filename="v2.csv", dry_run=False)
    matter = MatterPage.objects.get(code="SF-JWC-014")
    assert matter.materials.first().notes == "须本人签名"  # 申请材料 unchanged: kept
    rows[13]["申请材料"] = "身份证件；补办申请"
    power_list_import(data=rows_to_csv(rows), filename="v3.csv", dry_run=False)
    matter = MatterPage.objects.get(code="SF-JWC-014")
    assert [m.name for m in matter.materials.all()] == ["身份证件", "补办申请"]


def test_offices_come_from_the_list_with_their_own_codes():
    rows = sample_rows(2, prefix="ZJU")
    plan = power_list_import(data=rows_to_csv(rows), filename="other.csv", dry_run=False)
    assert plan.ok
    office = Office.objects.get(code="ZJUXB")
    assert office.name == "测试学院ZJU"
    assert OfficePage.objects.get(office=office).live
    assert office.editors is not None
    assert set(office.matters.values_list("code", flat=True)) == {"ZJU-NEW-001", "ZJU-NEW-002"}


def test_import_is_recorded():
    power_list_import(data=rows_to_csv(sample_rows(1)), filename="recorded.csv", dry_run=False)
    record = PowerListImport.objects.get(original_name="recorded.csv")
    assert record.status == PowerListImport.Status.DONE
    assert record.report["created"] == ["T-NEW-001"]


def test_command_dry_run_and_import(tmp_path, capsys):
    path = tmp_path / "list.csv"
    path.write_bytes(rows_to_csv(sample_rows(2), encoding="gbk"))
    call_command("import_power_list", str(path), "--dry-run")
    assert not PowerItem.objects.filter(code__startswith="T-NEW").exists()
    call_command("import_power_list", str(path))
    assert PowerItem.objects.filter(code__startswith="T-NEW").count() == 2
    output = capsys.readouterr().out
    assert "2" in output


def test_command_reports_problems_and_fails(tmp_path, capsys):
    rows = sample_rows(2)
    rows[0]["网上办理深度"] = "7"
    path = tmp_path / "bad.csv"
    path.write_bytes(rows_to_csv(rows))
    with pytest.raises(CommandError):
        call_command("import_power_list", str(path))
    assert "网上办理深度" in capsys.readouterr().err
    assert not PowerItem.objects.filter(code__startswith="T-NEW").exists()


def test_command_refuses_a_huge_file(tmp_path, settings):
    settings.POWER_LIST_MAX_BYTES = 1024
    path = tmp_path / "huge.csv"
    path.write_bytes(b"x" * 4096)
    with pytest.raises(CommandError):
        call_command("import_power_list", str(path))
