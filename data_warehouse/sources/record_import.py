"""Importing the academic-affairs (students) and HR (staff) exports into the warehouse.

The files are read with the same reader as the matter catalog (``platform_common.tabular``:
size limit, xlsx or UTF-8/GBK CSV, title rows, full-width headers). Every row is validated and
every problem is collected, named by row and column, so the exporting office fixes the whole file
once. A file with any problem imports nothing: a half-imported register is worse than none,
because nobody can tell which half is current.

A clean file is applied in one ``transaction.atomic(using="warehouse")``:

* missing org units are created (``source`` = the kind); existing ones are left alone, since the
  directory (LDAP) may own them;
* persons are created (``uid`` = 学号/工号, ``source`` = the kind) or their name, gender and ID
  number updated — their ``source`` and ``active`` flag are left to whoever owns them;
* each row goes through ``services.record_change``, which keeps history: a changed row closes the
  current record version and starts a new one, an unchanged row writes nothing.

Existing persons, units and current records are loaded in bulk up front, so an unchanged row
costs no query at all and re-importing a 100,000-row export is cheap.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Literal

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from data_warehouse.demo_campus import id_check_digit
from data_warehouse.models import OrgUnit, Person, StaffRecord, StudentRecord
from data_warehouse.router import WAREHOUSE_ALIAS
from data_warehouse.services import record_change
from platform_common.tabular import (
    CellReader,
    Column,
    ImportProblem,
    ImportRejected,
    RawTable,
    read_table,
    validate_rows,
)

Kind = Literal["students", "staff"]
# Called as progress(done, total) while records are applied.
Progress = Callable[[int, int], None]
KINDS: tuple[Kind, ...] = ("students", "staff")

# Exports of whole registers are large; the byte limit (WAREHOUSE_IMPORT_MAX_BYTES) is the real
# guard, this only stops a runaway file of empty rows.
MAX_ROWS = 500_000
# SQLite refuses statements with too many parameters; load by chunks of this many keys.
QUERY_CHUNK = 900
PROGRESS_EVERY = 1000  # rows between two progress reports

STUDENT_COLUMNS: tuple[Column, ...] = (
    Column("number", "学号", True),
    Column("name", "姓名", True),
    Column("gender", "性别", True),
    Column("id_card_number", "身份证件号码", True, ("身份证号码", "身份证号", "证件号码")),
    Column("unit_code", "学院代码", True, ("院系代码", "学院编码")),
    Column("unit_name", "学院名称", True, ("院系名称", "学院")),
    Column("major", "专业", True, ("专业名称",)),
    Column("class_name", "班级", False, ("班级名称",)),
    Column("degree_level", "学历层次", True, ("培养层次",)),
    Column("grade_year", "年级", True),
    Column("enrolment_status", "学籍状态", True),
    Column("dormitory", "宿舍", False, ("宿舍号",)),
)

STAFF_COLUMNS: tuple[Column, ...] = (
    Column("number", "工号", True, ("职工号", "教工号")),
    Column("name", "姓名", True),
    Column("gender", "性别", True),
    Column("id_card_number", "身份证件号码", True, ("身份证号码", "身份证号", "证件号码")),
    Column("unit_code", "单位代码", True, ("部门代码", "单位编码")),
    Column("unit_name", "单位名称", True, ("部门名称", "单位")),
    Column("post", "岗位", True, ("岗位名称",)),
    Column("title", "职称", False),
    Column("employment_status", "在职状态", True, ("人员状态",)),
    Column("hire_date", "入职日期", True, ("来校日期", "参加工作日期")),
)

# Field lengths of the models, checked here so a long cell is a problem, not a database error.
MAX_LENGTH = {
    "number": 32,
    "name": 100,
    "id_card_number": 32,
    "unit_code": 64,
    "unit_name": 200,
    "major": 100,
    "class_name": 100,
    "degree_level": 32,
    "enrolment_status": 32,
    "dormitory": 100,
    "post": 100,
    "title": 100,
    "employment_status": 32,
}
GENDERS = {"男": Person.Gender.MALE, "女": Person.Gender.FEMALE}

_SPACES = re.compile(r"[\s\u3000]+")
_RESIDENT_ID = re.compile(r"^\d{17}[\dX]$")
# Passports and mainland travel permits of foreign, Hong Kong, Macao and Taiwan members: a letter
# or two, then digits. They have no check digit, so the format is all that can be checked.
_OTHER_ID = re.compile(r"^[A-Z]{1,2}[0-9A-Z]{5,17}$")
_YEAR = re.compile(r"^(\d{4})(?:级|年级)?$")
_DATE_PATTERNS = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)
_EXCEL_SERIAL = re.compile(r"^\d{1,5}(?:\.\d+)?$")
# Day 0 of Excel's 1900 date system, allowing for its fictitious 29 February 1900.
_EXCEL_EPOCH = dt.date(1899, 12, 30)


@dataclass(frozen=True)
class _Layout:
    kind: Kind
    columns: tuple[Column, ...]
    model: type[StudentRecord] | type[StaffRecord]
    unit_field: str  # the record's foreign key to OrgUnit
    unit_kind: str  # kind of org units created from this file
    unit_label: str  # what a unit is called in messages


def _layout(kind: Kind) -> _Layout:
    if kind == "students":
        return _Layout(
            kind, STUDENT_COLUMNS, StudentRecord, "school", OrgUnit.Kind.SCHOOL, "college"
        )
    if kind == "staff":
        # HR's 单位 mixes colleges and offices; the kind is not guessed from the name.
        return _Layout(kind, STAFF_COLUMNS, StaffRecord, "unit", OrgUnit.Kind.OTHER, "unit")
    raise ValueError(f"Unknown import kind {kind!r}; use one of {', '.join(KINDS)}.")


@dataclass(frozen=True)
class ImportedRow:
    """One validated row: the person, the org unit and the record fields (without the unit)."""

    row: int
    uid: str
    name: str
    gender: str
    id_card_number: str
    unit_code: str
    unit_name: str
    record: dict[str, object]


@dataclass
class RecordImportReport:
    """What an import did (or, for a dry run or a rejected file, would do / why it did not)."""

    kind: str
    dry_run: bool
    rows: int = 0
    created_persons: int = 0
    updated_persons: int = 0
    created_units: int = 0
    changed_records: int = 0  # new record versions (a person's first record included)
    unchanged: int = 0
    problems: list[ImportProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        if self.problems:
            return _("%(count)s problem(s) found; nothing was imported.") % {
                "count": len(self.problems)
            }
        text = _(
            "%(rows)s rows: %(created)s persons created, %(updated)s persons updated, "
            "%(units)s org units created, %(changed)s records changed, %(unchanged)s unchanged."
        ) % {
            "rows": self.rows,
            "created": self.created_persons,
            "updated": self.updated_persons,
            "units": self.created_units,
            "changed": self.changed_records,
            "unchanged": self.unchanged,
        }
        if self.dry_run:
            text = _("Dry run, nothing written. %(text)s") % {"text": text}
        return text


# --- validation -----------------------------------------------------------------------------


def clean_text(value: str) -> str:
    """Trim and collapse spaces (including full-width ones)."""
    return _SPACES.sub(" ", value or "").strip()


def clean_code(value: str) -> str:
    """Full-width → half-width and no spaces: numbers and codes are typed in many ways."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", value or ""))


