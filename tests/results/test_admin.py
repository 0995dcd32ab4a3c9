"""Seals and templates in the Wagtail admin: the office's own only; bad input refused."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from campus_portal.catalog.models import Office
from campus_portal.results.models import OfficeSeal, ResultTemplate
from campus_portal.results.seals import demo_seal_png
from campus_portal.results.services import office_seal_set
from tests.applications.conftest import make_user

pytestmark = pytest.mark.django_db(databases=["default", "warehouse"])
TEMPLATES = "/admin/snippets/results/resulttemplate/"
SEALS = "/admin/snippets/results/officeseal/"


@pytest.fixture
def jwc_client(client, private_root):
    client.force_login(make_user("jwc-admin-staff", roles=[("office_staff", "JWC")]))
    return client


def test_templates_of_the_own_office_only(jwc_client):
    jwc, xgb = Office.objects.get(code="JWC"), Office.objects.get(code="XGB")
    other = ResultTemplate.objects.create(office=xgb, kind="decision", source="<p>x</p>")
    form = jwc_client.get(TEMPLATES + "add/").content.decode()
    assert f'value="{jwc.pk}"' in form and f'value="{xgb.pk}"' not in form
    data = {"office": jwc.pk, "kind": "certificate", "language": "en", "handler_key": ""}
    # A template that does not compile is refused with the reason, and nothing is saved.
    response = jwc_client.post(TEMPLATES + "add/", {**data, "source": "{% if %}"})
    assert response.status_code == 200 and "模板有误" in response.content.decode()
    assert not ResultTemplate.objects.filter(office=jwc).exists()
    response = jwc_client.post(TEMPLATES + "add/", {**data, "source": "<p>{{ body }}</p>"})
    assert response.status_code == 302
    assert ResultTemplate.objects.get(office=jwc).language == "en"
    # Another office's template: not listed, not editable (even by its URL).
    listing = jwc_client.get(TEMPLATES).content.decode()
    assert f"edit/{other.pk}/" not in listing
    assert jwc_client.get(f"{TEMPLATES}edit/{other.pk}/").status_code in (302, 403)
    response = jwc_client.post(f"{TEMPLATES}edit/{other.pk}/", {**data, "source": "hacked"})
    assert response.status_code in (302, 403)
    other.refresh_from_db()
    assert other.source == "<p>x</p>"


def test_a_seal_must_be_a_png(jwc_client):
    jwc = Office.objects.get(code="JWC")
    response = jwc_client.post(
        SEALS + "add/",
        {"office": jwc.pk, "image": SimpleUploadedFile("seal.png", b"GIF89a not a png")},
    )
    assert response.status_code == 200 and "PNG" in response.content.decode()
    assert not OfficeSeal.objects.exists()
    png = demo_seal_png(university="示范大学", office_name="教务处", size=96)
    response = jwc_client.post(
        SEALS + "add/", {"office": jwc.pk, "image": SimpleUploadedFile("seal.png", png)}
    )
    assert response.status_code == 302
    seal = OfficeSeal.objects.get(office=jwc)
    with seal.image.open("rb") as handle:
        assert handle.read() == png
    assert jwc_client.get(f"{SEALS}edit/{seal.pk}/").status_code == 200


def test_another_offices_seal_is_out_of_reach(jwc_client):
    xgb = Office.objects.get(code="XGB")
    office_seal_set(office=xgb, png=demo_seal_png(university="示范", office_name="学工部", size=64))
    seal = OfficeSeal.objects.get(office=xgb)
    assert jwc_client.get(f"{SEALS}edit/{seal.pk}/").status_code in (302, 403)
    assert jwc_client.post(f"{SEALS}delete/{seal.pk}/").status_code in (302, 403)
    assert OfficeSeal.objects.filter(pk=seal.pk).exists()
