"""The kiosk lists a configured matter only while its published form has no upload slot (the
kiosk has no scanner): it asks the handler for the matter's form, not a class attribute."""

from __future__ import annotations

import pytest

from campus_portal.catalog.models import MatterPage
from campus_portal.matter_config.services import configuration_derive, configuration_publish
from hall_kiosk.selectors import kiosk_matters
from tests.applications.conftest import make_user

pytestmark = pytest.mark.django_db(databases=["default", "warehouse"])
CODE = "SF-XGB-003"


def test_upload_slots_keep_a_configured_matter_off_the_kiosk():
    from data_warehouse.services import grant_create

    for key in ("person.name", "student.number", "student.school"):
        grant_create(handler_key="config.generic", item_key=key, purpose="t", granted_by="t")
    make_user("kiosk-xgb-staff", roles=[("office_staff", "XGB")])
    matter = MatterPage.objects.get(code=CODE)
    MatterPage.objects.filter(pk=matter.pk).update(channels=[*(matter.channels or []), "kiosk"])
    configuration = configuration_derive(matter=matter)
    assert any(block.block_type == "upload" for block in configuration.fields)
    configuration_publish(configuration=configuration, user="t")
    assert CODE not in [m.code for m in kiosk_matters()]

    configuration.fields = [
        (b.block_type, dict(b.value)) for b in configuration.fields if b.block_type != "upload"
    ]
    configuration.save()
    configuration_publish(configuration=configuration, user="t")
    assert CODE in [m.code for m in kiosk_matters()]
