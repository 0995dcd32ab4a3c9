"""Configured-matter tests: definitions built by hand, and the reference catalog configured.

``configured`` is module-scoped: it gives the generic handler its grants, every office a staff
member, publishes every starting configuration once and rolls it all back after the module,
so the parametrised lifecycle test over ~90 matters shares one setup.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.db import transaction
from django.utils import timezone

from campus_portal.matter_config.lint import LintFacts

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    """Uploads of each test go to a folder of its own, outside the web roots."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


def facts(**overrides) -> LintFacts:
    """Lint facts in which everything named exists, unless a test says otherwise."""
    values = {
        "promised_limit": 10,
        "online_depth": 3,
        "offices": frozenset({"JWC", "XGB"}),
        "staffed_offices": frozenset({"JWC", "XGB"}),
        "granted_items": frozenset({"person.name", "student.school", "student.status"}),
        "catalog_items": {
            "person.name": "姓名",
            "student.school": "学院",
            "student.status": "学籍状态",
            "student.major": "专业",
        },
    }
    values.update(overrides)
    return LintFacts(**values)


def field(key: str, type_: str = "text", **extra) -> dict:
    return {
        "key": key,
        "type": type_,
        "label_zh": extra.pop("label_zh", key),
        "label_en": "",
        "help_zh": "",
        "help_en": "",
        "required": extra.pop("required", True),
        "visible_when": extra.pop("visible_when", None),
        "choices": extra.pop("choices", []),
        **extra,
    }


def step(key: str, office: str = "JWC", days: int = 1, kind: str = "office", **extra) -> dict:
    return {
        "key": key,
        "kind": kind,
        "office": office,
        "answer_field": extra.pop("answer_field", ""),
        "label": extra.pop("label", key),
        "time_limit_days": days,
        "group": extra.pop("group", ""),
        "decided_by": "office_staff",
    }


def definition(**parts) -> dict:
    base = {
        "fields": [],
        "data_needs": ["person.name"],
        "purpose": "办理",
        "steps": [],
        "decision": {"mode": "staff", "rule": None},
        "result": {"kind": "decision", "title": "", "body": "", "delivery_modes": ["electronic"]},
    }
    base.update(parts)
    return base


@dataclass
class Configured:
    person_uid: str
    applicant: object
    staff: dict  # office code → user
    published: dict  # matter code → version


def _person():
    from data_warehouse.models import OrgUnit, Person, StaffRecord, StudentRecord

    school, _ = OrgUnit.objects.get_or_create(
        code="CS", defaults={"name": "计算机学院", "kind": OrgUnit.Kind.SCHOOL}
    )
    person = Person.objects.create(uid="2023MC0001", name="李同学", gender=Person.Gender.FEMALE)
    since = timezone.now() - dt.timedelta(days=400)
    StudentRecord.objects.create(
        person=person, number=person.uid, school=school, major="软件工程", class_name="软件2301",
        degree_level="本科", grade_year=2023, enrolment_status="在读", valid_from=since,
        source="教务系统",
    )  # fmt: skip
    StaffRecord.objects.create(
        person=person, number="T2023MC01", unit=school, post="助教", title="助教",
        employment_status="在职", hire_date=dt.date(2024, 9, 1), valid_from=since,
        source="人事系统",
    )  # fmt: skip
    return person


@pytest.fixture(scope="module")
def configured(django_db_setup, django_db_blocker):
    """Grants, staff, a person, and every starting configuration published (rolled back)."""
    from django.contrib.auth import get_user_model

    from campus_portal.accounts.services import identity_link, role_assign
    from campus_portal.catalog.models import MatterPage, Office
    from campus_portal.matter_config.models import ConfigurationVersion
    from campus_portal.matter_config.services import configurations_import
    from data_warehouse.items import RESOLVERS
    from data_warehouse.services import grant_create

    with django_db_blocker.unblock():
        outer, warehouse = transaction.atomic(), transaction.atomic(using="warehouse")
        outer.__enter__()
        warehouse.__enter__()
        try:
            for key in RESOLVERS:
                grant_create(
                    handler_key="config.generic", item_key=key, purpose="t", granted_by="t"
                )
            staff = {}
            for office in Office.objects.all():
                # No password: hashing one per office would cost seconds.
                user = get_user_model().objects.create_user(f"mc-{office.code}", "", None)
                role_assign(user, role="office_staff", office_code=office.code, by="t")
                staff[office.code] = user
            person = _person()
            applicant = get_user_model().objects.create_user("mc-applicant", "", None)
            identity_link(applicant, person_uid=person.uid, source="manual")
            codes = list(MatterPage.objects.values_list("code", flat=True))
            configurations_import(codes=codes)
            published = {
                v.configuration.matter.code: v
                for v in ConfigurationVersion.objects.select_related("configuration__matter")
            }
            yield Configured(
                person_uid=person.uid, applicant=applicant, staff=staff, published=published
            )
        finally:
            transaction.set_rollback(True, using="warehouse")
            transaction.set_rollback(True)
            warehouse.__exit__(None, None, None)
            outer.__exit__(None, None, None)


def sample_post(form_class) -> tuple[dict, dict]:
    """POST data and files that a careful applicant would send for every field of the form."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    data, files = {}, {}
    for definition in form_class.field_definitions:
        key, kind = definition["key"], definition["type"]
        choices = [c["value"] for c in definition.get("choices", [])]
        if kind == "upload":
            png = "image/png" in definition.get("content_types", [])
            name, content = ("photo.png", PNG_BYTES) if png else ("doc.pdf", PDF_BYTES)
            files[key] = SimpleUploadedFile(name, content)
        elif kind == "date_range":
            data[f"{key}_0"], data[f"{key}_1"] = "2026-12-01", "2026-12-03"
        else:
            data[key] = {
                "number": "2",
                "date": "2026-12-01",
                "choice": choices[0] if choices else "",
                "multi_choice": choices[:1],
                "yes_no": "no",
                "email": "li@example.edu.cn",
                "mobile": "13800138000",
                "id_number": "11010519491231002X",
            }.get(kind, "测试内容")
    return data, files


def answers_submitted(form, *, application, user) -> dict:
    """The cleaned answers as the applicant's page stores them (uploads kept privately)."""
    from django.core.files.uploadedfile import UploadedFile

    from campus_portal.attachments.services import attachment_store
    from campus_portal.plugin_api import UploadField

    answers = {}
    for name, value in form.cleaned_data.items():
        field = form.fields[name]
        if isinstance(field, UploadField) and isinstance(value, UploadedFile):
            answers[name] = attachment_store(
                application=application, field_name=name, upload=value, user=user,
                label=str(field.label), content_types=field.content_types,
            ).summary()  # fmt: skip
        elif isinstance(value, (str, int, float, bool, list)) or value is None:
            answers[name] = value
        else:
            answers[name] = str(value)
    return answers
