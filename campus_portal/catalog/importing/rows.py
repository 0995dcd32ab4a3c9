"""Validating raw rows into power items.

Every problem is collected — the administrator fixes the whole file once instead of meeting
the errors one at a time (the same "一次性告知" we ask of offices).
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from django.utils.translation import gettext as _

from campus_portal.catalog.choices import CHANNEL_LIST_LABELS, MATTER_TYPE_LIST_LABELS
from campus_portal.catalog.importing.columns import COLUMNS
from campus_portal.catalog.importing.problems import ImportProblem
from campus_portal.catalog.importing.reading import RawTable
from campus_portal.catalog.rules import guide_rule_violations
from campus_portal.catalog.slugs import code_slug
from platform_common.tabular import CellReader, validate_rows

_LIST_SEPARATORS = re.compile(r"[、,，;；/|\s]+")
_SPACES = re.compile(r"[\s\u3000]+")
_CODE_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9._\-]{0,63}$")
YES = {"是", "y", "yes", "true", "1", "收费"}
NO = {"否", "n", "no", "false", "0", "不收费", "免费", ""}
MAX_TEXT = {"name": 200, "sub_item": 200, "office_name": 100, "address": 200, "phone": 64}


@dataclass
class PowerItemRow:
    row: int
    code: str
    name: str
    sub_item: str
    matter_type: str
    office_name: str
    office_code: str
    audiences: list[str]
    basis: str
    materials: str
    process: str
    legal_time_limit: int
    promised_time_limit: int
    visits_required: int
    online_depth: int
    channels: list[str]
    charged: bool
    address: str
    phone: str
    volume: int
    fingerprint: str = field(default="", compare=False)

    def values(self) -> dict[str, object]:
        data = asdict(self)
        data.pop("row")
        data.pop("fingerprint")
        return data

    def compute_fingerprint(self) -> str:
        payload = json.dumps(self.values(), ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(payload.encode()).hexdigest()


def clean_text(value: str) -> str:
    """Trim and collapse spaces (including full-width ones); keep the wording as published."""
    return _SPACES.sub(" ", value or "").strip()


def clean_code(value: str) -> str:
    return _SPACES.sub("", unicodedata.normalize("NFKC", value or "")).upper()


class _RowReader(CellReader):
    """Reads one raw row of the power list, collecting a problem for each bad cell."""

    def __init__(self, table: RawTable, number: int, cells: list[str]) -> None:
        super().__init__(table, number, cells, COLUMNS)

    def text(self, key: str, *, required: bool = False) -> str:
        value = clean_text(self.raw(key))
        if required and not value:
            self.problem(key, _("This cell must not be empty."))
        limit = MAX_TEXT.get(key)
        if limit and len(value) > limit:
            self.problem(key, _("At most %(limit)s characters.") % {"limit": limit})
        return value

    def code(self, key: str) -> str:
        value = clean_code(self.raw(key))
        if not value:
            self.problem(key, _("This cell must not be empty."))
        elif not _CODE_PATTERN.match(value):
            self.problem(
                key,
                _("“%(value)s” is not a valid code (letters, digits, - . _ only).")
                % {"value": value},
            )
        return value

    def number(self, key: str, *, required: bool = True, default: int = 0) -> int | None:
        value = _SPACES.sub("", unicodedata.normalize("NFKC", self.raw(key)))
        if not value:
            if required:
                self.problem(key, _("This cell must not be empty."))
                return None
            return default
        try:
            number = float(value.replace(",", ""))
        except ValueError:
            self.problem(key, _("“%(value)s” is not a number.") % {"value": value})
            return None
        if not number.is_integer():
            self.problem(key, _("“%(value)s” is not a whole number.") % {"value": value})
            return None
        if number < 0:
            self.problem(key, _("Must not be negative (%(value)s given).") % {"value": value})
            return None
        return int(number)

    def choice_list(self, key: str, lookup: Callable[[str], str | None], *, what: str) -> list[str]:
        raw = unicodedata.normalize("NFKC", self.raw(key))
        values: list[str] = []
        for part in (p for p in _LIST_SEPARATORS.split(raw) if p):
            code = lookup(part)
            if code is None:
                self.problem(
                    key, _("Unknown %(what)s “%(value)s”.") % {"what": what, "value": part}
                )
            elif code not in values:
                values.append(code)
        if not raw.strip():
            self.problem(key, _("This cell must not be empty."))
        return values


def parse_rows(
    table: RawTable, *, audience_codes: dict[str, str]
) -> tuple[list[PowerItemRow], list[ImportProblem]]:
    """Validate every non-blank row; also the checks across rows (duplicates, office names)."""
    return validate_rows(
        table,
        parse_row=lambda number, cells: _parse_row(table, number, cells, audience_codes),
        cross_row_problems=lambda rows: _cross_row_problems(table, rows),
        empty_message=_("The file contains no matters."),
    )


def _parse_row(
    table: RawTable, number: int, cells: list[str], audience_codes: dict[str, str]
) -> tuple[PowerItemRow | None, list[ImportProblem]]:
    read = _RowReader(table, number, cells)
    matter_type_raw = clean_text(read.raw("matter_type"))
    matter_type = MATTER_TYPE_LIST_LABELS.get(matter_type_raw)
    if matter_type is None:
        read.problem(
            "matter_type",
            _("Unknown matter type “%(value)s”; use one of %(choices)s.")
            % {"value": matter_type_raw, "choices": "、".join(MATTER_TYPE_LIST_LABELS)},
        )
    charged_raw = clean_text(read.raw("charged")).lower()
    if charged_raw not in YES | NO:
        read.problem("charged", _("Write 是 or 否 (“%(value)s” given).") % {"value": charged_raw})
    values = {
        "code": read.code("code"),
        "name": read.text("name", required=True),
        "sub_item": read.text("sub_item"),
        "office_name": read.text("office_name", required=True),
        "office_code": read.code("office_code"),
        "audiences": read.choice_list("audiences", audience_codes.get, what=_("audience")),
        "basis": read.text("basis"),
        "materials": read.text("materials"),
        "process": read.text("process"),
        "legal_time_limit": read.number("legal_time_limit"),
        "promised_time_limit": read.number("promised_time_limit"),
        "visits_required": read.number("visits_required"),
        "online_depth": read.number("online_depth"),
        "channels": read.choice_list("channels", CHANNEL_LIST_LABELS.get, what=_("channel")),
        "address": read.text("address"),
        "phone": read.text("phone"),
        "volume": read.number("volume", required=False),
    }
    for violation in guide_rule_violations(
        legal_time_limit=values["legal_time_limit"],
        promised_time_limit=values["promised_time_limit"],
        visits_required=values["visits_required"],
        online_depth=values["online_depth"],
    ):
        read.problem(violation.field, violation.message)
    if read.problems:
        return None, read.problems
    row = PowerItemRow(
        row=number,
        matter_type=str(matter_type),
        charged=charged_raw in YES,
        channels=[str(c) for c in values.pop("channels")],
        **values,
    )
    row.fingerprint = row.compute_fingerprint()
    return row, []


def _cross_row_problems(table: RawTable, rows: list[PowerItemRow]) -> list[ImportProblem]:
    problems: list[ImportProblem] = []
    code_header = table.columns["code"][1]
    office_header = table.columns["office_name"][1]
    first_row_of_code: dict[str, int] = {}
    first_code_of_address: dict[tuple[str, str], tuple[str, int]] = {}
    office_names: dict[str, tuple[str, int]] = {}
    for row in rows:
        if row.code in first_row_of_code:
            problems.append(
                ImportProblem(
                    row.row,
                    code_header,
                    _("Code %(code)s already appears in row %(first)s.")
                    % {"code": row.code, "first": first_row_of_code[row.code]},
                )
            )
        else:
            first_row_of_code[row.code] = row.row
        address = (row.office_code, code_slug(row.code))
        other = first_code_of_address.setdefault(address, (row.code, row.row))
        if other[0] != row.code:
            problems.append(
                ImportProblem(
                    row.row,
                    code_header,
                    _("Code %(code)s gives the same web address as %(other)s in row %(row)s.")
                    % {"code": row.code, "other": other[0], "row": other[1]},
                )
            )
        known = office_names.get(row.office_code)
        if known is None:
            office_names[row.office_code] = (row.office_name, row.row)
        elif known[0] != row.office_name:
            problems.append(
                ImportProblem(
                    row.row,
                    office_header,
                    _(
                        "Office code %(code)s is named “%(name)s” here "
                        "but “%(first)s” in row %(row)s."
                    )
                    % {
                        "code": row.office_code,
                        "name": row.office_name,
                        "first": known[0],
                        "row": known[1],
                    },
                )
            )
    return problems
