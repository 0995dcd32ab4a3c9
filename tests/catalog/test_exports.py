"""Filing exports: the catalog and the high-frequency list, safe from formula injection."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from campus_portal.catalog.models import MatterPage
from campus_portal.catalog.selectors import high_frequency_codes
from campus_portal.common.spreadsheets import spreadsheet_safe
from tests.conftest import reference_rows

pytestmark = pytest.mark.django_db


def _sheet(data: bytes):
    return list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))


def test_high_frequency_is_the_smallest_head_covering_80_percent():
    rows = sorted(reference_rows(), key=lambda r: (-int(r["上年度办件量"]), r["事项编码"]))
    total = sum(int(r["上年度办件量"]) for r in rows)
    expected, covered = set(), 0
    for row in rows:
        if covered >= 0.8 * total:
            break
        expected.add(row["事项编码"])
        covered += int(row["上年度办件量"])
    chosen = high_frequency_codes()
    assert chosen == expected
    volumes = sorted(
        (int(r["上年度办件量"]) for r in rows if r["事项编码"] in chosen), reverse=True
    )
    assert sum(volumes) >= 0.8 * total > sum(volumes[:-1])


def test_catalog_export_command(tmp_path):
    out = tmp_path / "catalog.xlsx"
    call_command("export_catalog", "--out", str(out))
    rows = _sheet(out.read_bytes())
    assert rows[0][:3] == ("序号", "事项编码", "事项名称")
    assert len(rows) == 101
    by_code = {row[1]: row for row in rows[1:]}
    assert by_code["SF-JWC-001"][18] == "一次不用跑"
    assert by_code["SF-XGB-006"][19] == "是"


def test_high_frequency_export(tmp_path):
    out = tmp_path / "hf.xlsx"
    call_command("export_catalog", "--out", str(out), "--high-frequency")
    rows = _sheet(out.read_bytes())
    assert len(rows) - 1 == len(high_frequency_codes())
    assert rows[1][1] == "SF-CWC-001"  # 42,600: the most used matter first
    assert rows[-1][-1].endswith("%")


def test_exported_cells_cannot_run_formulas(tmp_path):
    matter = MatterPage.objects.get(code="SF-JWC-001")
    matter.address = '=HYPERLINK("http://evil.example","点我")'
    matter.basis = "+1+cmd|' /C calc'!A0"
    matter.save_revision().publish()
    out = tmp_path / "catalog.xlsx"
    call_command("export_catalog", "--out", str(out))
    workbook = load_workbook(out)
    for row in workbook.active.iter_rows():
        for cell in row:
            assert cell.data_type != "f", cell.coordinate
            if isinstance(cell.value, str):
                assert not cell.value.startswith(("=", "+", "-", "@"))
    values = [c.value for row in workbook.active.iter_rows() for c in row]
    assert '\'=HYPERLINK("http://evil.example","点我")' in values


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "＝1"])
def test_spreadsheet_safe_neutralises(value):
    assert spreadsheet_safe(value) == "'" + value


def test_spreadsheet_safe_keeps_numbers_and_text():
    assert spreadsheet_safe(-5) == -5
    assert spreadsheet_safe("教务处") == "教务处"


def test_our_own_export_reimports_losslessly():
    """Issue 17: the apostrophe put before risky cells came back as literal text
    (``+86-571-1234`` became ``'+86-571-1234``). Export, re-import, compare."""
    from campus_portal.catalog.exports import catalog_xlsx
    from campus_portal.catalog.services import power_list_import

    matter = MatterPage.objects.get(code="SF-JWC-001")
    matter.phone = "+86-571-1234"
    matter.address = "=行政楼101"
    matter.save_revision().publish()
    exported = catalog_xlsx()
    assert "'+86-571-1234" in [row[16] for row in _sheet(exported)]  # still neutralised
    plan = power_list_import(data=exported, filename="export.xlsx", dry_run=False)
    assert plan.ok, plan.problems
    matter = MatterPage.objects.get(code="SF-JWC-001")
    assert matter.phone == "+86-571-1234"
    assert matter.address == "=行政楼101"
    # And text that starts with an apostrophe of its own keeps it.
    from campus_portal.common.spreadsheets import spreadsheet_text_restore

    assert spreadsheet_text_restore("'引号开头") == "'引号开头"
