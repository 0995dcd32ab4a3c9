"""Workbench fixtures: staff with roles and TOTP, a warehouse student, and a throw-away handler
that leaves every application to staff (no automatic decision)."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth import get_user_model
from django.utils import timezone

from campus_portal.accounts.services import identity_link, role_assign
from campus_portal.applications import services
from campus_portal.applications.models import HandlerBinding
from campus_portal.catalog.models import MatterPage
from campus_portal.plugin_api import MatterHandler, StepSpec, registry
from data_warehouse.models import OrgUnit, Person, StudentRecord
from data_warehouse.services import grant_create

HANDLER_KEY = "xgb.workbench_test"
MATTER_CODE = "SF-XGB-006"
STUDENT_UID = "2023010101"


class StaffDecidedHandler(MatterHandler):
    key = HANDLER_KEY
    office = "XGB"
    label = "工作台测试事项"
    purpose = "工作台测试"
    data_needs = ("person.name", "student.number", "student.major")

    def steps(self, application):
        return [StepSpec("xgb_review", "XGB", "学工部审核", time_limit_days=1)]

    def decide(self, application):
        return None


@pytest.fixture
def handler(db):
    registry.register(StaffDecidedHandler)
    HandlerBinding.objects.update_or_create(
        matter=MatterPage.objects.get(code=MATTER_CODE),
        defaults={"handler_key": HANDLER_KEY, "enabled": True},
    )
    for item in StaffDecidedHandler.data_needs:
        grant_create(handler_key=HANDLER_KEY, item_key=item, purpose="工作台测试", granted_by="s")
    yield registry.get(HANDLER_KEY)
    registry.unregister(HANDLER_KEY)


@pytest.fixture
def student(db):
    school = OrgUnit.objects.create(code="CS", name="计算机学院", kind=OrgUnit.Kind.SCHOOL)
    person = Person.objects.create(
        uid=STUDENT_UID,
        name="张晓明",
        gender=Person.Gender.MALE,
        id_card_number="330106200501011234",
    )
    StudentRecord.objects.create(
        person=person,
        number=STUDENT_UID,
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
def applicant(student):
    user = get_user_model().objects.create_user(
        "zhangxm", "zxm@x.cn", "pw-Applicant-1", first_name="晓明", last_name="张"
    )
    identity_link(user, person_uid=student.uid, source="manual")
    return user


def staff_user(username: str, *grants: tuple[str, str]):
    user = get_user_model().objects.create_user(username, f"{username}@x.cn", "pw-Staff-1")
    for role, office in grants:
        role_assign(user, role=role, office_code=office, by="test")
    TOTP.activate(user, generate_totp_secret())
    return user


@pytest.fixture
def xgb_staff(db):
    return staff_user("xgb-staff", ("office_staff", "XGB"))


@pytest.fixture
def jwc_staff(db):
    return staff_user("jwc-staff", ("office_staff", "JWC"))


@pytest.fixture
def xgb_head(db):
    return staff_user("xgb-head", ("office_head", "XGB"))


@pytest.fixture
def window_staff(db):
    return staff_user("window", ("window_staff", ""))


@pytest.fixture
def submit(handler, applicant):
    """A factory of submitted applications of the applicant for the test matter."""

    def make():
        application = services.application_start(
            user=applicant, matter=MatterPage.objects.get(code=MATTER_CODE)
        )
        services.application_consent(application, actor=applicant)
        application.refresh_from_db()
        return services.application_submit(
            application,
            actor=applicant,
            answers={"note": "请尽快"},
            idempotency_key=uuid.uuid4().hex,
        )

    return make


def as_user(client, user):
    """Signed in, and asking for English: the assertions compare English messages."""
    client.force_login(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client
