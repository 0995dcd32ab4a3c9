"""A supplement notice answered item by item in one round (a new file for a material, text for
a typed item); drafts and refused submits keep uploaded files; a draft keeps a date range's
typed days even when they are not a valid range yet."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from campus_portal.accounts.services import identity_link
from campus_portal.applications import services
from campus_portal.applications.models import Application
from campus_portal.catalog.models import MatterPage
from campus_portal.matter_config.services import configuration_derive, configuration_publish
from tests.applications.conftest import make_user
from tests.matter_config.conftest import PDF_BYTES
from tests.plugins.conftest import warehouse_student

pytestmark = pytest.mark.django_db(databases=["default", "warehouse"])
CODE = "SF-XGB-003"  # materials 奖学金申请表 (slot m1), 获奖证明 (slot m2)


def pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


@pytest.fixture
def form_url(client, django_user_model):
    from data_warehouse.services import grant_create

    for key in ("person.name", "student.number", "student.school"):
        grant_create(handler_key="config.generic", item_key=key, purpose="t", granted_by="t")
    make_user("supp-xgb-staff", roles=[("office_staff", "XGB")])
    configuration = configuration_derive(matter=MatterPage.objects.get(code=CODE))
    period = {"key": "period", "type": "date_range", "label_zh": "获奖期间", "label_en": "",
              "help_zh": "", "help_en": "", "required": False, "visible_when_field": "",
              "visible_when_equals": "", "choices": []}  # fmt: skip
    configuration.fields = [(b.block_type, dict(b.value)) for b in configuration.fields] + [
        ("field", period)
    ]
    configuration.delivery_modes = ["electronic", "post"]
    configuration.save()
    configuration_publish(configuration=configuration, user="t")
    person = warehouse_student()
    user = django_user_model.objects.create_user("supp-applicant", "", "pw")
    identity_link(user, person_uid=person.uid, source="manual")
    client.force_login(user)
    client.post(f"/apply/{CODE}/")
    application = Application.objects.get(applicant=user)
    client.post(f"/applications/{application.reference}/consent/")
    return f"/applications/{application.reference}/form/"


def _application(url: str) -> Application:
    return Application.objects.get(reference=url.split("/")[2])


def test_draft_keeps_files_and_typed_date_range(client, form_url, private_root):
    saved = client.post(
        form_url, {"save_draft": "1", "m1": pdf("表.pdf"), "period_0": "2026-03-01", "period_1": ""}
    )
    assert saved.status_code == 302
    application = _application(form_url)
    assert application.answers["m1"]["name"] == "表.pdf"  # the file is kept with the draft
    assert application.answers["period"] == ["2026-03-01", ""]  # not a range yet, still kept
    page = client.get(form_url).content.decode()
    assert 'value="2026-03-01"' in page and "表.pdf" in page
    # Submitting later without choosing the file again uses the kept one.
    done = client.post(form_url, {"idempotency_key": "k1", "m2": pdf("证明.pdf")})
    assert done.status_code == 302
    application.refresh_from_db()
    assert application.state == Application.State.SUBMITTED
    assert application.answers["m1"]["name"] == "表.pdf"


def test_refused_submit_keeps_what_was_typed_and_the_valid_file(client, form_url, private_root):
    refused = client.post(
        form_url,
        {"idempotency_key": "k1", "m1": pdf("表.pdf"), "period_0": "2026-03-09",
         "period_1": "2026-03-01"},
    )  # fmt: skip
    assert refused.status_code == 200
    errors = refused.context["form"].errors
    assert "period" in errors and "m2" in errors  # reversed range; a required slot empty
    page = refused.content.decode()
    assert 'value="2026-03-09"' in page and 'value="2026-03-01"' in page
    application = _application(form_url)
    assert application.state == Application.State.DRAFT
    assert application.answers["m1"]["name"] == "表.pdf"  # chosen once, not lost


def test_supplement_answered_item_by_item(client, django_user_model, form_url, private_root):
    sent = client.post(
        form_url, {"idempotency_key": "k1", "m1": pdf("旧表.pdf"), "m2": pdf("证.pdf")}
    )
    assert sent.status_code == 302
    application = _application(form_url)
    staff = django_user_model.objects.get(username="supp-xgb-staff")
    services.application_return_for_supplement(
        application, actor=staff, items=["奖学金申请表", "写明获奖的级别"]
    )
    page = client.get(form_url)
    form = page.context["form"]
    assert form.fields["m1"].required and "m1" not in form.initial  # the old file does not count
    assert "supplement_2" in form.fields and "supplement_1" not in form.fields

    # Only the text: refused, the material still asks for a new file, the text stays.
    refused = client.post(form_url, {"idempotency_key": "k2", "supplement_2": "省级一等奖"})
    assert refused.status_code == 200
    assert list(refused.context["form"].errors) == ["m1"]
    assert "省级一等奖" in refused.content.decode()
    application.refresh_from_db()
    assert application.state == Application.State.SUPPLEMENT

    done = client.post(
        form_url, {"idempotency_key": "k3", "m1": pdf("新表.pdf"), "supplement_2": "省级一等奖"}
    )
    assert done.status_code == 302
    application.refresh_from_db()
    assert application.state != Application.State.SUPPLEMENT
    assert application.answers["m1"]["name"] == "新表.pdf"
    assert application.answers["m2"]["name"] == "证.pdf"  # not asked again: kept
    assert application.answers["supplement_2"] == "省级一等奖"

    client.force_login(staff)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    detail = client.get(f"/workbench/{application.reference}/").content.decode()
    assert "Supplement: 写明获奖的级别" in detail and "省级一等奖" in detail


def test_a_file_kept_by_a_supplement_draft_answers_the_item(
    client, django_user_model, form_url, private_root
):
    client.post(form_url, {"idempotency_key": "k1", "m1": pdf("旧表.pdf"), "m2": pdf("证.pdf")})
    application = _application(form_url)
    staff = django_user_model.objects.get(username="supp-xgb-staff")
    services.application_return_for_supplement(application, actor=staff, items=["获奖证明"])
    client.post(form_url, {"save_draft": "1", "m2": pdf("新证.pdf")})
    done = client.post(form_url, {"idempotency_key": "k2"})
    assert done.status_code == 302
    application.refresh_from_db()
    assert application.answers["m2"]["name"] == "新证.pdf"


def test_the_versions_delivery_modes_are_offered_not_the_guides(client, form_url, private_root):
    """The configuration (electronic, post) decides, though the guide page lists others."""
    MatterPage.objects.filter(code=CODE).update(delivery_modes=["window", "locker"])
    page = client.get(form_url)
    assert 'value="post"' in page.content.decode() and 'value="locker"' not in page.content.decode()
    files = {"m1": pdf("a.pdf"), "m2": pdf("b.pdf")}
    refused = client.post(form_url, {"idempotency_key": "k1", "delivery-mode": "locker", **files})
    assert refused.status_code == 200
    application = _application(form_url)
    assert application.state == Application.State.DRAFT
    files = {"m1": pdf("a.pdf"), "m2": pdf("b.pdf")}
    done = client.post(form_url, {"idempotency_key": "k2", "delivery-mode": "electronic", **files})
    assert done.status_code == 302
    application.refresh_from_db()
    assert application.delivery_mode == "electronic"
