"""What an instance serves, as comparable JSON: every guide page's HTML, and for some matters
the form a student gets and whether the submission goes through.

Run in the test process for the source and, through ``manage.py shell``, against the second
instance's database (``main``), so both are measured by the same code.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
import os
import re
import sys

from django.test import Client
from django.utils import timezone

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"|nonce="[^"]*"')
_keys = itertools.count(1)


def _student():
    """A student of the warehouse with a linked account (the same on both instances)."""
    from django.contrib.auth import get_user_model

    from campus_portal.accounts.services import identity_link
    from data_warehouse.models import OrgUnit, Person, StudentRecord

    user = get_user_model().objects.filter(username="ct-student").first()
    if user is not None:
        return user
    school, _ = OrgUnit.objects.get_or_create(
        code="CS", defaults={"name": "计算机学院", "kind": OrgUnit.Kind.SCHOOL}
    )
    person = Person.objects.create(uid="2023CT0001", name="王同学", gender=Person.Gender.MALE)
    StudentRecord.objects.create(
        person=person, number=person.uid, school=school, major="软件工程", class_name="软件2301",
        degree_level="本科", grade_year=2023, enrolment_status="在读",
        valid_from=timezone.now() - dt.timedelta(days=400), source="教务系统",
    )  # fmt: skip
    user = get_user_model().objects.create_user("ct-student", "", None)
    identity_link(user, person_uid=person.uid, source="manual")
    return user


def _guide_pages() -> dict[str, str]:
    from campus_portal.catalog.models import MatterPage

    client = Client()
    pages = {}
    for matter in MatterPage.objects.live().order_by("code"):
        response = client.get(matter.url)
        html = CSRF.sub("", response.content.decode())
        pages[matter.code] = f"{response.status_code}:{hashlib.sha256(html.encode()).hexdigest()}"
    return pages


def _apply(code: str, user) -> dict:
    from campus_portal.applications import services as lifecycle
    from campus_portal.catalog.models import MatterPage
    from tests.matter_config.conftest import answers_submitted, sample_post

    matter = MatterPage.objects.get(code=code)
    handler = lifecycle.handler_for(matter)
    application = lifecycle.application_start(user=user, matter=matter)
    if handler.data_needs_for(lifecycle.application_view(application)):
        lifecycle.application_consent(application, actor=user)
        application.refresh_from_db()
    form_class = handler.form_class_for(lifecycle.application_view(application))
    fields = [
        [name, str(f.label), type(f).__name__, f.required]
        for name, f in form_class().fields.items()
    ]
    data, files = sample_post(form_class)
    form = form_class(data, files)
    assert form.is_valid(), form.errors
    answers = answers_submitted(form, application=application, user=user)
    application = lifecycle.application_submit(
        application, actor=user, answers=answers, idempotency_key=f"ct-{code}-{next(_keys)}"
    )
    return {"handler": handler.key, "fields": fields, "state": application.state}


def probe(codes: list[str]) -> dict:
    user = _student()
    return {"pages": _guide_pages(), "applied": {code: _apply(code, user) for code in codes}}


def main() -> None:
    codes = os.environ["PROBE_CODES"].split(",")
    sys.stdout.write("PROBE" + json.dumps(probe(codes), ensure_ascii=False))
