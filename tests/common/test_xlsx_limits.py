"""Spreadsheet decompression bombs are refused before parsing, fast and with a clear message.

The bombs are built here, the way the probe built them: a ~2 MB workbook whose shared-strings
part inflates to one 2 GiB string, and a workbook of 19,000 × 1,000 cells. Before the checks
the first took the import worker to 4 GB of memory and the second held it for minutes.
"""

from __future__ import annotations

import io
import time
import tracemalloc
import zipfile

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from campus_portal.catalog.services import power_list_import
from campus_portal.common.tabular import Column, ImportRejected, read_table
from platform_common.memory import address_space_capped

COLUMNS = (Column("code", "事项编码", True), Column("name", "事项名称", True))
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sharedStrings+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="清单" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
)
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _workbook(*, sheet_chunks, strings_chunks, dimension: str | None) -> bytes:
    """A minimal .xlsx whose sheet and shared strings are written from byte chunks (streamed
    into the zip, so that a GiB part never sits in the test's memory)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(f'<?xml version="1.0"?><worksheet xmlns="{MAIN}">'.encode())
            if dimension:
                sheet.write(f'<dimension ref="{dimension}"/>'.encode())
            sheet.write(b"<sheetData>")
            for chunk in sheet_chunks:
                sheet.write(chunk)
            sheet.write(b"</sheetData></worksheet>")
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as strings:
            strings.write(f'<?xml version="1.0"?><sst xmlns="{MAIN}">'.encode())
            for chunk in strings_chunks:
                strings.write(chunk)
            strings.write(b"</sst>")
    return buffer.getvalue()


HEADER_ROW = b'<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'


@pytest.fixture(scope="module")
def string_bomb() -> bytes:
    """~2 MB on disk; its one shared string is 2 GiB of "A"."""
    mib = b"A" * (1 << 20)
    strings = [b"<si><t>\xe4\xba\x8b\xe9\xa1\xb9\xe7\xbc\x96\xe7\xa0\x81</t></si><si><t>"]
    strings += [mib] * 2048 + [b"</t></si>"]
    return _workbook(sheet_chunks=[HEADER_ROW], strings_chunks=strings, dimension="A1:B1")


@pytest.fixture(scope="module")
def cell_bomb() -> bytes:
    """19,000 rows × 1,000 numeric cells, declared as such (A1:ALL19000)."""
    row = b"<row>" + b"<c><v>1</v></c>" * 1000 + b"</row>"
    return _workbook(sheet_chunks=[row] * 19_000, strings_chunks=[], dimension="A1:ALL19000")


def _refused_fast(data: bytes, max_rows: int = 20_000, **kwargs) -> ImportRejected:
    """Read ``data``; it must be refused, and before anything was parsed: in well under a
    second and without holding more than a few MB (parsing would take minutes and GBs)."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(ImportRejected) as refused:
            read_table(
                data, columns=COLUMNS, max_bytes=5 * 1024 * 1024, max_rows=max_rows, **kwargs
            )
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert elapsed < 1.0, f"refused only after {elapsed:.1f} s"
    assert peak < 32 * 1024 * 1024, f"held {peak / 1024 / 1024:.0f} MB before refusing"
    return refused.value


def test_the_string_bomb_is_small_on_disk(string_bomb):
    assert len(string_bomb) < 5 * 1024 * 1024  # under the upload limit: only the checks stop it
    assert sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(string_bomb)).infolist()) > 2**31


def test_a_shared_string_bomb_is_refused_before_parsing(string_bomb):
    refused = _refused_fast(string_bomb)
    text = str(refused.problems[0])
    assert "sharedStrings.xml" in text or "MB" in text


def test_a_19000_by_1000_cell_workbook_is_refused_before_parsing(cell_bomb):
    assert len(cell_bomb) < 2 * 1024 * 1024
    refused = _refused_fast(cell_bomb)
    assert refused.problems


def test_the_refusal_is_in_chinese(cell_bomb, settings):
    from django.utils import translation

    with translation.override("zh-hans"):
        refused = _refused_fast(cell_bomb)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(refused.problems[0]))


def test_importers_for_bigger_files_get_proportionally_more_room():
    from platform_common.xlsx_limits import SpreadsheetLimits

    limits = SpreadsheetLimits.configured()
    warehouse = limits.scaled(max_bytes=50 * 1024 * 1024, max_rows=500_000)
    assert warehouse.max_cells == 20_000_000 and warehouse.max_uncompressed == 500 * 1024 * 1024
    assert warehouse.max_ratio == limits.max_ratio and warehouse.max_columns == limits.max_columns
    assert limits.scaled(max_bytes=5 * 1024 * 1024, max_rows=20_000) == limits