def id_number_problem(value: str) -> str | None:
    """Why ``value`` is not a valid ID document number, or ``None`` when it is.

    An 18-character number is a resident ID (GB 11643): its birth date must exist and its
    check digit must match — this catches nearly every mistyped digit. Otherwise a passport or
    travel-permit number (letters then digits) is accepted on its format alone.
    """
    if _RESIDENT_ID.match(value):
        try:
            dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
        except ValueError:
            return _("“%(value)s” contains no valid birth date.") % {"value": value}
        if id_check_digit(value[:17]) != value[17]:
            return _("The check digit of “%(value)s” is wrong; the number is mistyped.") % {
                "value": value
            }
        return None
    if value.isdigit() or not _OTHER_ID.match(value):
        return _(
            "“%(value)s” is not a valid ID number (18-character resident ID, "
            "or passport / permit number)."
        ) % {"value": value}
    return None


def parse_date(value: str) -> dt.date | None:
    """A date as exports write it: ISO, 2020/9/1, 2020.09.01, 2020年9月1日, 20200901, an xlsx
    date cell (read as "2020-09-01 00:00:00") or an Excel serial number (44075)."""
    value = _SPACES.sub(" ", unicodedata.normalize("NFKC", value or "")).strip()
    for pattern in _DATE_PATTERNS:
        match = pattern.match(value)
        if match:
            try:
                return dt.date(*(int(part) for part in match.groups()))
            except ValueError:
                return None
    if _EXCEL_SERIAL.match(value):
        serial = float(value)
        if 1 <= serial < 2958466:  # Excel's last date is 9999-12-31
            return _EXCEL_EPOCH + dt.timedelta(days=int(serial))
    return None


