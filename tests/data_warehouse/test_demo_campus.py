"""The synthetic demo campus: well-formed, Chinese, loaded once."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.core.management import call_command

from data_warehouse.demo_campus import fictitious_id, id_check_digit
from data_warehouse.models import Person, StaffRecord, StudentRecord

pytestmark = pytest.mark.django_db(databases=["default", "warehouse"])


def test_check_digit_of_a_published_example():
    assert id_check_digit("11010519491231002") == "X"  # the standard's own example


def test_fictitious_ids_are_well_formed():
    rng = random.Random(1)  # noqa: S311 - reproducible test data
    number = fictitious_id(rng, dt.date(2005, 1, 2), male=True)
    assert len(number) == 18 and number[6:14] == "20050102"
    assert int(number[16]) % 2 == 1  # odd sequence digit: male
    assert number[17] == id_check_digit(number[:17])


def test_demo_campus_loads_once(capsys):
    call_command("warehouse_load_demo", "--students", "50", "--staff", "10")
    assert StudentRecord.objects.filter(person__uid__startswith="DEMO-S").count() == 50
    assert StaffRecord.objects.filter(person__uid__startswith="DEMO-T").count() == 10
    person = Person.objects.get(uid="DEMO-S00000")
    assert "\u4e00" <= person.name[0] <= "\u9fff"
    call_command("warehouse_load_demo", "--students", "50", "--staff", "10")
    assert "already there" in capsys.readouterr().out
    assert Person.objects.filter(uid__startswith="DEMO").count() == 60
