"""Bad rows: one message per problem naming row and column, and nothing imported."""

from __future__ import annotations

import pytest
from django.utils.translation import override

from campus_portal.catalog.models import MatterPage, Office, PowerItem
from campus_portal.catalog.services import power_list_import
from tests.conftest import rows_to_csv, sample_rows

pytestmark = pytest.mark.django_db


def _problems(rows, **kwargs):
    plan = power_list_import(data=rows_to_csv(rows, **kwargs), filename="bad.csv", dry_run=False)
    assert not plan.ok
    return {(p.row, p.column): p.message for p in plan.problems}


def _assert_nothing_imported():
    assert not PowerItem.objects.filter(code__startswith="T-NEW").exists()
    assert not MatterPage.objects.filter(code__startswith="T-NEW").exists()
    assert not Office.objects.filter(code="TXB").exists()


@pytest.mark.parametrize(
    ("column", "value", "fragment"),
    [
        ("法定时限（工作日）", "三", "number"),
        ("承诺时限（工作日）", "2.5", "whole number"),
        ("网上办理深度", "5", "between 1 and 4"),
        ("网上办理深度", "0", "between 1 and 4"),
        ("上年度办件量", "-20", "negative"),
        ("事项类型", "许可", "matter type"),
        ("服务对象", "博士后", "audience"),
        ("办理渠道", "飞鸽传书", "channel"),
        ("事项名称", "   ", "empty"),
        ("是否收费", "也许", "是"),
    ],
)
@override("en")
def test_bad_cell_is_reported_by_row_and_column(column, value, fragment):
    rows = sample_rows(3)
    rows[1][column] = value
    problems = _problems(rows)
    assert (3, column) in problems  # header is row 1, so the second data row is row 3
    assert fragment.lower() in problems[(3, column)].lower()
    _assert_nothing_imported()


@override("en")
def test_every_problem_of_the_file_is_listed_at_once():
    rows = sample_rows(4)
    rows[0]["网上办理深度"] = "4"
    rows[0]["到现场次数"] = "1"  # depth 4 requires 0 visits
    rows[1]["承诺时限（工作日）"] = "9"
    rows[1]["法定时限（工作日）"] = "3"  # promised > legal
    rows[2]["事项编码"] = rows[3]["事项编码"]  # duplicate code
    rows[3]["责任部门"] = "另一个名字"  # same office code, other name
    problems = _problems(rows)
    assert (2, "到现场次数") in problems
    assert (3, "承诺时限（工作日）") in problems
    assert "row 4" in problems[(5, "事项编码")]
    assert (5, "责任部门") in problems
    _assert_nothing_imported()


def test_full_width_digits_and_stray_spaces_are_accepted():
    rows = sample_rows(2)
    rows[0]["法定时限（工作日）"] = "１５"
    rows[0]["承诺时限（工作日）"] = " 7 "
    rows[0]["事项名称"] = "　学籍异动办理　"
    rows[0]["部门编码"] = " ｔｘｂ "
    rows[1]["部门编码"] = "TXB"
    plan = power_list_import(data=rows_to_csv(rows), filename="ok.csv", dry_run=False)
    assert plan.ok, plan.problems
    item = PowerItem.objects.get(code="T-NEW-001")
    assert (item.legal_time_limit, item.promised_time_limit) == (15, 7)
    assert item.name == "学籍异动办理"
    assert item.office.code == "TXB"


def test_blank_rows_are_ignored():
    rows = sample_rows(2)
    blank = {key: "" for key in rows[0]}
    plan = power_list_import(
        data=rows_to_csv([rows[0], blank, blank, rows[1]]), filename="gaps.csv", dry_run=True
    )
    assert plan.ok
    assert plan.created == ["T-NEW-001", "T-NEW-002"]


def test_wrong_encoding_imports_nothing():
    plan = power_list_import(data=b"\x81\xff" * 200, filename="x.csv", dry_run=False)
    assert not plan.ok
    _assert_nothing_imported()


def test_failure_half_way_rolls_everything_back(monkeypatch):
    """A crash while applying (after some pages exist) leaves no trace of the file."""
    from campus_portal.catalog import services

    real = services.matter_pages_create
    calls = {"n": 0}

    def crash_on_second_office(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("disk full")
        return real(*args, **kwargs)

    rows = sample_rows(4)
    for row in rows[2:]:
        row["部门编码"], row["责任部门"] = "TXC", "测试学院C"
    monkeypatch.setattr(services, "matter_pages_create", crash_on_second_office)
    with pytest.raises(RuntimeError):
        power_list_import(data=rows_to_csv(rows), filename="x.csv", dry_run=False)
    assert calls["n"] == 2  # the first office's pages had been created
    _assert_nothing_imported()
    assert not Office.objects.filter(code="TXC").exists()


@override("en")
def test_codes_that_share_a_web_address_are_reported():
    rows = sample_rows(2)
    rows[0]["事项编码"] = "T-NEW.1"
    rows[1]["事项编码"] = "T-NEW1"
    problems = _problems(rows)
    assert "same web address as T-NEW.1" in problems[(3, "事项编码")]
    _assert_nothing_imported()


@override("en")
def test_code_clashing_with_an_existing_address_is_reported():
    rows = sample_rows(1)
    rows[0]["事项编码"] = "SF-JWC-0.01"  # slug sf-jwc-001, taken by SF-JWC-001
    rows[0]["部门编码"], rows[0]["责任部门"] = "JWC", "教务处"
    plan = power_list_import(data=rows_to_csv(rows), filename="x.csv", dry_run=True)
    assert [p.row for p in plan.problems] == [2]
    assert "SF-JWC-001" in plan.problems[0].message
