"""The 105号 figures on small data sets whose answers are worked out by hand in each test."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from campus_portal.applications.models import HandlerBinding
from campus_portal.catalog.models import MatterPage
from campus_portal.catalog.selectors import pareto_head
from campus_portal.dashboard import rollups
from campus_portal.dashboard.selectors import (
    catalog_measures,
    catalog_published,
    dashboard_figures,
    event_measures,
    high_frequency_matters,
    rectification_counts,
    special_matters,
    target_status,
    zero_visit_matters_with_visits,
)
from campus_portal.dashboard.services import targets_load
from campus_portal.workdays.calendar import working_days_between
from tests.dashboard.conftest import at

AS_OF = date(2026, 11, 20)  # period 2025-12 … 2026-11
MARCH = (date(2026, 3, 1), date(2026, 3, 1))
pytestmark = pytest.mark.django_db


# --- high-frequency: the 80 % rule and its ties ----------------------------------------------


@pytest.mark.parametrize(
    ("counts", "head"),
    [
        # 50 + 30 = exactly 80 %: the head stops there, the tied 10s stay out together.
        ({"a": 50, "b": 30, "c": 10, "d": 10}, {"a", "b"}),
        # 40 + 30 = 70 % < 80 %: both 15s are tied at the boundary and go in together.
        ({"a": 40, "b": 30, "c": 15, "d": 15}, {"a", "b", "c", "d"}),
        # 50 < 80 before the tied 20s (both in), 90 ≥ 80 before the 10.
        ({"a": 50, "b": 20, "c": 20, "d": 10}, {"a", "b", "c"}),
        ({"a": 79, "b": 21}, {"a", "b"}),
        ({"a": 80, "b": 20}, {"a"}),
        ({"a": 0, "b": 0}, set()),
        ({"a": 10, "b": 0}, {"a"}),
    ],
)
def test_pareto_head_ties_at_the_boundary_are_decided_together(counts, head):
    assert pareto_head(counts) == head


def _year_of(history, counts: dict[str, int]) -> None:
    """One application in December 2025 (a full period of data), the rest in March 2026."""
    first = True
    for code, count in counts.items():
        for _ in range(count):
            month = "2025-12-01 10:00" if first else "2026-03-02 10:00"
            history.application(code, submitted=month)
            first = False


def test_high_frequency_from_application_counts_with_a_tie_at_80_percent(history):
    # 5 + 3 = 8 of 10 = exactly 80 %: the two tied 1s are out, whatever their codes.
    _year_of(history, {"SF-JWC-010": 5, "SF-XGB-001": 3, "SF-BWC-001": 1, "SF-BWC-002": 1})
    rollups.rollups_rebuild()
    result = high_frequency_matters(as_of=AS_OF)
    assert result.source == "applications"
    assert result.total == 10
    codes = {row["code"] for row in result.ranking if row["high_frequency"]}
    assert codes == {"SF-JWC-010", "SF-XGB-001"}
    top = result.ranking[:2]
    assert [(r["code"], r["count"], r["cumulative_share"]) for r in top] == [
        ("SF-JWC-010", 5, 0.5),
        ("SF-XGB-001", 3, 0.8),
    ]


def test_tied_matters_straddling_80_percent_are_both_high_frequency(history):
    # 4 + 3 = 7 of 10 < 80 %: the tied 1+1+1 straddle the boundary and all go in.
    _year_of(
        history,
        {"SF-JWC-010": 4, "SF-XGB-001": 3, "SF-BWC-001": 1, "SF-BWC-002": 1, "SF-BWC-004": 1},
    )
    rollups.rollups_rebuild()
    codes = {r["code"] for r in high_frequency_matters(as_of=AS_OF).ranking if r["high_frequency"]}
    assert codes == {"SF-JWC-010", "SF-XGB-001", "SF-BWC-001", "SF-BWC-002", "SF-BWC-004"}


def test_before_a_year_of_data_the_imported_volumes_decide(history):
    history.application("SF-BWC-001", submitted="2026-06-01 10:00")  # only half a year of data
    rollups.rollups_rebuild()
    result = high_frequency_matters(as_of=AS_OF)
    assert result.source == "last_year_volume"
    volumes = dict(MatterPage.objects.live().values_list("pk", "last_year_volume"))
    assert result.matter_ids == pareto_head(volumes)
    assert result.total == 548080  # the reference list's volumes (demo_data)


# --- catalog measures ------------------------------------------------------------------------

BWC = frozenset({"BWC"})


def test_catalog_measures_of_one_office_by_hand():
    # 保卫处's five matters: visits 1, 1, 2, 0, 0 · depth 2, 2, 2, 4, 4 · web+phone on 004, 005.
    # Two guides claim 全程网办, but none of the five takes an online application (no binding):
    # the online measures count what the platform accepts (tests/dashboard/test_online_measures).
    measures = catalog_measures(office_codes=BWC)
    assert {key: (m["numerator"], m["denominator"]) for key, m in measures.items()} == {
        "share_at_most_one_visit": (4, 5),
        "share_online_application": (0, 5),
        "share_fully_online": (0, 5),
        "share_online_and_mobile": (2, 5),
    }
    assert measures["share_at_most_one_visit"]["value"] == 0.8
    assert catalog_published(office_codes=BWC) == {"numerator": 5, "denominator": 5, "value": 1.0}


def test_a_special_matter_is_excluded_and_listed_with_its_reason():
    MatterPage.objects.filter(code="SF-BWC-003").update(
        special_requirements=True, special_requirements_reason="须本人到场"
    )
    measures = catalog_measures(office_codes=BWC)
    assert measures["share_at_most_one_visit"] == {"numerator": 4, "denominator": 4, "value": 1.0}
    assert measures["share_online_application"]["denominator"] == 4
    assert special_matters(office_codes=BWC) == [
        {"code": "SF-BWC-003", "name": "集体户口借用", "office": "BWC", "reason": "须本人到场"}
    ]


def test_a_special_matter_needs_a_reason():
    from django.core.exceptions import ValidationError

    matter = MatterPage.objects.get(code="SF-BWC-003")
    matter.special_requirements = True
    with pytest.raises(ValidationError) as error:
        matter.clean()
    assert "special_requirements_reason" in error.value.message_dict


def test_high_frequency_scope_counts_only_those_matters():
    HandlerBinding.objects.create(
        matter=MatterPage.objects.get(code="SF-BWC-004"), handler_key="xgb.student_leave"
    )
    ids = frozenset(
        MatterPage.objects.filter(code__in=["SF-BWC-003", "SF-BWC-004"]).values_list(
            "pk", flat=True
        )
    )
    measures = catalog_measures(matter_ids=ids)
    assert measures["share_fully_online"] == {"numerator": 1, "denominator": 2, "value": 0.5}


# --- event measures --------------------------------------------------------------------------


def _march(history) -> None:
    """Four applications completed in March 2026 plus one still in progress and one closed
    without a decision (neither is completed)."""
    # Mon 2 → Thu 5 March: 3 working days, 0 visits, very satisfied.
    history.application(
        "SF-JWC-010",
        submitted="2026-03-02 09:00",
        decided="2026-03-05 10:00",
        score=5,
        rated="2026-03-06 09:00",
    )
    # Mon 2 → Thu 5: 3 days, 1 visit, satisfied.
    history.application(
        "SF-JWC-010",
        submitted="2026-03-02 09:00",
        decided="2026-03-05 11:00",
        visits=1,
        score=4,
        rated="2026-03-06 09:00",
    )
    # Mon 2 → Mon 9: 5 days, 2 visits, late, dissatisfied with an overdue rectification.
    history.application(
        "SF-XGB-001",
        submitted="2026-03-02 09:00",
        decided="2026-03-09 11:00",
        visits=2,
        late=True,
        score=2,
        rated="2026-03-10 09:00",
        rectification_due="2026-03-17 17:00",
    )
    # Mon 2 → Mon 16: 10 days, 1 visit, rejected, not rated.
    history.application(
        "SF-XGB-001",
        submitted="2026-03-02 09:00",
        decided="2026-03-16 11:00",
        visits=1,
        state="rejected",
    )
    history.application("SF-XGB-001", submitted="2026-03-20 09:00")  # in progress
    history.application("SF-XGB-001", submitted="2026-03-20 09:00", state="closed")  # not accepted


def test_event_measures_by_hand(history):
    _march(history)
    rollups.rollups_rebuild()
    figures = event_measures(start=MARCH[0], end=MARCH[1])
    assert figures == {
        "submitted": 6,
        "completed": 4,
        "realization_rate": 0.75,  # 3 of 4 needed at most one visit
        "realization_numerator": 3,
        "on_time_rate": 0.75,
        "late": 1,
        "extended": 0,
        "average_days": 5.25,  # (3 + 3 + 5 + 10) / 4
        "p90_days": 10,  # nearest rank: ⌈0.9 × 4⌉ = 4th of 3, 3, 5, 10
        "rated": 3,
        "satisfaction_share": 0.6667,  # 满意 + 非常满意: 2 of 3
    }
    xgb = event_measures(start=MARCH[0], end=MARCH[1], office_codes=frozenset({"XGB"}))
    assert (xgb["completed"], xgb["realization_rate"], xgb["p90_days"]) == (2, 0.5, 10)


def test_an_approved_extension_counts_as_on_time_and_is_counted(history):
    # Finished within its extended due time: on time, and one of the extended ones.
    history.application(
        "SF-XGB-001", submitted="2026-03-02 09:00", decided="2026-03-10 11:00", extended_days=2
    )
    # Extended, yet finished after the extended due time: late, and extended too.
    history.application(
        "SF-XGB-001",
        submitted="2026-03-02 09:00",
        decided="2026-03-12 11:00",
        late=True,
        extended_days=1,
    )
    history.application("SF-XGB-001", submitted="2026-03-02 09:00", decided="2026-03-03 11:00")
    rollups.rollups_rebuild()
    figures = event_measures(start=MARCH[0], end=MARCH[1])
    assert (figures["completed"], figures["late"], figures["extended"]) == (3, 1, 2)
    assert figures["on_time_rate"] == 0.6667


def test_handling_days_follow_the_holiday_calendar(history):
    # Wed 30 Sep → Fri 9 Oct 2026: the National Day holidays do not count.
    application = history.application(
        "SF-JWC-010", submitted="2026-09-30 09:00", decided="2026-10-09 16:00"
    )
    rollups.rollups_rebuild()
    expected = working_days_between(application.submitted_at, application.decided_at)
    assert expected == 2
    october = date(2026, 10, 1)
    assert event_measures(start=october, end=october)["average_days"] == expected


def test_zero_visit_matters_with_visits_are_flagged(history):
    history.application("SF-JWC-010", submitted="2026-03-02 09:00", visits=1)  # promises 0
    history.application("SF-BWC-001", submitted="2026-03-02 09:00", visits=1)  # promises 1
    rollups.rollups_rebuild()
    flags = zero_visit_matters_with_visits(start=MARCH[0], end=MARCH[1])
    assert [(f["code"], f["with_visits"], f["submitted"]) for f in flags] == [("SF-JWC-010", 1, 1)]


def test_rectifications_open_and_overdue(history):
    history.application(
        "SF-JWC-010",
        submitted="2026-03-02 09:00",
        decided="2026-03-03 09:00",
        score=1,
        rectification_due="2026-03-10 17:00",
    )
    history.application(
        "SF-XGB-001",
        submitted="2026-03-02 09:00",
        decided="2026-03-03 09:00",
        score=2,
        rectification_due="2026-04-10 17:00",
    )
    now = at("2026-04-01 12:00")
    assert rectification_counts(now=now) == {"open": 2, "overdue": 1}
    assert rectification_counts(now=now, office_codes=frozenset({"XGB"})) == {
        "open": 1,
        "overdue": 0,
    }


# --- targets ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "due", "falling", "status"),
    [
        (0.8, date(2019, 6, 30), False, "met"),
        (0.79, date(2019, 6, 30), False, "not_met"),  # past due
        (0.79, date(2027, 2, 1), False, "at_risk"),  # due within 90 days of as-of
        (0.79, date(2027, 6, 1), False, "not_met"),
        (0.79, date(2027, 6, 1), True, "at_risk"),  # trend falling
        (None, date(2027, 2, 1), False, "at_risk"),
    ],
)
def test_target_status(value, due, falling, status):
    assert (
        target_status(
            value=value, goal=Decimal("0.80"), due=due, as_of=date(2026, 12, 2), falling=falling
        )
        == status
    )


def test_targets_from_the_yaml_with_current_values():
    assert targets_load() == 8
    assert targets_load() == 0  # idempotent
    figures = dashboard_figures(as_of=date(2026, 12, 2))
    by_text = {t["text"]: t for t in figures["targets"]}
    all_matters = by_text['80%以上的校务服务事项实现"最多跑一次"']
    assert all_matters["value"] == 0.99  # 99 of the 100 reference matters need ≤ 1 visit
    assert all_matters["status"] == "met"
    assert by_text['全部校务服务事项实现"最多跑一次"']["status"] == "not_met"  # 2019, 0.99 < 1
    assert by_text["全面梳理公布校务服务事项清单"]["status"] == "met"