class _RowReader(CellReader):
    """Reads one raw row of a source-system export, collecting a problem for each bad cell."""

    def __init__(self, table: RawTable, layout: _Layout, number: int, cells: list[str]) -> None:
        super().__init__(table, number, cells, layout.columns)
        self.layout = layout

    def _limited(self, key: str, value: str, *, required: bool) -> str:
        if required and not value:
            self.problem(key, _("This cell must not be empty."))
        limit = MAX_LENGTH.get(key)
        if limit and len(value) > limit:
            self.problem(key, _("At most %(limit)s characters.") % {"limit": limit})
        return value

    def text(self, key: str, *, required: bool = True) -> str:
        return self._limited(key, clean_text(self.raw(key)), required=required)

    def code(self, key: str) -> str:
        return self._limited(key, clean_code(self.raw(key)), required=True)

    def gender(self, key: str) -> str:
        value = clean_text(self.raw(key))
        if not value:
            self.problem(key, _("This cell must not be empty."))
            return ""
        gender = GENDERS.get(value)
        if gender is None:
            self.problem(key, _("Write 男 or 女 (“%(value)s” given).") % {"value": value})
            return ""
        return str(gender)

    def id_number(self, key: str) -> str:
        value = self.code(key).upper()
        if value:
            problem = id_number_problem(value)
            if problem:
                self.problem(key, problem)
        return value

    def year(self, key: str) -> int | None:
        value = clean_code(self.raw(key))
        if not value:
            self.problem(key, _("This cell must not be empty."))
            return None
        match = _YEAR.match(value)
        latest = timezone.localdate().year + 1
        if not match or not 1950 <= int(match.group(1)) <= latest:
            self.problem(
                key,
                _("“%(value)s” is not a year between 1950 and %(latest)s.")
                % {"value": value, "latest": latest},
            )
            return None
        return int(match.group(1))

    def date(self, key: str) -> dt.date | None:
        value = clean_text(self.raw(key))
        if not value:
            self.problem(key, _("This cell must not be empty."))
            return None
        parsed = parse_date(value)
        if parsed is None or not 1900 <= parsed.year <= timezone.localdate().year + 1:
            self.problem(
                key,
                _("“%(value)s” is not a date; write it like 2020-09-01.") % {"value": value},
            )
            return None
        return parsed


def _parse_row(
    table: RawTable, layout: _Layout, number: int, cells: list[str]
) -> tuple[ImportedRow | None, list[ImportProblem]]:
    read = _RowReader(table, layout, number, cells)
    person = {
        "uid": read.code("number"),
        "name": read.text("name"),
        "gender": read.gender("gender"),
        "id_card_number": read.id_number("id_card_number"),
        "unit_code": read.code("unit_code"),
        "unit_name": read.text("unit_name"),
    }
    if layout.kind == "students":
        record: dict[str, object | None] = {
            "major": read.text("major"),
            "class_name": read.text("class_name", required=False),
            "degree_level": read.text("degree_level"),
            "grade_year": read.year("grade_year"),
            "enrolment_status": read.text("enrolment_status"),
            "dormitory": read.text("dormitory", required=False),
        }
    else:
        record = {
            "post": read.text("post"),
            "title": read.text("title", required=False),
            "employment_status": read.text("employment_status"),
            "hire_date": read.date("hire_date"),
        }
    if read.problems:
        return None, read.problems
    record["number"] = person["uid"]
    return ImportedRow(row=number, record=record, **person), []


