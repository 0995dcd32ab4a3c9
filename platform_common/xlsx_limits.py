"""Checks on an uploaded .xlsx *before* openpyxl parses it (decompression bombs).

Why: an .xlsx is a zip of XML parts. The 5 MB upload limit says nothing about what the parts
expand to: a 2 MB workbook whose shared-strings part inflates to one 2 GiB string took the
import worker to 4 GB of memory, and a 1 MB workbook of 19,000 × 1,000 cells held it for
minutes. openpyxl loads the whole shared-strings table at open and pads every row to the
sheet's declared width, so the checks must come first, from what the zip and the sheets
declare, at the cost of reading a few kilobytes:

1. the zip's directory: number of parts, total uncompressed size, each large part's
   compression ratio (zipfile refuses to inflate a part past its declared size, so the
   declared sizes bound what parsing can see);
2. each worksheet's ``<dimension ref="A1:…">``: declared rows, columns and cells;
3. the shared strings, streamed: their number and the length of each (Excel's own limit
   for a cell is 32,767 characters).

What the dimension does not declare is counted again while the rows stream
(:func:`streamed_cells_check`). Limits are settings (``SPREADSHEET_*``, docs/configuration.md).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, replace
from xml.etree.ElementTree import iterparse

from django.conf import settings
from django.utils.translation import gettext as _

DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"([A-Z]{1,3})(\d+)(?::([A-Z]{1,3})(\d+))?\"")
SHEET_PART = re.compile(r"^xl/worksheets/[^/]+\.xml$")
SHARED_STRINGS = "xl/sharedStrings.xml"
HEAD_BYTES = 64 * 1024
# Parts smaller than this may compress as well as they like (an empty sheet is mostly tags).
RATIO_CHECKED_FROM = 1024 * 1024
# How importers with bigger file and row limits scale the limits (SpreadsheetLimits.scaled).
UNPACKED_PER_PACKED = 10
CELLS_PER_ROW = 40


@dataclass(frozen=True)
class SpreadsheetLimits:
    max_uncompressed: int
    max_ratio: int
    max_parts: int
    max_columns: int
    max_cells: int
    max_string: int

    @classmethod
    def configured(cls) -> SpreadsheetLimits:
        return cls(
            max_uncompressed=settings.SPREADSHEET_MAX_UNCOMPRESSED_BYTES,
            max_ratio=settings.SPREADSHEET_MAX_COMPRESSION_RATIO,
            max_parts=settings.SPREADSHEET_MAX_PARTS,
            max_columns=settings.SPREADSHEET_MAX_COLUMNS,
            max_cells=settings.SPREADSHEET_MAX_CELLS,
            max_string=settings.SPREADSHEET_MAX_STRING_LENGTH,
        )

    def scaled(self, *, max_bytes: int, max_rows: int) -> SpreadsheetLimits:
        """The limits for an importer that accepts files up to ``max_bytes`` and ``max_rows``
        rows: an honest workbook unpacks to at most ~10× its size and has a few dozen columns,
        so an importer built for big files (the warehouse: 50 MB, 500,000 rows) gets
        proportionally more room — the ratio and column checks still stop the bombs."""
        return replace(
            self,
            max_uncompressed=max(self.max_uncompressed, UNPACKED_PER_PACKED * max_bytes),
            max_cells=max(self.max_cells, CELLS_PER_ROW * max_rows),
        )


class SpreadsheetTooLarge(Exception):
    """The workbook exceeds a limit; the message says which, for the person importing."""


def column_number(letters: str) -> int:
    """ "A" → 1, "Z" → 26, "AA" → 27."""
    number = 0
    for letter in letters:
        number = number * 26 + (ord(letter) - ord("A") + 1)
    return number


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}"


def _zip_check(archive: zipfile.ZipFile, limits: SpreadsheetLimits) -> None:
    parts = archive.infolist()
    if len(parts) > limits.max_parts:
        raise SpreadsheetTooLarge(
            _("The workbook has %(count)s parts; at most %(max)s are accepted.")
            % {"count": len(parts), "max": limits.max_parts}
        )
    total = sum(part.file_size for part in parts)
    if total > limits.max_uncompressed:
        raise SpreadsheetTooLarge(
            _(
                "Unpacked, the workbook would take %(size)s MB; at most %(max)s MB can be "
                "imported. Remove pictures and unused sheets, or split the list."
            )
            % {"size": _mb(total), "max": _mb(limits.max_uncompressed)}
        )
    for part in parts:
        if part.file_size < RATIO_CHECKED_FROM:
            continue
        ratio = part.file_size / max(part.compress_size, 1)
        if ratio > limits.max_ratio:
            raise SpreadsheetTooLarge(
                _(
                    "The part “%(part)s” of the workbook unpacks to %(ratio)d times its "
                    "size (at most %(max)s): this is not an ordinary spreadsheet."
                )
                % {"part": part.filename, "ratio": ratio, "max": limits.max_ratio}
            )


def _dimension_check(archive: zipfile.ZipFile, name: str, limits: SpreadsheetLimits) -> None:
    with archive.open(name) as handle:
        head = handle.read(HEAD_BYTES)
    match = DIMENSION.search(head)
    if match is None:
        return  # not declared: counted while streaming
    first_col, first_row, last_col, last_row = match.groups()
    last_col, last_row = last_col or first_col, last_row or first_row
    columns = column_number(last_col.decode()) - column_number(first_col.decode()) + 1
    rows = int(last_row) - int(first_row) + 1
    _cells_check(rows=rows, columns=columns, limits=limits)


def _cells_check(*, rows: int, columns: int, limits: SpreadsheetLimits) -> None:
    if columns > limits.max_columns:
        raise SpreadsheetTooLarge(
            _("The sheet has %(count)s columns; at most %(max)s are accepted.")
            % {"count": columns, "max": limits.max_columns}
        )
    if rows * columns > limits.max_cells:
        raise SpreadsheetTooLarge(
            _(
                "The sheet has %(rows)s rows × %(columns)s columns = %(cells)s cells; at most "
                "%(max)s cells can be imported. Delete empty or unused columns, or split the list."
            )
            % {"rows": rows, "columns": columns, "cells": rows * columns, "max": limits.max_cells}
        )


def _shared_strings_check(archive: zipfile.ZipFile, limits: SpreadsheetLimits) -> None:
    try:
        archive.getinfo(SHARED_STRINGS)
    except KeyError:
        return
    count = 0
    with archive.open(SHARED_STRINGS) as handle:
        for _event, element in iterparse(handle, events=("end",)):  # noqa: S314
            if not element.tag.endswith("}si"):
                continue
            count += 1
            length = sum(len(node.text or "") for node in element.iter() if node.tag.endswith("}t"))
            if length > limits.max_string:
                raise SpreadsheetTooLarge(
                    _(
                        "Text number %(number)s of the workbook is %(length)s characters long; a "
                        "cell holds at most %(max)s."
                    )
                    % {"number": count, "length": length, "max": limits.max_string}
                )
            if count > limits.max_cells:
                raise SpreadsheetTooLarge(
                    _("The workbook holds more than %(max)s texts.") % {"max": limits.max_cells}
                )
            element.clear()


def xlsx_limits_check(data_file, limits: SpreadsheetLimits | None = None) -> None:
    """Refuse a workbook over any limit (module docstring) before it is parsed.

    ``data_file`` is a binary file object; a damaged zip raises ``zipfile.BadZipFile``.
    """
    limits = limits or SpreadsheetLimits.configured()
    with zipfile.ZipFile(data_file) as archive:
        _zip_check(archive, limits)
        for name in archive.namelist():
            if SHEET_PART.match(name):
                _dimension_check(archive, name, limits)
        _shared_strings_check(archive, limits)


def streamed_cells_check(
    rows: Iterator[tuple[object, ...]], *, limits: SpreadsheetLimits | None = None
) -> Iterator[tuple[object, ...]]:
    """Pass the rows through, refusing once a row is too wide or the cells too many (for a
    sheet that declares no dimension, or declares a wrong one)."""
    limits = limits or SpreadsheetLimits.configured()
    cells = 0
    for number, values in enumerate(rows, start=1):
        if len(values) > limits.max_columns:
            _cells_check(rows=number, columns=len(values), limits=limits)
        cells += len(values)
        if cells > limits.max_cells:
            raise SpreadsheetTooLarge(
                _("The sheet has more than %(max)s cells.") % {"max": limits.max_cells}
            )
        yield values
