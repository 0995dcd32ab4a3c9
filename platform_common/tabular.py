"""From uploaded spreadsheet bytes to a header and raw text rows, for any column layout.

Why the care: lists come from many offices' and systems' exports. CSV files are saved as UTF-8
(with or without BOM) or GBK by Excel/WPS; sheets have a title row or two above the header;
headers are typed with full-width brackets or stray spaces; and a huge file must be refused
before it is parsed, not after it has filled the memory.

Every importer (the matter catalog, the warehouse's student and staff imports) describes its
layout as a sequence of :class:`Column` and passes it in, so they all read files the same way
and report problems the same way (:class:`ImportProblem`, :class:`ImportRejected`).
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import TypeVar

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from platform_common.memory import address_space_capped
from platform_common.spreadsheets import spreadsheet_text_restore
from platform_common.xlsx_limits import (
    SpreadsheetLimits,
    SpreadsheetTooLarge,
    streamed_cells_check,
    xlsx_limits_check,
)

XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = b"\xd0\xcf\x11\xe0"
DEFAULT_HEADER_SEARCH_ROWS = 20
DEFAULT_MIN_HEADER_MATCHES = 3


# --- problems -------------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class ImportProblem:
    row: int | None  # row number as a spreadsheet shows it (1 = first line of the file)
    column: str | None  # column header as written in the file, e.g. "网上办理深度"
    message: str

    def __str__(self) -> str:
        if self.row and self.column:
            where = _("Row %(row)s, column “%(column)s”") % {"row": self.row, "column": self.column}
        elif self.row:
            where = _("Row %(row)s") % {"row": self.row}
        elif self.column:
            where = _("Column “%(column)s”") % {"column": self.column}
        else:
            where = _("File")
        return f"{where}: {self.message}"

    def as_dict(self) -> dict[str, object]:
        return {**asdict(self), "text": str(self)}


class ImportRejected(Exception):
    """The file cannot be imported; ``problems`` says why, one entry per problem."""

    def __init__(self, problems: list[ImportProblem]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


# --- columns --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One column of a layout: ``key`` for code, ``header`` as users write it, and aliases."""

    key: str
    header: str
    required: bool
    aliases: tuple[str, ...] = ()


_SPACES = re.compile(r"\s+")


