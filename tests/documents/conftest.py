"""Notice fixtures: a staff-decided test handler (one XGB step), an applicant, staff, and
helpers that read a PDF the way a person's PDF reader would (pypdf)."""

from __future__ import annotations

import io
import uuid

import pytest
from pypdf import PdfReader

from campus_portal.applications import services
from campus_portal.applications.models import HandlerBinding
from campus_portal.catalog.models import MatterPage
from campus_portal.plugin_api import MatterHandler, StepSpec, registry
from tests.applications.conftest import (  # the instant 在读证明 fixtures, reused
    certificate_matter,  # noqa: F401
    grant_all,
    make_student,
    make_user,
    student_user,  # noqa: F401
)

HANDLER_KEY = "xgb.notice_test"
MATTER_CODE = "SF-XGB-006"  # 学生请假 — promised 1 working day in the reference list
STUDENT_UID = "2023010142"


class NoticeTestHandler(MatterHandler):
    key = HANDLER_KEY
    office = "XGB"
    label = "通知书测试事项"
    purpose = "通知书测试"
    data_needs = ("person.name", "student.number")

    def steps(self, application):
        return [StepSpec("xgb_review", "XGB", "学工部审核", time_limit_days=1)]

    def decide(self, application):
        return None


@pytest.fixture
def matter(db) -> MatterPage:
    registry.register(NoticeTestHandler)
    matter = MatterPage.objects.get(code=MATTER_CODE)
    HandlerBinding.objects.update_or_create(
        matter=matter, defaults={"handler_key": HANDLER_KEY, "enabled": True}
    )
    grant_all(HANDLER_KEY)
    yield matter
    registry.unregister(HANDLER_KEY)


@pytest.fixture
def applicant(matter):
    make_student(STUDENT_UID, name="李思源")
    return make_user(STUDENT_UID, person_uid=STUDENT_UID)


@pytest.fixture
def staff(db):
    return make_user("xgb-notice-staff", roles=[("office_staff", "XGB")])


@pytest.fixture
def submitted(matter, applicant):
    """A factory of submitted applications of the applicant."""

    def make():
        application = services.application_start(user=applicant, matter=matter)
        services.application_consent(application, actor=applicant)
        application.refresh_from_db()
        services.application_submit(
            application, actor=applicant, answers={}, idempotency_key=uuid.uuid4().hex
        )
        application.refresh_from_db()
        return application

    return make


def pdf_text(pdf: bytes) -> str:
    """All text of the PDF with white space removed (CJK extraction spaces lines freely)."""
    reader = PdfReader(io.BytesIO(pdf))
    text = "".join(page.extract_text() for page in reader.pages)
    return "".join(text.split())


def embedded_fonts(pdf: bytes) -> set[str]:
    """Base names of the fonts whose program is embedded in the PDF (FontFile, 2 or 3)."""
    reader = PdfReader(io.BytesIO(pdf))
    names = set()
    for page in reader.pages:
        fonts = page["/Resources"].get("/Font", {})
        for ref in fonts.values():
            font = ref.get_object()
            descendants = font.get("/DescendantFonts")
            holder = descendants[0].get_object() if descendants else font
            descriptor = holder.get("/FontDescriptor")
            if descriptor is None:
                continue
            descriptor = descriptor.get_object()
            if any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
                names.add(str(font["/BaseFont"]))
    return names


def squeeze(text: str) -> str:
    return "".join(text.split())
