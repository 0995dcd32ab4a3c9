"""Where each catalog item's value comes from.

An item key is ``<record>.<field>``: ``person.*`` reads the person, ``student.*`` the current
student record, ``staff.*`` the current staff record. A catalog item without a resolver here
cannot be granted (``services.grant_create`` refuses it).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from django.db import connections, models

from data_warehouse.models import OrgUnit, Person, StaffRecord, StudentRecord
from data_warehouse.router import WAREHOUSE_ALIAS


def fetch_rows(sql: str, params: Sequence[object]) -> list[tuple]:
    """Run one of the read's fixed statements on the warehouse connection (its transaction).

    On PostgreSQL the statement is bound server-side and prepared: the same few statements run
    for every read, and planning them each time cost more than running them (2–3 ms of a read
    under load, against well under 1 ms of execution). Other databases go through Django's
    cursor. The price: on PostgreSQL these statements do not appear in ``connection.queries``.
    """
    connection = connections[WAREHOUSE_ALIAS]
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall() if cursor.description else []
    import psycopg  # only where the warehouse is on PostgreSQL

    connection.ensure_connection()
    with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(sql, params, prepare=True)
        return cursor.fetchall() if cursor.description else []


# The record kinds a read can ask for, with their model and the foreign key to their org unit.
RECORD_KINDS: dict[str, tuple[type[StudentRecord] | type[StaffRecord], str]] = {
    "student": (StudentRecord, "school"),
    "staff": (StaffRecord, "unit"),
}


def _columns(model: type[models.Model], alias: str) -> list[str]:
    return [f'{alias}."{f.column}"' for f in model._meta.concrete_fields]


@lru_cache(maxsize=8)
def _subject_sql(kinds: frozenset[str]) -> str:
    """One statement for the person and their current records, built once per set of kinds.

    Compiling the equivalent ORM queries on every read cost more than the database's work; the
    joins match the partial unique indexes on ``(person) WHERE valid_to IS NULL``.
    """
    select = _columns(Person, "p")
    joins = []
    for kind in sorted(kinds & RECORD_KINDS.keys()):
        model, unit_field = RECORD_KINDS[kind]
        unit_column = model._meta.get_field(unit_field).column
        select += _columns(model, kind) + _columns(OrgUnit, f"{kind}_unit")
        joins.append(
            f'LEFT JOIN "{model._meta.db_table}" {kind} ON {kind}."person_id" = p."id" '
            f'AND {kind}."valid_to" IS NULL '
            f'LEFT JOIN "{OrgUnit._meta.db_table}" {kind}_unit '
            f'ON {kind}_unit."id" = {kind}."{unit_column}"'
        )
    # Only identifiers from the models' metadata are interpolated; the id is a parameter.
    return (
        f'SELECT {", ".join(select)} FROM "{Person._meta.db_table}" p {" ".join(joins)} '  # noqa: S608
        'WHERE p."id" = %s'
    )


Converter = Callable[[object, object, object], object]


@lru_cache(maxsize=8)
def _converters(model: type[models.Model]) -> tuple[tuple[int, tuple[Converter, ...], object], ...]:
    """What the ORM's compiler would apply to each column (e.g. aware datetimes on SQLite)."""
    connection = connections[WAREHOUSE_ALIAS]
    found = []
    for index, field in enumerate(model._meta.concrete_fields):
        column = field.get_col(model._meta.db_table)
        converters = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
        if converters:
            found.append((index, tuple(converters), column))
    return tuple(found)


def _instance(model: type[models.Model], row: tuple, start: int) -> tuple[models.Model | None, int]:
    """The model instance in ``row`` from ``start`` (None for an outer join's empty side)."""
    fields = model._meta.concrete_fields
    end = start + len(fields)
    values = list(row[start:end])
    if values[0] is None:
        return None, end
    connection = connections[WAREHOUSE_ALIAS]
    for index, converters, column in _converters(model):
        for convert in converters:
            values[index] = convert(values[index], column, connection)
    return model.from_db(WAREHOUSE_ALIAS, [f.attname for f in fields], values), end


@dataclass(frozen=True)
class Subject:
    """A person with their current records, loaded once per read."""

    person: Person
    student: StudentRecord | None
    staff: StaffRecord | None

    @classmethod
    def load(cls, person_id: int, kinds: set[str] | None = None) -> Subject:
        """The person and the current records of the kinds asked for (``student``, ``staff``),
        in one round trip, with each record's org unit attached."""
        wanted = frozenset(RECORD_KINDS if kinds is None else kinds)
        rows = fetch_rows(_subject_sql(wanted), [person_id])
        if not rows:
            raise Person.DoesNotExist(person_id)
        row = rows[0]
        person, position = _instance(Person, row, 0)
        records: dict[str, models.Model | None] = {"student": None, "staff": None}
        for kind in sorted(wanted & RECORD_KINDS.keys()):
            model, unit_field = RECORD_KINDS[kind]
            record, position = _instance(model, row, position)
            unit, position = _instance(OrgUnit, row, position)
            if record is not None:
                setattr(record, unit_field, unit)
                record.person = person
            records[kind] = record
        return cls(person, records["student"], records["staff"])


@dataclass(frozen=True)
class Resolved:
    value: object
    source: str
    as_of: datetime | None  # when the value last changed at its source


Resolver = Callable[[Subject], Resolved]


def _person_field(field: str) -> Resolver:
    def resolve(subject: Subject) -> Resolved:
        return Resolved(getattr(subject.person, field), "directory", subject.person.updated_at)

    return resolve


def _record_field(kind: str, attribute: str) -> Resolver:
    def resolve(subject: Subject) -> Resolved:
        record = getattr(subject, kind)
        if record is None:
            return Resolved(None, "", None)
        value = getattr(record, attribute)
        if isinstance(value, OrgUnit):
            value = value.name
        return Resolved(value, record.source, record.valid_from)

    return resolve


STUDENT_FIELDS = {
    "number": "number",
    "school": "school",
    "major": "major",
    "class": "class_name",
    "degree_level": "degree_level",
    "grade_year": "grade_year",
    "status": "enrolment_status",
    "dormitory": "dormitory",
    "photo": "photo_ref",
}
STAFF_FIELDS = {
    "number": "number",
    "unit": "unit",
    "post": "post",
    "title": "title",
    "status": "employment_status",
    "hire_date": "hire_date",
}

RESOLVERS: dict[str, Resolver] = {
    **{f"person.{f}": _person_field(f) for f in ("name", "gender", "id_card_number", "email")},
    **{f"student.{k}": _record_field("student", a) for k, a in STUDENT_FIELDS.items()},
    **{f"staff.{k}": _record_field("staff", a) for k, a in STAFF_FIELDS.items()},
}
