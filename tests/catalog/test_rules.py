"""The guide rules hold for every path: model validation and the database itself."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from campus_portal.catalog.models import MatterPage, PowerItem

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("field", "value"),
    [("promised_time_limit", 9), ("visits_required", 1), ("online_depth", 5)],
)
def test_database_refuses_a_broken_guide(field, value):
    matter = MatterPage.objects.get(code="SF-JWC-001")  # legal 3, depth 4, 0 visits
    with pytest.raises(IntegrityError), transaction.atomic():
        MatterPage.objects.filter(pk=matter.pk).update(**{field: value})


def test_database_refuses_a_broken_power_item():
    with pytest.raises(IntegrityError), transaction.atomic():
        PowerItem.objects.filter(code="SF-JWC-001").update(promised_time_limit=10)


def test_editor_validation_names_the_field():
    matter = MatterPage.objects.get(code="SF-JWC-001")
    matter.promised_time_limit = 4
    matter.visits_required = 2
    with pytest.raises(ValidationError) as error:
        matter.full_clean()
    assert {"promised_time_limit", "visits_required"} <= set(error.value.message_dict)


def test_visit_labels():
    labels = {
        m.code: m.visit_label
        for m in MatterPage.objects.filter(code__in=["SF-JWC-001", "SF-JWC-005", "SF-BWC-003"])
    }
    assert labels["SF-JWC-001"] in ("一次不用跑", "No visit needed")
    assert labels["SF-JWC-005"] in ("最多跑一次", "At most one visit")
    assert "2" in labels["SF-BWC-003"]