def test_declared_dimension_too_many_cells(settings):
    """Within the size and ratio limits, the dimension alone refuses a sheet too big."""
    settings.SPREADSHEET_MAX_CELLS = 1000
    data = _workbook(
        sheet_chunks=[HEADER_ROW],
        strings_chunks=[b"<si><t>a</t></si><si><t>b</t></si>"],
        dimension="A1:J101",
    )
    # (a small row limit, so that the limits are not scaled up for a big importer)
    refused = _refused_fast(data, max_rows=10)
    assert "1010" in str(refused.problems[0])


def test_cells_are_counted_while_streaming_when_no_dimension_is_declared(settings):
    settings.SPREADSHEET_MAX_CELLS = 500
    row = b"<row>" + b"<c><v>1</v></c>" * 60 + b"</row>"
    data = _workbook(sheet_chunks=[row] * 12, strings_chunks=[], dimension=None)
    with pytest.raises(ImportRejected) as refused:  # 540 cells at row 9, before the row limit
        read_table(data, columns=COLUMNS, max_bytes=5 * 1024 * 1024, max_rows=12)
    assert "500" in str(refused.value.problems[0])


def test_a_long_shared_string_is_refused(settings):
    settings.SPREADSHEET_MAX_STRING_LENGTH = 100
    data = _workbook(
        sheet_chunks=[HEADER_ROW],
        strings_chunks=[
            b"<si><t>ok</t></si><si><r><t>"
            + b"x" * 60
            + b"</t></r><r><t>"
            + b"y" * 60
            + b"</t></r></si>"
        ],
        dimension="A1:B1",
    )
    refused = _refused_fast(data)
    assert "120" in str(refused.problems[0])


def test_an_ordinary_workbook_still_reads():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["事项编码", "事项名称"])
    for index in range(500):
        sheet.append([f"SF-X-{index:03d}", "在读证明开具" * 5])
    buffer = io.BytesIO()
    workbook.save(buffer)
    table = read_table(
        buffer.getvalue(),
        columns=COLUMNS,
        max_bytes=5 * 1024 * 1024,
        max_rows=20_000,
        min_header_matches=2,
    )
    assert len(table.rows) == 500


@pytest.mark.django_db
def test_the_catalog_import_refuses_the_bomb(string_bomb):
    plan = power_list_import(data=string_bomb, filename="清单.xlsx", dry_run=True)
    assert not plan.ok
    assert plan.problems


@pytest.mark.django_db(databases=["default", "warehouse"])
def test_warehouse_import_dry_run_refuses_the_bomb(cell_bomb, tmp_path):
    path = tmp_path / "students.xlsx"
    path.write_bytes(cell_bomb)
    errors = io.StringIO()
    started = time.perf_counter()
    with pytest.raises(CommandError):
        call_command("warehouse_import", "students", str(path), "--dry-run", stderr=errors)
    assert time.perf_counter() - started < 1.0
    # The warehouse accepts 50 MB files, so 272 MB unpacked is within its (scaled) total; the
    # sheet's compression ratio gives it away.
    assert "sheet1.xml" in errors.getvalue()


def test_the_memory_cap_stops_an_allocation_and_is_lifted_afterwards():
    with pytest.raises(MemoryError), address_space_capped(budget_bytes=64 * 1024 * 1024):
        bytearray(256 * 1024 * 1024)
    assert len(bytearray(128 * 1024 * 1024)) == 128 * 1024 * 1024


def test_an_import_over_the_memory_cap_is_refused_with_a_message(settings):
    """What the checks let through is still bounded: with a 1 MB budget a 40 MB CSV is
    refused (decoding it needs one 40 MB block, which the capped process cannot map), and
    the MemoryError becomes a refusal, not a dead worker."""
    settings.IMPORT_MEMORY_LIMIT_MB = 1
    data = (
        "事项编码,事项名称\n".encode() + b"C1,xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n" * 1_000_000
    )
    assert len(data) > 40 * 1000 * 1000
    with pytest.raises(ImportRejected) as refused:
        read_table(
            data,
            columns=COLUMNS,
            max_bytes=50 * 1024 * 1024,
            max_rows=2_000_000,
            min_header_matches=2,
        )
    assert "1 MB" in str(refused.value.problems[0])
