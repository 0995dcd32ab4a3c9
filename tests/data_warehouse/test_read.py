"""The one read call plugins use: grant, consent, log — or a typed refusal and no log."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from data_warehouse.errors import MissingConsent, MissingGrant, UnknownItem, UnknownPerson
from data_warehouse.models import AccessLog
from data_warehouse.selectors import access_log_for_person, data_items_missing
from data_warehouse.services import grant_create, grant_revoke, warehouse_read
from tests.data_warehouse.conftest import HANDLER, ITEMS

pytestmark = pytest.mark.django_db(databases=["default", "warehouse"])


def _read(uid="2023010101", items=ITEMS, handler=HANDLER, application="APP-1"):
    return warehouse_read(
        person_uid=uid,
        item_keys=items,
        handler_key=handler,
        application_ref=application,
        purpose="开具在读证明",
        actor="plugin:" + handler,
    )


def test_read_returns_values_with_source_and_is_logged(consented):
    values = _read()
    assert values["person.name"].value == "张晓明"
    assert values["student.major"].value == "软件工程"
    assert values["student.major"].source == "教务系统"
    assert values["student.major"].as_of is not None
    assert values["student.status"].owner_office_code == "JWC"
    [entry] = access_log_for_person(person_uid="2023010101")
    assert entry.items == ITEMS
    assert (entry.handler_key, entry.application_ref) == (HANDLER, "APP-1")
    assert entry.actor == "plugin:" + HANDLER


def test_highly_sensitive_values_are_masked_unless_granted_unmasked(consented):
    values = _read()
    assert values["person.id_card_number"].value == "3301**********1234"
    assert values["person.id_card_number"].masked
    grant_create(
        handler_key=HANDLER,
        item_key="person.id_card_number",
        purpose="证书打印",
        granted_by="steward",
        unmasked=True,
    )
    assert _read()["person.id_card_number"].value == "330106200501011234"


def test_no_grant_no_data_and_no_log(consented):
    grant_revoke(handler_key=HANDLER, item_key="student.major")
    with pytest.raises(MissingGrant) as error:
        _read()
    assert error.value.keys == ["student.major"]
    assert not AccessLog.objects.exists()


def test_other_handler_has_no_grant(consented):
    with pytest.raises(MissingGrant):
        _read(handler="CWC.tuition_certificate")
    assert not AccessLog.objects.exists()


def test_no_consent_for_this_application(consented):
    with pytest.raises(MissingConsent):
        _read(application="APP-2")
    assert not AccessLog.objects.exists()


def test_consent_must_cover_every_item(student, granted):
    from data_warehouse.services import consent_record

    consent_record(
        person_uid=student.uid,
        handler_key=HANDLER,
        application_ref="APP-1",
        item_keys=ITEMS[:2],
        purpose="开具在读证明",
    )
    with pytest.raises(MissingConsent) as error:
        _read()
    assert error.value.keys == ITEMS[2:]


def test_unknown_item_and_person(consented):
    with pytest.raises(UnknownItem):
        _read(items=["student.favourite_colour"])
    with pytest.raises(UnknownPerson):
        _read(uid="nobody")
    assert not AccessLog.objects.exists()


def test_access_log_is_append_only(consented):
    _read()
    entry = AccessLog.objects.get()
    entry.purpose = "改写"
    with pytest.raises(PermissionDenied):
        entry.save()
    with pytest.raises(PermissionDenied):
        entry.delete()
    with pytest.raises(PermissionDenied):
        AccessLog.objects.all().delete()
    with pytest.raises(PermissionDenied):
        AccessLog.objects.update(purpose="x")
    assert AccessLog.objects.get().purpose == "开具在读证明"


def test_staff_items(teacher):
    keys = ["person.name", "staff.title", "staff.unit"]
    for key in keys:
        grant_create(
            handler_key="RSC.employment_certificate",
            item_key=key,
            purpose="在职证明",
            granted_by="steward",
        )
    from data_warehouse.services import consent_record

    consent_record(
        person_uid="T1001",
        handler_key="RSC.employment_certificate",
        application_ref="APP-9",
        item_keys=keys,
        purpose="在职证明",
    )
    values = warehouse_read(
        person_uid="T1001",
        item_keys=keys,
        handler_key="RSC.employment_certificate",
        application_ref="APP-9",
        purpose="在职证明",
        actor="x",
    )
    assert [values[k].value for k in keys] == ["李老师", "讲师", "人事处"]


def test_plugin_data_needs_are_checked_against_the_catalog():
    assert data_items_missing(keys=["student.major", "student.shoe_size"]) == ["student.shoe_size"]


def test_warehouse_tables_live_only_in_the_warehouse_database():
    from django.db import connections

    default_tables = connections["default"].introspection.table_names()
    warehouse_tables = connections["warehouse"].introspection.table_names()
    assert "data_warehouse_person" in warehouse_tables
    assert "data_warehouse_person" not in default_tables
    assert "wagtailcore_page" not in warehouse_tables


def test_a_read_touches_only_the_warehouse_database(consented):
    from django.db import connections
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connections["default"]) as default_queries:
        _read()
    assert default_queries.captured_queries == []
