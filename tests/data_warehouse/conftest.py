"""Warehouse fixtures: a student with records, a handler with grants, a consent."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from data_warehouse.models import AccessLog, OrgUnit, Person, StaffRecord, StudentRecord
from data_warehouse.services import consent_record, grant_create, warehouse_read

HANDLER = "JWC.enrollment_certificate"
ITEMS = [
    "person.name",
    "person.id_card_number",
    "student.number",
    "student.major",
    "student.status",
]


@pytest.fixture
def student(db):
    school = OrgUnit.objects.create(code="CS", name="计算机学院", kind=OrgUnit.Kind.SCHOOL)
    person = Person.objects.create(
        uid="2023010101",
        name="张晓明",
        gender=Person.Gender.MALE,
        id_card_number="330106200501011234",
    )
    StudentRecord.objects.create(
        person=person,
        number="2023010101",
        school=school,
        major="软件工程",
        class_name="软件2301",
        degree_level="本科",
        grade_year=2023,
        enrolment_status="在读",
        dormitory="紫金港 5 舍 301",
        valid_from=timezone.now() - dt.timedelta(days=400),
        source="教务系统",
    )
    return person


@pytest.fixture
def teacher(db):
    unit = OrgUnit.objects.create(code="RSC-U", name="人事处", kind=OrgUnit.Kind.OFFICE)
    person = Person.objects.create(uid="T1001", name="李老师", id_card_number="33010619800101567X")
    StaffRecord.objects.create(
        person=person,
        number="T1001",
        unit=unit,
        post="科员",
        title="讲师",
        employment_status="在职",
        hire_date=dt.date(2010, 9, 1),
        valid_from=timezone.now(),
        source="人事系统",
    )
    return person


@pytest.fixture
def granted(db):
    for key in ITEMS:
        grant_create(
            handler_key=HANDLER, item_key=key, purpose="开具在读证明", granted_by="steward"
        )


@pytest.fixture
def consented(student, granted):
    return consent_record(
        person_uid=student.uid,
        handler_key=HANDLER,
        application_ref="APP-1",
        item_keys=ITEMS,
        purpose="开具在读证明",
    )


@pytest.fixture
def read_entry(consented):
    """The access-log entry of one permitted read of the student's data (APP-1)."""
    warehouse_read(
        person_uid="2023010101",
        item_keys=ITEMS,
        handler_key=HANDLER,
        application_ref="APP-1",
        purpose="开具在读证明",
        actor="plugin",
    )
    return AccessLog.objects.get()
