"""Uploads: real files in a private folder of the test's own, and a 日常费用报销 world.

``ClaimWorld`` is one graduate student claiming expenses, the budget holder (a member of staff
with an account), 财务处 staff, and two people who must not see the claim: another student
and 教务处 staff. Everything goes through the real views and services.
"""

from __future__ import annotations

import datetime as dt
import io
import struct
import zipfile
import zlib
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from campus_portal.applications.models import Application
from data_warehouse.models import OrgUnit, Person, StaffRecord, StudentRecord
from data_warehouse.services import grant_create
from tests.applications.conftest import make_user

HANDLER = "cwc.expense_reimbursement"
MATTER = "SF-CWC-001"
APPLICANT_UID = "2024110001"
HOLDER_UID = "T20010"


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    """Each test writes its uploads to a folder of its own, outside the web roots."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


# --- Files ---------------------------------------------------------------------------------------


def png_bytes(padding: int = 0) -> bytes:
    """A valid 1×1 PNG (``padding`` bytes of an ancillary chunk make it as large as needed)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    extra = chunk(b"tEXt", b"Comment\x00" + b"x" * padding) if padding else b""
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
        + extra
        + chunk(b"IDAT", zlib.compress(b"\x00\x00"))
        + chunk(b"IEND", b"")
    )


PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


def zip_bytes(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        for name, data in entries.items():
            package.writestr(name, data)
    return buffer.getvalue()


OFD_XML = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016" Version="1.0" DocType="OFD">'
    b"<ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>"
)


def ofd_bytes() -> bytes:
    return zip_bytes({"OFD.xml": OFD_XML, "Doc_0/Document.xml": b"<ofd:Document/>"})


def upload(name: str, data: bytes, content_type: str = "application/pdf") -> SimpleUploadedFile:
    """What a browser sends: the name and type are the applicant's claim, not the truth."""
    return SimpleUploadedFile(name, data, content_type=content_type)


# --- People --------------------------------------------------------------------------------------


def _unit(code: str, name: str, kind: str) -> OrgUnit:
    unit, _ = OrgUnit.objects.get_or_create(code=code, defaults={"name": name, "kind": kind})
    return unit


def warehouse_graduate(uid: str) -> Person:
    person = Person.objects.create(uid=uid, name="李研", gender=Person.Gender.FEMALE)
    StudentRecord.objects.create(
        person=person,
        number=uid,
        school=_unit("CS", "计算机学院", OrgUnit.Kind.SCHOOL),
        major="计算机科学与技术",
        class_name="计硕2401",
        degree_level="硕士",
        grade_year=2024,
        enrolment_status="在读",
        valid_from=timezone.now() - dt.timedelta(days=300),
        source="研究生系统",
    )
    return person


def warehouse_staff(uid: str, name: str = "王教授") -> Person:
    person = Person.objects.create(uid=uid, name=name, gender=Person.Gender.MALE)
    StaffRecord.objects.create(
        person=person,
        number=uid,
        unit=_unit("CS", "计算机学院", OrgUnit.Kind.SCHOOL),
        post="专任教师",
        title="教授",
        employment_status="在职",
        hire_date=dt.date(2010, 9, 1),
        valid_from=timezone.now() - dt.timedelta(days=3000),
        source="人事系统",
    )
    return person


def claim_answers(**overrides) -> dict:
    answers = {
        "budget_code": "KY2026-0815",
        "budget_holder": HOLDER_UID,
        "amount": "1280.50",
        "purpose": "参加全国学术会议的注册费",
    }
    answers.update(overrides)
    return answers


@dataclass
class ClaimWorld:
    applicant: object
    holder: object
    cwc_staff: object
    other_student: object
    jwc_staff: object

    def as_user(self, client, user):
        client.logout()
        client.force_login(user)
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        return client

    def apply(self, client, *, files: dict, **answers) -> Application:
        """Start, consent and submit through the applicant's pages; returns the application."""
        self.as_user(client, self.applicant)
        assert client.post(f"/apply/{MATTER}/").status_code == 302
        application = Application.objects.filter(applicant=self.applicant).latest("pk")
        assert client.post(f"/applications/{application.reference}/consent/").status_code == 302
        self.response = client.post(
            f"/applications/{application.reference}/form/",
            {**claim_answers(**answers), "idempotency_key": f"k-{application.pk}", **files},
        )
        application.refresh_from_db()
        return application


def claim_world_create() -> ClaimWorld:
    """Grants for the handler, the people in the warehouse and their accounts."""
    from campus_portal.plugin_api import registry

    for item in registry.get(HANDLER).data_needs:
        grant_create(handler_key=HANDLER, item_key=item, purpose="报销审核", granted_by="s")
    warehouse_graduate(APPLICANT_UID)
    warehouse_staff(HOLDER_UID)
    warehouse_graduate("2024110002")
    return ClaimWorld(
        applicant=make_user("li-yan", person_uid=APPLICANT_UID),
        holder=make_user("wang-prof", person_uid=HOLDER_UID, mfa=True),
        cwc_staff=make_user("cwc-staff", roles=[("office_staff", "CWC")]),
        other_student=make_user("other-student", person_uid="2024110002"),
        jwc_staff=make_user("jwc-staff", roles=[("office_staff", "JWC")]),
    )


@pytest.fixture
def claim_world(db) -> ClaimWorld:
    return claim_world_create()
