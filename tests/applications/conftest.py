"""An enrolled student with a linked account, grants for the 在读证明 handler, and staff."""

from __future__ import annotations

import datetime as dt

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth import get_user_model
from django.utils import timezone

from campus_portal.accounts.services import identity_link, role_assign
from campus_portal.catalog.models import MatterPage
from campus_portal.plugin_api import registry
from data_warehouse.models import OrgUnit, Person, StudentRecord
from data_warehouse.services import grant_create

CERTIFICATE = "jwc.enrollment_certificate"


def make_student(uid: str, *, status: str = "在读", name: str = "张晓明") -> Person:
    school, _ = OrgUnit.objects.get_or_create(
        code="CS", defaults={"name": "计算机学院", "kind": OrgUnit.Kind.SCHOOL}
    )
    person = Person.objects.create(
        uid=uid, name=name, gender=Person.Gender.MALE, id_card_number="330106200501011234"
    )
    StudentRecord.objects.create(
        person=person,
        number=uid,
        school=school,
        major="软件工程",
        class_name="软件2301",
        degree_level="本科",
        grade_year=2023,
        enrolment_status=status,
        valid_from=timezone.now() - dt.timedelta(days=30),
        source="教务系统",
    )
    return person


def grant_all(handler_key: str) -> None:
    for key in registry.get(handler_key).data_needs:
        grant_create(handler_key=handler_key, item_key=key, purpose="办理", granted_by="steward")


def make_user(username: str, *, person_uid: str | None = None, roles=(), mfa: bool = False):
    user = get_user_model().objects.create_user(username, f"{username}@x.cn", "pw-App-12345")
    if person_uid:
        identity_link(user, person_uid=person_uid, source="manual")
    for role, office in roles:
        role_assign(user, role=role, office_code=office, by="test")
    if roles or mfa:  # staff, and named assignees, have an authenticator app
        TOTP.activate(user, generate_totp_secret())
    return user


@pytest.fixture
def certificate_matter(db) -> MatterPage:
    return MatterPage.objects.get(code="SF-JWC-001")


@pytest.fixture
def student_user(db):
    make_student("2023010101")
    grant_all(CERTIFICATE)
    return make_user("2023010101", person_uid="2023010101")
