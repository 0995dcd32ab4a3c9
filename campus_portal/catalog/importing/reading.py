"""From file bytes to a header and raw text rows.

Why the care: lists come from many offices' spreadsheets. CSV files are saved as UTF-8 (with
or without BOM) or GBK by Excel/WPS; sheets have a title row or two above the header; and a
huge file must be refused before it is parsed, not after it has filled the memory.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from campus_portal.catalog.importing.columns import HEADER_INDEX, Column, normalise_header
from campus_portal.catalog.importing.problems import ImportProblem, ImportRejected

MAX_ROWS = 20_000
HEADER_SEARCH_ROWS = 20
MIN_HEADER_MATCHES = 3
XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = b"\xd0\xcf\x11\xe0"


@dataclass(frozen=True)
class RawTable:
    header_row: int  # spreadsheet row number of the header
    columns: dict[str, tuple[int, str]]  # column key → (cell index, header as written)
    rows: list[tuple[int, list[str]]]  # (spreadsheet row number, cell texts)


def check_size(size: int) -> None:
    """Refuse a file over the configured limit before anything reads it."""
    limit = settings.POWER_LIST_MAX_BYTES
    if size > limit:
        raise ImportRejected(
            [
                ImportProblem(
                    None,
                    None,
                    _(
                        "The file is %(size).1f MB; at most %(limit).1f MB can be imported. "
                        "Split the list or remove embedded pictures and try again."
                    )
                    % {"size": size / 1024 / 1024, "limit": limit / 1024 / 1024},
                )
            ]
        )


def read_table(data: bytes, filename: str = "") -> RawTable:
    """Parse ``data`` (xlsx or CSV, detected from content) into a :class:`RawTable`."""
    check_size(len(data))
    if data.startswith(XLS_MAGIC):
        raise ImportRejected(
            [
                ImportProblem(
                    None, None, _("Old .xls files are not supported; save as .xlsx or CSV.")
                )
            ]
        )
    lines = _xlsx_lines(data) if data.startswith(XLSX_MAGIC) else _csv_lines(data)
    return _locate_header(lines)


def _decode(data: bytes) -> str:
    # UTF-8 first: GBK bytes are almost never valid UTF-8, the reverse is often "valid" GBK.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportRejected(
        [
            ImportProblem(
                None,
                None,
                _("The file encoding is not recognised; save it as UTF-8 or GBK CSV, or as .xlsx."),
            )
        ]
    )


def _csv_lines(data: bytes) -> list[tuple[int, list[str]]]:
    text = _decode(data)
    if "\x00" in text:
        raise ImportRejected([ImportProblem(None, None, _("This is not a CSV or .xlsx file."))])
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    lines = []
    for number, cells in enumerate(reader, start=1):
        if number > MAX_ROWS:
            raise _too_many_rows()
        lines.append((number, cells))
    return lines


def _xlsx_lines(data: bytes) -> list[tuple[int, list[str]]]:
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ImportRejected(
            [
                ImportProblem(
                    None, None, _("The .xlsx file cannot be opened: %(error)s") % {"error": exc}
                )
            ]
        ) from exc
    try:
        sheet = workbook.worksheets[0]
        lines = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            if number > MAX_ROWS:
                raise _too_many_rows()
            lines.append((number, [_cell_text(value) for value in values]))
        return lines
    finally:
        workbook.close()


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _too_many_rows() -> ImportRejected:
    return ImportRejected(
        [ImportProblem(None, None, _("The file has more than %(max)s rows.") % {"max": MAX_ROWS})]
    )


def _locate_header(lines: list[tuple[int, list[str]]]) -> RawTable:
    """Find the header among the first rows (title rows may stand above it)."""
    for position, (number, cells) in enumerate(lines[:HEADER_SEARCH_ROWS]):
        found: dict[str, tuple[int, str]] = {}
        for index, cell in enumerate(cells):
            column = HEADER_INDEX.get(normalise_header(cell))
            if column is not None and column.key not in found:
                found[column.key] = (index, cell.strip())
        if len(found) >= MIN_HEADER_MATCHES:
            _require_columns(number, found)
            return RawTable(header_row=number, columns=found, rows=lines[position + 1 :])
    raise ImportRejected(
        [
            ImportProblem(
                None,
                None,
                _(
                    "No header row found: the first rows contain none of the expected "
                    "columns (事项编码, 事项名称, 责任部门 …)."
                ),
            )
        ]
    )


def _require_columns(header_row: int, found: dict[str, tuple[int, str]]) -> None:
    missing: list[Column] = [c for c in HEADER_INDEX.values() if c.required and c.key not in found]
    unique_missing = {c.key: c for c in missing}.values()
    if unique_missing:
        raise ImportRejected(
            [
                ImportProblem(header_row, column.header, _("Required column is missing."))
                for column in unique_missing
            ]
        )
