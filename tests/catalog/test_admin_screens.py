"""The admin screens administrators and editors use render, and the page editor saves guides."""

from __future__ import annotations

import pytest
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from campus_portal.catalog.models import MatterPage

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    [
        "/admin/",
        "/admin/catalog/import/",
        "/admin/catalog/reports/",
        "/admin/snippets/catalog/office/",
        "/admin/snippets/catalog/poweritem/",
        "/admin/snippets/catalog/audience/",
        "/admin/snippets/catalog/topic/",
        "/admin/snippets/catalog/searchsynonym/",
    ],
)
def test_admin_screens_render(client, admin_user, path):
    client.force_login(admin_user)
    assert client.get(path).status_code == 200


def test_page_editor_opens_a_guide(client, admin_user):
    client.force_login(admin_user)
    matter = MatterPage.objects.get(code="SF-JWC-001")
    html = client.get(f"/admin/pages/{matter.pk}/edit/").content.decode()
    assert "承诺时限" in html and "网上办理深度" in html


def _edit_form(matter: MatterPage, **changes) -> dict:
    data = {
        "title": matter.title,
        "slug": matter.slug,
        "code": matter.code,
        "matter_type": matter.matter_type,
        "matter_name": matter.matter_name,
        "sub_item": matter.sub_item,
        "legal_time_limit": matter.legal_time_limit,
        "promised_time_limit": matter.promised_time_limit,
        "visits_required": matter.visits_required,
        "online_depth": matter.online_depth,
        "materials": inline_formset([]),
        "faqs": inline_formset([{"question": "要多久？", "answer": "即时出具。"}]),
        "action-publish": "publish",
    }
    data.update(changes)
    form = nested_form_data(data)
    # Multiple-choice fields are posted as repeated keys, which nested_form_data cannot express.
    form["audiences"] = [a.pk for a in matter.audiences.all()]
    form["topics"] = [t.pk for t in matter.topics.all()]
    form["channels"] = matter.channels
    form["delivery_modes"] = matter.delivery_modes
    return form


def test_editor_publishes_a_change(client, admin_user):
    client.force_login(admin_user)
    matter = MatterPage.objects.get(code="SF-JWC-001")
    response = client.post(f"/admin/pages/{matter.pk}/edit/", _edit_form(matter))
    assert response.status_code == 302, response.content.decode()[:2000]
    matter.refresh_from_db()
    assert [f.question for f in matter.faqs.all()] == ["要多久？"]


def test_editor_cannot_break_the_rules(client, admin_user):
    client.force_login(admin_user)
    matter = MatterPage.objects.get(code="SF-JWC-001")
    response = client.post(
        f"/admin/pages/{matter.pk}/edit/",
        _edit_form(matter, promised_time_limit=9, visits_required=2),
    )
    assert response.status_code == 200  # the form comes back with errors
    matter.refresh_from_db()
    assert (matter.promised_time_limit, matter.visits_required) == (0, 0)


def test_power_items_are_read_only_even_for_superusers(client, admin_user):
    from campus_portal.catalog.models import PowerItem

    client.force_login(admin_user)
    item = PowerItem.objects.get(code="SF-JWC-001")
    assert client.get(f"/admin/snippets/catalog/poweritem/inspect/{item.pk}/").status_code == 200
    for path in (
        "/admin/snippets/catalog/poweritem/add/",
        f"/admin/snippets/catalog/poweritem/edit/{item.pk}/",
        f"/admin/snippets/catalog/poweritem/delete/{item.pk}/",
    ):
        assert client.get(path).status_code in (302, 403), path
    response = client.post(f"/admin/snippets/catalog/poweritem/delete/{item.pk}/")
    assert response.status_code in (302, 403)
    assert PowerItem.objects.filter(pk=item.pk).exists()