def _cross_row_problems(
    table: RawTable, layout: _Layout, rows: list[ImportedRow]
) -> Iterator[ImportProblem]:
    """Duplicate numbers or ID numbers, and a unit code named differently in two rows."""
    first_of_uid: dict[str, int] = {}
    first_of_id: dict[str, int] = {}
    unit_names: dict[str, tuple[str, int]] = {}
    for row in rows:
        first = first_of_uid.setdefault(row.uid, row.row)
        if first != row.row:
            yield ImportProblem(
                row.row,
                table.column_header("number", layout.columns),
                _("%(value)s already appears in row %(first)s.")
                % {"value": row.uid, "first": first},
            )
        first = first_of_id.setdefault(row.id_card_number, row.row)
        if first != row.row:
            yield ImportProblem(
                row.row,
                table.column_header("id_card_number", layout.columns),
                _("This ID number already appears in row %(first)s.") % {"first": first},
            )
        name, first = unit_names.setdefault(row.unit_code, (row.unit_name, row.row))
        if name != row.unit_name:
            yield ImportProblem(
                row.row,
                table.column_header("unit_name", layout.columns),
                _("Code %(code)s is named “%(name)s” here but “%(first)s” in row %(row)s.")
                % {"code": row.unit_code, "name": row.unit_name, "first": name, "row": first},
            )


def parse_rows(table: RawTable, kind: Kind) -> tuple[list[ImportedRow], list[ImportProblem]]:
    """Validate every non-blank row, then the checks across rows; problems sorted by place."""
    layout = _layout(kind)
    return validate_rows(
        table,
        parse_row=lambda number, cells: _parse_row(table, layout, number, cells),
        cross_row_problems=lambda rows: _cross_row_problems(table, layout, rows),
        empty_message=_("The file contains no data rows."),
    )


def read_records(data: bytes, kind: Kind) -> tuple[list[ImportedRow], list[ImportProblem]]:
    """Bytes → validated rows, or the problems that stop the import."""
    layout = _layout(kind)
    try:
        table = read_table(
            data,
            columns=layout.columns,
            max_bytes=max_bytes(),
            max_rows=MAX_ROWS,
        )
    except ImportRejected as rejected:
        return [], rejected.problems
    return parse_rows(table, kind)


def max_bytes() -> int:
    """The size limit for warehouse imports (setting ``WAREHOUSE_IMPORT_MAX_BYTES``)."""
    return getattr(settings, "WAREHOUSE_IMPORT_MAX_BYTES", 50 * 1024 * 1024)


# --- applying -------------------------------------------------------------------------------


def _chunks(values: Sequence[object]) -> Iterable[Sequence[object]]:
    for start in range(0, len(values), QUERY_CHUNK):
        yield values[start : start + QUERY_CHUNK]


def _load(model, field_name: str, keys: Iterable[object]) -> list:
    keys = list(dict.fromkeys(keys))
    found = []
    for chunk in _chunks(keys):
        found.extend(model.objects.filter(**{f"{field_name}__in": chunk}))
    return found


def _record_values(layout: _Layout, row: ImportedRow, unit: OrgUnit | None) -> dict[str, object]:
    """The record fields by attname, as ``record_change`` compares them."""
    return {**row.record, f"{layout.unit_field}_id": unit.pk if unit else None}


def _unchanged(current, values: dict[str, object]) -> bool:
    return current is not None and all(
        getattr(current, name) == value for name, value in values.items()
    )


def import_records(
    data: bytes, kind: Kind, *, dry_run: bool = False, progress: Progress | None = None
) -> RecordImportReport:
    """Validate ``data`` as a ``kind`` export and apply it (see the module docstring).

    A file with problems, or a dry run, writes nothing; the report says what was (or would be)
    done, or lists the problems. ``progress(done, total)`` is called while records are applied,
    so that the admin screen can show how far a long import got.
    """
    layout = _layout(kind)
    report = RecordImportReport(kind=kind, dry_run=dry_run)
    rows, problems = read_records(data, kind)
    if problems:
        report.problems = problems
        return report
    report.rows = len(rows)
    if dry_run:
        _plan(layout, rows, report)
        return report
    with transaction.atomic(using=WAREHOUSE_ALIAS):
        _apply(layout, rows, report, progress or _no_progress)
    return report


def _no_progress(done: int, total: int) -> None:
    """The default ``progress``: the command line has nobody to tell."""


