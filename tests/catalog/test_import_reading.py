"""Reading files as offices really save them: encodings, title rows, blank rows, formats."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from campus_portal.catalog.importing.problems import ImportRejected
from campus_portal.catalog.importing.reading import read_table
from tests.conftest import reference_rows, rows_to_csv


def test_utf8_with_bom_and_gbk_read_the_same():
    rows = reference_rows()[:5]
    utf8 = read_table(b"\xef\xbb\xbf" + rows_to_csv(rows))
    gbk = read_table(rows_to_csv(rows, encoding="gbk"))
    assert utf8.rows == gbk.rows
    assert utf8.rows[0][1][2] == "在读证明开具"


def test_title_rows_above_the_header_are_skipped():
    table = read_table(
        rows_to_csv(reference_rows()[:2], prefix="示范大学小微权力清单（2026年版）\r\n,,\r\n")
    )
    assert table.header_row == 3
    assert table.rows[0][0] == 4  # spreadsheet row numbers are kept


def test_xlsx_is_read_from_the_first_sheet():
    workbook = Workbook()
    sheet = workbook.active
    rows = reference_rows()[:3]
    sheet.append(["示范大学小微权力清单"])
    sheet.append(list(rows[0].keys()))
    for row in rows:
        sheet.append([int(v) if v.isdigit() else v for v in row.values()])
    buffer = io.BytesIO()
    workbook.save(buffer)
    table = read_table(buffer.getvalue(), "list.xlsx")
    assert table.header_row == 2
    assert [cells[1] for _, cells in table.rows] == [r["事项编码"] for r in rows]
    assert table.rows[0][1][table.columns["volume"][0]] == "21400"


def test_undecodable_file_is_rejected():
    with pytest.raises(ImportRejected) as rejected:
        read_table(b"\xff\xfe\x00\x81\x00\xfe" * 10)
    assert "encoding" in str(rejected.value).lower() or "编码" in str(rejected.value)


def test_file_without_header_is_rejected():
    with pytest.raises(ImportRejected):
        read_table(b"a,b,c\r\n1,2,3\r\n")


def test_missing_required_column_is_named():
    rows = [{k: v for k, v in row.items() if k != "网上办理深度"} for row in reference_rows()[:2]]
    with pytest.raises(ImportRejected) as rejected:
        read_table(rows_to_csv(rows))
    [problem] = rejected.value.problems
    assert problem.column == "网上办理深度"
    assert problem.row == 1


def test_huge_file_is_refused_before_parsing(settings):
    settings.POWER_LIST_MAX_BYTES = 5 * 1024 * 1024
    data = b"x" * (50 * 1024 * 1024)
    with pytest.raises(ImportRejected) as rejected:
        read_table(data)
    assert "50.0" in str(rejected.value)


def test_old_xls_is_refused_with_advice():
    with pytest.raises(ImportRejected) as rejected:
        read_table(b"\xd0\xcf\x11\xe0" + b"\x00" * 100)
    assert ".xlsx" in str(rejected.value)
