"""Writing spreadsheets that are safe to open.

A cell whose text starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is run as a
formula by Excel and WPS (CSV/formula injection, OWASP). Exports contain text that editors and
importers typed, so every exported string goes through :func:`spreadsheet_safe`, which keeps the
text whole and prefixes an apostrophe — the spreadsheet shows it as text and nothing is lost.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from io import BytesIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def spreadsheet_safe(value: object) -> object:
    """Return ``value`` ready for a cell: numbers untouched, risky text neutralised."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def spreadsheet_text_restore(value: str) -> str:
    """The inverse of :func:`spreadsheet_safe`, for our own files coming back in an import.

    Why: an export re-imported must be lossless — ``+86-571-1234`` went out as
    ``'+86-571-1234`` and came back with the apostrophe as part of the phone number. The
    apostrophe is removed only where :func:`spreadsheet_safe` would have put it (before a
    formula trigger); any other leading apostrophe is the text's own.
    """
    if value.startswith("'") and value[1:].startswith(FORMULA_TRIGGERS):
        return value[1:]
    return value


def xlsx_bytes(*, title: str, header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """Build a one-sheet workbook; every cell passes :func:`spreadsheet_safe`."""
    return xlsx_workbook_bytes(sheets=[(title, header, rows)])


def _cell(sheet, value: object, *, bold: bool = False) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, spreadsheet_safe(value))
    if isinstance(cell.value, str):
        # openpyxl would still mark a string starting with "=" as a formula; force text.
        cell.data_type = "s"
    if bold:
        cell.font = Font(bold=True)
    return cell


def xlsx_workbook_bytes(
    *, sheets: Iterable[tuple[str, Sequence[str], Iterable[Sequence[object]]]]
) -> bytes:
    """Build a workbook of several sheets (title, header, rows), each cell made safe.

    Written in openpyxl's write-only (streaming) mode: several times faster than building the
    cells in memory, which matters for the report's eight sheets.
    """
    workbook = Workbook(write_only=True)
    for title, header, rows in sheets:
        sheet = workbook.create_sheet(title=title[:31])
        sheet.freeze_panes = "A2"
        sheet.append([_cell(sheet, h, bold=True) for h in header])
        for row in rows:
            sheet.append([_cell(sheet, value) for value in row])
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