def normalise_header(text: str) -> str:
    """Full-width → half-width and no spaces, so "法定时限（工作日）" matches "法定时限(工作日)"."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", str(text or "")))


def header_index(columns: Sequence[Column]) -> dict[str, Column]:
    """Normalised header or alias → column."""
    return {
        normalise_header(name): column
        for column in columns
        for name in (column.header, *column.aliases)
    }


# --- reading --------------------------------------------------------------------------------


@dataclass(frozen=True)
class RawTable:
    header_row: int  # spreadsheet row number of the header
    columns: dict[str, tuple[int, str]]  # column key → (cell index, header as written)
    rows: list[tuple[int, list[str]]]  # (spreadsheet row number, cell texts)

    def column_header(self, key: str, columns: Sequence[Column]) -> str:
        """The column as the file names it (falling back to the standard header)."""
        if key in self.columns:
            return self.columns[key][1]
        return next(column.header for column in columns if column.key == key)


def check_size(size: int, limit: int) -> None:
    """Refuse a file over ``limit`` bytes before anything reads it."""
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


def read_table(
    data: bytes,
    *,
    columns: Sequence[Column],
    max_bytes: int,
    max_rows: int,
    header_search_rows: int = DEFAULT_HEADER_SEARCH_ROWS,
    min_header_matches: int = DEFAULT_MIN_HEADER_MATCHES,
    no_header_message: str | None = None,
) -> RawTable:
    """Parse ``data`` (xlsx or CSV, detected from content) into a :class:`RawTable`.

    The header is the first of the first ``header_search_rows`` rows that names at least
    ``min_header_matches`` known columns; a required column missing from it rejects the file.
    """
    check_size(len(data), max_bytes)
    if data.startswith(XLS_MAGIC):
        raise ImportRejected(
            [
                ImportProblem(
                    None, None, _("Old .xls files are not supported; save as .xlsx or CSV.")
                )
            ]
        )
    try:
        with address_space_capped(budget_bytes=settings.IMPORT_MEMORY_LIMIT_MB * 1024 * 1024):
            if data.startswith(XLSX_MAGIC):
                limits = SpreadsheetLimits.configured().scaled(
                    max_bytes=max_bytes, max_rows=max_rows
                )
                lines = _xlsx_lines(data, max_rows, limits)
            else:
                lines = _csv_lines(data, max_rows)
    except MemoryError:
        raise ImportRejected(
            [
                ImportProblem(
                    None,
                    None,
                    _(
                        "Reading the file needs more memory than an import may use "
                        "(%(limit)s MB). Split the list or remove unused sheets and columns."
                    )
                    % {"limit": settings.IMPORT_MEMORY_LIMIT_MB},
                )
            ]
        ) from None
    return locate_header(
        lines,
        columns=columns,
        header_search_rows=header_search_rows,
        min_header_matches=min_header_matches,
        no_header_message=no_header_message,
    )


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


def _csv_lines(data: bytes, max_rows: int) -> list[tuple[int, list[str]]]:
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
        if number > max_rows:
            raise _too_many_rows(max_rows)
        lines.append((number, [spreadsheet_text_restore(cell) for cell in cells]))
    return lines


def _xlsx_lines(
    data: bytes, max_rows: int, limits: SpreadsheetLimits
) -> list[tuple[int, list[str]]]:
    try:
        # Before openpyxl reads anything: it loads all shared strings at open (xlsx_limits).
        xlsx_limits_check(io.BytesIO(data), limits)
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except SpreadsheetTooLarge as refused:
        raise ImportRejected([ImportProblem(None, None, str(refused))]) from None
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
        rows = streamed_cells_check(sheet.iter_rows(values_only=True), limits=limits)
        for number, values in enumerate(rows, start=1):
            if number > max_rows:
                raise _too_many_rows(max_rows)
            lines.append((number, [cell_text(value) for value in values]))
        return lines
    except SpreadsheetTooLarge as refused:
        raise ImportRejected([ImportProblem(None, None, str(refused))]) from None
    finally:
        workbook.close()


def cell_text(value: object) -> str:
    """A cell value as text; whole floats lose their ".0" (Excel stores numbers as floats).

    Dates stay in ISO form (``2020-09-01 00:00:00``), which importers parse like typed dates.
    """
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, str):
        return spreadsheet_text_restore(value)  # our own export coming back
    return str(value)


def _too_many_rows(max_rows: int) -> ImportRejected:
    return ImportRejected(
        [ImportProblem(None, None, _("The file has more than %(max)s rows.") % {"max": max_rows})]
    )


def locate_header(
    lines: list[tuple[int, list[str]]],
    *,
    columns: Sequence[Column],
    header_search_rows: int = DEFAULT_HEADER_SEARCH_ROWS,
    min_header_matches: int = DEFAULT_MIN_HEADER_MATCHES,
    no_header_message: str | None = None,
) -> RawTable:
    """Find the header among the first rows (title rows may stand above it)."""
    index = header_index(columns)
    for position, (number, cells) in enumerate(lines[:header_search_rows]):
        found: dict[str, tuple[int, str]] = {}
        for cell_index, cell in enumerate(cells):
            column = index.get(normalise_header(cell))
            if column is not None and column.key not in found:
                found[column.key] = (cell_index, cell.strip())
        if len(found) >= min_header_matches:
            require_columns(number, found, columns)
            return RawTable(header_row=number, columns=found, rows=lines[position + 1 :])
    if no_header_message is None:
        examples = ", ".join([c.header for c in columns if c.required][:3])
        no_header_message = _(
            "No header row found: the first rows contain too few of the expected columns "
            "(%(examples)s …)."
        ) % {"examples": examples}
    raise ImportRejected([ImportProblem(None, None, no_header_message)])


def require_columns(
    header_row: int, found: dict[str, tuple[int, str]], columns: Sequence[Column]
) -> None:
    """Reject the file, naming each required column the header lacks."""
    missing = {c.key: c for c in columns if c.required and c.key not in found}
    if missing:
        raise ImportRejected(
            [
                ImportProblem(header_row, column.header, _("Required column is missing."))
                for column in missing.values()
            ]
        )


T = TypeVar("T")


def validate_rows(
    table: RawTable,
    *,
    parse_row: Callable[[int, list[str]], tuple[T | None, list[ImportProblem]]],
    cross_row_problems: Callable[[list[T]], Iterable[ImportProblem]],
    empty_message: str,
) -> tuple[list[T], list[ImportProblem]]:
    """Validate every non-blank row, then the checks across rows; problems sorted by place.

    Every problem of the file is collected, so that whoever fixes it fixes it once.
    """
    rows: list[T] = []
    problems: list[ImportProblem] = []
    for number, cells in table.rows:
        if not any((cell or "").strip() for cell in cells):
            continue  # blank rows are layout, not data
        row, row_problems = parse_row(number, cells)
        problems.extend(row_problems)
        if row is not None:
            rows.append(row)
    problems.extend(cross_row_problems(rows))
    if not rows and not problems:
        problems.append(ImportProblem(None, None, empty_message))
    return rows, sorted(problems, key=lambda p: (p.row or 0, p.column or ""))


class CellReader:
    """Reads the cells of one row by column key and collects a problem per bad cell.

    Importers subclass it with their own cell types (numbers, codes, dates …); the problems
    always name the row and the column as the file spells it.
    """

    def __init__(
        self, table: RawTable, number: int, cells: list[str], columns: Sequence[Column]
    ) -> None:
        self.table = table
        self.row_number = number
        self.cells = cells
        self.columns = columns
        self.problems: list[ImportProblem] = []

    def header(self, key: str) -> str:
        return self.table.column_header(key, self.columns)

    def raw(self, key: str) -> str:
        position = self.table.columns.get(key)
        if position is None or position[0] >= len(self.cells):
            return ""
        return self.cells[position[0]] or ""

    def problem(self, key: str, message: str) -> None:
        self.problems.append(ImportProblem(self.row_number, self.header(key), message))
