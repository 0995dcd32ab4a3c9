"""From file bytes to a header and raw text rows, for a micro-power list.

The generic work (size limit, xlsx/CSV decoding, title rows, header normalisation) lives in
:mod:`platform_common.tabular`, shared with the warehouse's imports; this module binds it
to the catalog's column layout, row limit and ``POWER_LIST_MAX_BYTES`` setting, and keeps the
names the catalog code has always imported.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from campus_portal.catalog.importing.columns import COLUMNS
from campus_portal.common import tabular
from platform_common.tabular import RawTable

__all__ = ["MAX_ROWS", "RawTable", "check_size", "read_table"]

MAX_ROWS = 20_000
HEADER_SEARCH_ROWS = tabular.DEFAULT_HEADER_SEARCH_ROWS
MIN_HEADER_MATCHES = tabular.DEFAULT_MIN_HEADER_MATCHES
XLSX_MAGIC = tabular.XLSX_MAGIC
XLS_MAGIC = tabular.XLS_MAGIC


def check_size(size: int) -> None:
    """Refuse a file over the configured limit before anything reads it."""
    tabular.check_size(size, settings.POWER_LIST_MAX_BYTES)


def read_table(data: bytes, filename: str = "") -> RawTable:
    """Parse ``data`` (xlsx or CSV, detected from content) into a :class:`RawTable`."""
    return tabular.read_table(
        data,
        columns=COLUMNS,
        max_bytes=settings.POWER_LIST_MAX_BYTES,
        max_rows=MAX_ROWS,
        header_search_rows=HEADER_SEARCH_ROWS,
        min_header_matches=MIN_HEADER_MATCHES,
        no_header_message=_(
            "No header row found: the first rows contain none of the expected "
            "columns (事项编码, 事项名称, 责任部门 …)."
        ),
    )
