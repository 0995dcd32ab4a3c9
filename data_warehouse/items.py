"""Where each catalog item's value comes from.

An item key is ``<record>.<field>``: ``person.*`` reads the person, ``student.*`` the current
student record, ``staff.*`` the current staff record. A catalog item without a resolver here
cannot be granted (``services.grant_create`` refuses it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from data_warehouse.models import OrgUnit, Person, StaffRecord, StudentRecord


@dataclass(frozen=True)
class Subject:
    """A person with their current records, loaded once per read."""

    person: Person
    student: StudentRecord | None
    staff: StaffRecord | None

    @classmethod
    def load(cls, person_id: int, kinds: set[str] | None = None) -> Subject:
        """The person and the current records of the kinds asked for (``student``, ``staff``).

        The person comes joined to the first record loaded, saving a round trip per read.
        """
        records: dict[str, StudentRecord | StaffRecord | None] = {}
        person = None
        for kind, model in (("student", StudentRecord), ("staff", StaffRecord)):
            if kinds is not None and kind not in kinds:
                records[kind] = None
                continue
            units = [f.name for f in model._meta.fields if f.related_model is OrgUnit]
            record = (
                model.objects.filter(person_id=person_id, valid_to__isnull=True)
                .select_related("person", *units)
                .first()
            )
            records[kind] = record
            if record is not None:
                person = record.person
        if person is None:
            person = Person.objects.get(pk=person_id)
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
