"""Any window takes in any matter (无差别受理): a matter with no configuration and no plugin is
taken in as the window's generic intake and reaches its office's queue; online it stays
without an apply button."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from campus_portal.applications.models import Application, Channel, Event, HandlerBinding
from campus_portal.applications.selectors import handler_for
from campus_portal.catalog.choices import MaterialSource
from campus_portal.catalog.models import MatterPage
from campus_portal.matter_config.intake import INTAKE_KEY
from campus_portal.matter_config.models import MatterConfiguration
from campus_portal.plugin_api import registry
from hall_kiosk.services import card_credential_set
from tests.matter_config.conftest import PDF_BYTES
from tests.workbench.conftest import MATTER_CODE, STUDENT_UID, as_user, staff_user

pytestmark = pytest.mark.django_db(databases=["default", "warehouse"])


@pytest.fixture
def unserved():
    """A matter with materials to bring, no binding and no configuration at all."""
    bound = HandlerBinding.objects.values("matter_id")
    matter = (
        MatterPage.objects.live()
        .exclude(pk__in=bound)
        .filter(materials__source=MaterialSource.APPLICANT, office__isnull=False)
        .order_by("code")
        .first()
    )
    MatterConfiguration.objects.filter(matter=matter).delete()
    return matter


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


# The applicant proves they are at the counter with their campus card and its PIN (issue 17).
PRESENT = {"agreed": "1", "presence": "card_pin", "card_number": "CARD20230101", "pin": "2468"}


@pytest.fixture(autouse=True)
def card(applicant):
    return card_credential_set(user=applicant, card_number="CARD20230101", pin="2468")


def test_unconfigured_matter_is_taken_in_and_routed(client, applicant, window_staff, unserved):
    assert handler_for(unserved) is None  # no online service: the guide offers no button
    as_user(client, window_staff)
    page = client.get("/workbench/window/").content.decode()
    assert f'value="{unserved.code}"' in page and "generic intake" in page

    response = client.post(
        "/workbench/window/",
        {"campus_number": STUDENT_UID, "matter": unserved.code, **PRESENT},
    )
    application = Application.objects.get(applicant=applicant, matter=unserved)
    assert response["Location"] == reverse("applications:form", args=[application.reference])
    assert application.handler_key == INTAKE_KEY
    assert application.office_code == unserved.office.code
    assert application.events.filter(kind=Event.Kind.VISITED, channel=Channel.WINDOW).exists()

    form_url = response["Location"]
    material = unserved.materials.filter(source=MaterialSource.APPLICANT).first()
    form = client.get(form_url).content.decode()
    assert material.name in form and 'name="material_1"' in form and 'name="note"' in form
    # Without a note nothing is sent, and the scanned file is not lost with it.
    scan = SimpleUploadedFile("scan.pdf", PDF_BYTES, content_type="application/pdf")
    refused = client.post(form_url, {"idempotency_key": "k0", "material_1": scan})
    assert refused.status_code == 200 and "This field is required" in refused.content.decode()
    scan = SimpleUploadedFile("scan.pdf", PDF_BYTES, content_type="application/pdf")
    sent = client.post(
        form_url, {"idempotency_key": "k1", "material_1": scan, "note": "申请人要求加急"}
    )
    assert sent.status_code == 302
    application.refresh_from_db()
    assert application.state == Application.State.SUBMITTED
    assert application.answers["note"] == "申请人要求加急"
    assert application.answers["material_1"]["name"] == "scan.pdf"

    # The matter's office finds it in its queue, accepts it and decides its one step.
    office_staff = staff_user("intake-office", ("office_staff", unserved.office.code))
    as_user(client, office_staff)
    assert application.reference in client.get("/workbench/").content.decode()
    detail = reverse("workbench:detail", args=[application.reference])
    client.post(detail, {"action": "accept", "version": application.version})
    step = application.steps.get()
    assert step.office_code == unserved.office.code
    client.post(detail, {"action": "approve", "step": step.pk, "version": step.version})
    application.refresh_from_db()
    assert application.state == Application.State.APPROVED


def test_intake_is_window_only(client, applicant, unserved):
    """The applicant cannot start the generic intake online: the page has no apply button."""
    client.force_login(applicant)
    response = client.post(f"/apply/{unserved.code}/")
    assert response.status_code == 200
    assert not Application.objects.filter(matter=unserved).exists()
    assert not HandlerBinding.objects.filter(matter=unserved).exists()
    assert INTAKE_KEY not in dict(registry.choices())  # nor can an administrator bind it


def test_bound_matter_keeps_its_own_form_at_the_window(client, handler, applicant, window_staff):
    as_user(client, window_staff)
    page = client.get("/workbench/window/").content.decode()
    options = page.split("<option")
    assert "generic intake" not in next(o for o in options if f'value="{MATTER_CODE}"' in o)
    client.post(
        "/workbench/window/", {"campus_number": STUDENT_UID, "matter": MATTER_CODE, **PRESENT}
    )
    assert Application.objects.get(applicant=applicant).handler_key == handler.key
