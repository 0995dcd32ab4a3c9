"""The matter designer in the admin: each office its own configurations; publishing shows the
lint and the impact, and refuses until the problems are fixed."""

from __future__ import annotations

import pytest

from campus_portal.applications.models import HandlerBinding
from campus_portal.catalog.models import MatterPage
from campus_portal.matter_config.services import configuration_derive
from tests.applications.conftest import make_user

pytestmark = pytest.mark.django_db(databases=["default", "warehouse"])
LIST = "/admin/snippets/matter_config/matterconfiguration/"


@pytest.fixture
def configurations():
    xgb = configuration_derive(matter=MatterPage.objects.get(code="SF-XGB-003"))
    jwc = configuration_derive(matter=MatterPage.objects.get(code="SF-JWC-005"))
    return xgb, jwc


@pytest.fixture
def xgb_client(client):
    client.force_login(make_user("xgb-designer", roles=[("office_staff", "XGB")]))
    return client


def test_an_office_sees_and_opens_only_its_own(xgb_client, configurations):
    xgb, jwc = configurations
    listing = xgb_client.get(LIST)
    assert listing.status_code == 200
    page = listing.content.decode()
    assert f"edit/{xgb.pk}/" in page and f"edit/{jwc.pk}/" not in page
    assert xgb_client.get(f"{LIST}edit/{xgb.pk}/").status_code == 200
    assert xgb_client.get(f"{LIST}edit/{jwc.pk}/").status_code in (302, 403)
    assert xgb_client.get(f"/admin/matter-config/{jwc.pk}/publish/").status_code in (302, 403)
    assert xgb_client.post(f"/admin/matter-config/{jwc.pk}/publish/").status_code in (302, 403)
    assert not jwc.versions.exists()


def test_a_student_cannot_open_the_designer(client, configurations):
    client.force_login(make_user("designer-student"))
    assert client.get(LIST).status_code in (302, 403)


def test_publish_is_refused_with_the_problems_then_passes(xgb_client, configurations):
    from data_warehouse.services import grant_create

    xgb, _jwc = configurations
    url = f"/admin/matter-config/{xgb.pk}/publish/"
    page = xgb_client.get(url).content.decode()
    assert "数据中心尚未授权" in page  # no grant for config.generic yet
    response = xgb_client.post(url, {"move_drafts": "on"})
    assert response.status_code == 200 and not xgb.versions.exists()
    for key in ("person.name", "student.number", "student.school"):
        grant_create(handler_key="config.generic", item_key=key, purpose="t", granted_by="t")
    assert "数据中心尚未授权" not in xgb_client.get(url).content.decode()
    response = xgb_client.post(url, {"move_drafts": "on"})
    assert response.status_code == 302
    assert xgb.versions.get().number == 1
    assert HandlerBinding.objects.get(matter=xgb.matter).handler_key == "config.generic"


def test_a_broken_rule_is_refused_when_saving_and_a_save_makes_it_the_offices(
    xgb_client, configurations
):
    xgb, _jwc = configurations
    url = f"{LIST}edit/{xgb.pk}/"
    post = _post(xgb_client.get(url).context["form"])
    refused = xgb_client.post(
        url, {**post, "decision_mode": "instant", "decision_rule": '{"eval": ["1"]}'}
    )
    assert refused.status_code == 200
    assert "eval" in refused.content.decode()  # the refused operator is named
    xgb.refresh_from_db()
    assert xgb.decision_rule == {} and xgb.derived
    rule = '{"==": [{"var": "data.student.school"}, "计算机学院"]}'
    saved = xgb_client.post(url, {**post, "decision_mode": "instant", "decision_rule": rule})
    assert saved.status_code == 302, saved.context["form"].errors
    xgb.refresh_from_db()
    assert xgb.decision_rule == {"==": [{"var": "data.student.school"}, "计算机学院"]}
    assert not xgb.derived  # re-importing the list will not overwrite it now


def _post(form) -> dict:
    """The edit form's plain fields as a browser posts them (the streams posted empty)."""
    data: dict = {}
    for bound in form:
        if bound.name in ("fields", "steps"):
            continue
        value = bound.value()
        if isinstance(value, (list, tuple)):
            data[bound.html_name] = [str(v) for v in value]
        elif isinstance(value, bool):
            if value:
                data[bound.html_name] = "on"
        elif value is not None:
            data[bound.html_name] = str(value)
    return {**data, "fields-count": "0", "steps-count": "0"}


def _field_block(index: int, *, key: str, label: str, kind: str = "text") -> dict:
    prefix = f"fields-{index}"
    value = f"{prefix}-value"
    return {
        f"{prefix}-type": "field", f"{prefix}-deleted": "", f"{prefix}-order": str(index),
        f"{value}-key": key, f"{value}-type": kind, f"{value}-label_zh": label,
        f"{value}-label_en": "", f"{value}-help_zh": "", f"{value}-help_en": "",
        f"{value}-required": "on", f"{value}-visible_when_field": "",
        f"{value}-visible_when_equals": "", f"{value}-choices-count": "0",
        f"{value}-min_value": "", f"{value}-max_value": "",
    }  # fmt: skip


def test_the_designer_refuses_a_field_for_drawn_data_and_a_bad_key(xgb_client, configurations):
    xgb, _jwc = configurations
    url = f"{LIST}edit/{xgb.pk}/"
    post = {**_post(xgb_client.get(url).context["form"]), "fields-count": "1"}
    drawn = xgb_client.post(url, {**post, **_field_block(0, key="school", label="学院")})
    assert drawn.status_code == 200
    assert "学院" in str(drawn.context["form"].errors["fields"])
    bad_key = xgb_client.post(url, {**post, **_field_block(0, key="Bad Key", label="备注")})
    assert bad_key.status_code == 200 and "fields" in bad_key.context["form"].errors
    xgb.refresh_from_db()
    assert [b.value["key"] for b in xgb.fields] == ["m1", "m2"]  # nothing saved
    good = xgb_client.post(url, {**post, **_field_block(0, key="note", label="备注")})
    assert good.status_code == 302
    xgb.refresh_from_db()
    assert [b.value["key"] for b in xgb.fields] == ["note"]
