"""Applying for a configured matter through the applicant's pages: the pinned version's form,
conditional fields, a multiple choice stored as a list, uploads kept privately, staff seeing
the answers under their labels."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from campus_portal.accounts.services import identity_link
from campus_portal.applications.models import Application
from campus_portal.catalog.models import MatterPage
from campus_portal.matter_config.services import configuration_derive, configuration_publish
from tests.applications.conftest import make_user
from tests.matter_config.conftest import PDF_BYTES
from tests.plugins.conftest import warehouse_student

pytestmark = pytest.mark.django_db(databases=["default", "warehouse"])
CODE = "SF-XGB-003"


def _extra_fields(configuration) -> None:
    common = {"label_en": "", "help_zh": "", "help_en": "", "visible_when_field": "",
              "visible_when_equals": "", "choices": []}  # fmt: skip
    options = [{"value": "gpa", "label_zh": "学业优秀", "label_en": ""},
               {"value": "sport", "label_zh": "体育特长", "label_en": ""}]  # fmt: skip
    blocks = [(b.block_type, dict(b.value)) for b in configuration.fields]
    blocks += [
        ("field", {**common, "key": "kinds", "type": "multi_choice", "label_zh": "奖项类别",
                   "required": True, "choices": options}),
        ("field", {**common, "key": "sport_detail", "type": "textarea", "label_zh": "体育成绩",
                   "required": True, "visible_when_field": "kinds",
                   "visible_when_equals": "sport"}),
    ]  # fmt: skip
    configuration.fields = blocks
    configuration.save()


@pytest.fixture
def published():
    from data_warehouse.services import grant_create

    for key in ("person.name", "student.number", "student.school"):
        grant_create(handler_key="config.generic", item_key=key, purpose="t", granted_by="t")
    staff = make_user("xgb-apply-staff", roles=[("office_staff", "XGB")])
    configuration = configuration_derive(matter=MatterPage.objects.get(code=CODE))
    _extra_fields(configuration)
    configuration_publish(configuration=configuration, user="t")
    return staff


def test_apply_through_the_pages(client, django_user_model, published, private_root):
    person = warehouse_student()
    user = django_user_model.objects.create_user("xgb-applicant", "", "pw")
    identity_link(user, person_uid=person.uid, source="manual")
    client.force_login(user)
    response = client.post(f"/apply/{CODE}/")
    application = Application.objects.get(applicant=user)
    form_url = f"/applications/{application.reference}/form/"
    assert response.status_code == 302 and response["Location"] == form_url
    consent = client.get(form_url).content.decode()
    assert "学院" in consent  # the consent screen lists the configured data needs
    client.post(f"/applications/{application.reference}/consent/")
    page = client.get(form_url).content.decode()
    assert 'data-visible-when="kinds"' in page and "奖项类别" in page
    files = {"m1": SimpleUploadedFile("申请表.pdf", PDF_BYTES)}
    # Sport chosen but its detail left empty: refused, naming the field; the file that passed
    # its checks is kept with the draft (chosen once), nothing is submitted.
    refused = client.post(form_url, {"kinds": ["gpa", "sport"], **files})
    assert refused.status_code == 200
    assert "sport_detail" in refused.context["form"].errors
    application.refresh_from_db()
    assert application.state == "draft"
    assert application.answers["m1"]["name"] == "申请表.pdf"
    files = {"m1": SimpleUploadedFile("申请表.pdf", PDF_BYTES),
             "m2": SimpleUploadedFile("获奖证明.pdf", PDF_BYTES)}  # fmt: skip
    done = client.post(
        form_url, {"kinds": ["gpa", "sport"], "sport_detail": "校运会 100 米第一", **files}
    )
    assert done.status_code == 302
    application.refresh_from_db()
    assert application.state == "submitted"
    assert application.answers["kinds"] == ["gpa", "sport"]  # a list, not its string
    assert application.answers["sport_detail"] == "校运会 100 米第一"
    assert application.answers["m1"]["name"].endswith(".pdf")
    current = {application.answers[slot]["attachment"] for slot in ("m1", "m2")}
    assert len(current) == 2 and application.attachments.count() == 3  # one kept, replaced

    from campus_portal.applications import services

    services.application_accept(application, actor=published)
    client.force_login(published)
    detail = client.get(f"/workbench/{application.reference}/")
    text = detail.content.decode()
    assert detail.status_code == 200
    assert "奖项类别" in text and "学业优秀, 体育特长" in text  # labels, not keys and codes
    assert "奖学金申请表" in text  # the attachment listed under its slot's label


def test_a_hidden_field_is_not_kept(client, django_user_model, published, private_root):
    person = warehouse_student()
    user = django_user_model.objects.create_user("xgb-applicant-2", "", "pw")
    identity_link(user, person_uid=person.uid, source="manual")
    client.force_login(user)
    client.post(f"/apply/{CODE}/")
    application = Application.objects.get(applicant=user)
    client.post(f"/applications/{application.reference}/consent/")
    files = {"m1": SimpleUploadedFile("a.pdf", PDF_BYTES),
             "m2": SimpleUploadedFile("b.pdf", PDF_BYTES)}  # fmt: skip
    response = client.post(
        f"/applications/{application.reference}/form/",
        {"kinds": ["gpa"], "sport_detail": "sent by a stale page", **files},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.answers["sport_detail"] is None
