"""Record history: a change closes the current version, old versions explain old documents."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from data_warehouse.errors import UnknownPerson
from data_warehouse.models import StudentRecord
from data_warehouse.selectors import record_as_of
from data_warehouse.services import record_change

pytestmark = pytest.mark.django_db(databases=["default", "warehouse"])


def test_change_keeps_history_and_as_of_reads_the_past(student):
    before = timezone.now()
    later = before + dt.timedelta(days=30)
    record_change(
        model=StudentRecord,
        person_uid=student.uid,
        source="教务系统",
        at=later,
        major="人工智能",
        enrolment_status="在读",
    )
    versions = StudentRecord.objects.filter(person=student).order_by("valid_from")
    assert [v.major for v in versions] == ["软件工程", "人工智能"]
    assert versions[0].valid_to == later and versions[1].valid_to is None
    assert versions[1].class_name == "软件2301"  # carried over
    assert record_as_of(model=StudentRecord, person_uid=student.uid, at=before).major == "软件工程"
    then = later + dt.timedelta(seconds=1)
    assert record_as_of(model=StudentRecord, person_uid=student.uid, at=then).major == "人工智能"


def test_unchanged_data_adds_no_version(student):
    current = StudentRecord.objects.get(person=student)
    same = record_change(
        model=StudentRecord, person_uid=student.uid, source="教务系统", major="软件工程"
    )
    assert same.pk == current.pk
    assert StudentRecord.objects.filter(person=student).count() == 1


def test_only_one_current_version(student):
    current = StudentRecord.objects.get(person=student)
    with pytest.raises(IntegrityError), transaction.atomic(using="warehouse"):
        StudentRecord.objects.create(
            person=student,
            number="x",
            school=current.school,
            major="x",
            degree_level="本科",
            grade_year=2023,
            enrolment_status="在读",
            valid_from=timezone.now(),
        )


def test_unknown_person():
    with pytest.raises(UnknownPerson):
        record_change(model=StudentRecord, person_uid="nobody", source="x", major="x")