def _plan(layout: _Layout, rows: list[ImportedRow], report: RecordImportReport) -> None:
    """Count what an import would do, reading only."""
    persons = {p.uid: p for p in _load(Person, "uid", (r.uid for r in rows))}
    units = {u.code: u for u in _load(OrgUnit, "code", (r.unit_code for r in rows))}
    current = _current_records(layout, [p.pk for p in persons.values()])
    report.created_units = len({r.unit_code for r in rows} - units.keys())
    for row in rows:
        person = persons.get(row.uid)
        if person is None:
            report.created_persons += 1
        elif _person_changes(person, row):
            report.updated_persons += 1
        unit = units.get(row.unit_code)
        record = current.get(person.pk) if person else None
        if unit is not None and _unchanged(record, _record_values(layout, row, unit)):
            report.unchanged += 1
        else:
            report.changed_records += 1


def _current_records(layout: _Layout, person_ids: list[int]) -> dict[int, object]:
    """Person id → current record version, loaded in chunks."""
    found: dict[int, object] = {}
    for chunk in _chunks(person_ids):
        for record in layout.model.objects.filter(valid_to__isnull=True, person_id__in=chunk):
            found[record.person_id] = record
    return found


def _person_changes(person: Person, row: ImportedRow) -> bool:
    """Bring ``person`` in line with ``row``; tell whether anything changed."""
    changed = False
    for name in ("name", "gender", "id_card_number"):
        if getattr(person, name) != getattr(row, name):
            setattr(person, name, getattr(row, name))
            changed = True
    return changed


def _apply(
    layout: _Layout, rows: list[ImportedRow], report: RecordImportReport, progress: Progress
) -> None:
    kind = layout.kind
    now = timezone.now()

    # Org units: create the missing ones, leave existing ones to their owner.
    codes = list(dict.fromkeys(r.unit_code for r in rows))
    units = {u.code: u for u in _load(OrgUnit, "code", codes)}
    names = {r.unit_code: r.unit_name for r in rows}
    new_units = [
        OrgUnit(code=code, name=names[code], kind=layout.unit_kind, source=kind)
        for code in codes
        if code not in units
    ]
    OrgUnit.objects.bulk_create(new_units, batch_size=500)
    report.created_units = len(new_units)
    if new_units:
        units = {u.code: u for u in _load(OrgUnit, "code", codes)}

    # Persons: create the missing ones, update name / gender / ID number of the others.
    persons = {p.uid: p for p in _load(Person, "uid", (r.uid for r in rows))}
    new_persons = [
        Person(
            uid=r.uid,
            name=r.name,
            gender=r.gender,
            id_card_number=r.id_card_number,
            source=kind,
        )
        for r in rows
        if r.uid not in persons
    ]
    changed_persons = []
    for row in rows:
        person = persons.get(row.uid)
        if person is not None and _person_changes(person, row):
            person.updated_at = now  # bulk_update skips auto_now
            changed_persons.append(person)
    Person.objects.bulk_create(new_persons, batch_size=500)
    Person.objects.bulk_update(
        changed_persons, ["name", "gender", "id_card_number", "updated_at"], batch_size=500
    )
    report.created_persons = len(new_persons)
    report.updated_persons = len(changed_persons)

    if new_persons:  # re-read: not every database returns the ids of bulk-created rows
        persons.update({p.uid: p for p in _load(Person, "uid", [p.uid for p in new_persons])})

    # Records: an unchanged row (known from the bulk load) needs no query; a person's first
    # record has no history to keep and is created in bulk; every other row goes through
    # record_change, the one place where a version is closed and the next one started.
    current = _current_records(layout, [p.pk for p in persons.values()])
    first_versions = []
    for done, row in enumerate(rows):
        if done % PROGRESS_EVERY == 0:
            progress(done, len(rows))
        unit = units[row.unit_code]
        person = persons[row.uid]
        record = current.get(person.pk)
        if record is None:
            first_versions.append(
                layout.model(
                    person=person,
                    valid_from=now,
                    source=kind,
                    **row.record,
                    **{layout.unit_field: unit},
                )
            )
            report.changed_records += 1
            continue
        if _unchanged(record, _record_values(layout, row, unit)):
            report.unchanged += 1
            continue
        result = record_change(
            model=layout.model,
            person_uid=row.uid,
            source=kind,
            at=now,
            **row.record,
            **{layout.unit_field: unit},
        )
        if result.pk == record.pk:
            report.unchanged += 1
        else:
            report.changed_records += 1
    layout.model.objects.bulk_create(first_versions, batch_size=500)
    progress(len(rows), len(rows))
