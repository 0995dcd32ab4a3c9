"""Working days on the Chinese public-holiday calendar (调休 included) and due dates.

The dates below are the State Council's notices as carried by chinesecalendar 1.11.0:
National Day 2025 is 1–8 October with Sunday 28 September and Saturday 11 October worked;
Spring Festival 2025 is 28 January–4 February with Sunday 26 January and Saturday 8 February
worked; National Day 2024 is 1–7 October with Sunday 29 September and Saturday 12 October
worked.
"""

from __future__ import annotations

import logging
import uuid
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import chinese_calendar
import pytest
from django.core.cache import cache

from campus_portal.workdays import calendar
from campus_portal.workdays.calendar import (
    add_working_days,
    is_working_day,
    library_covers,
    next_working_day,
    uncovered_years,
    working_days_between,
)
from campus_portal.workdays.models import CalendarOverride

pytestmark = pytest.mark.django_db

SH = ZoneInfo("Asia/Shanghai")
# A year no version of the library will cover: the Monday–Friday fallback.
FAR = 2099


def at(y: int, m: int, d: int, hour: int = 10) -> datetime:
    return datetime(y, m, d, hour, tzinfo=SH)


def end(y: int, m: int, d: int) -> datetime:
    return datetime(y, m, d, 23, 59, 59, 999999, tzinfo=SH)


ADJUSTED_WORKING_WEEKENDS = [
    date(2024, 2, 4),  # Sunday before Spring Festival 2024
    date(2024, 9, 29),  # Sunday before National Day 2024
    date(2024, 10, 12),  # Saturday after National Day 2024
    date(2025, 1, 26),  # Sunday before Spring Festival 2025
    date(2025, 2, 8),  # Saturday after Spring Festival 2025
    date(2025, 9, 28),  # Sunday before National Day 2025
    date(2025, 10, 11),  # Saturday after National Day 2025
]


@pytest.mark.parametrize("day", ADJUSTED_WORKING_WEEKENDS, ids=str)
def test_adjusted_weekend_days_are_working_days(day):
    assert day.weekday() >= 5
    assert chinese_calendar.is_workday(day)  # the library agrees: these are real 调休 days
    assert is_working_day(day)


@pytest.mark.parametrize(
    "day",
    [
        *[date(2025, 10, d) for d in range(1, 9)],  # National Day 2025, incl. Wed 8 October
        *[date(2025, 1, 28) + timedelta(days=n) for n in range(8)],  # Spring Festival 2025
        date(2024, 10, 7),  # Monday, last day of National Day 2024
        date(2025, 1, 1),
        date(2025, 5, 5),  # Labour Day 2025, a Monday
    ],
    ids=str,
)
def test_public_holidays_are_not_working_days(day):
    assert not is_working_day(day)


def test_ordinary_weekdays_and_weekends():
    assert is_working_day(date(2025, 11, 24))  # Monday
    assert not is_working_day(date(2025, 11, 22))  # Saturday
    assert not is_working_day(date(2025, 11, 23))  # Sunday


def test_library_coverage_of_the_pinned_version():
    assert all(library_covers(year) for year in range(2004, 2027))
    assert not library_covers(2003)
    assert not library_covers(FAR)


def test_due_date_is_the_end_of_the_nth_working_day_after_the_start_day():
    due = add_working_days(at(2025, 11, 24), 3)  # Monday
    assert due == end(2025, 11, 27)  # Thursday: Tuesday is day 1
    assert due.tzinfo is not None and due.utcoffset() == timedelta(hours=8)


def test_due_date_across_the_national_day_week():
    # Tuesday 30 September: day 1 is Thursday 9 October, the holiday week is skipped.
    assert add_working_days(at(2025, 9, 30), 1) == end(2025, 10, 9)
    # 9, 10 and then Saturday 11 October, an adjusted working day.
    assert add_working_days(at(2025, 9, 30), 3) == end(2025, 10, 11)
    assert add_working_days(at(2025, 9, 30), 4) == end(2025, 10, 13)
    # 2024: Monday 30 September + 1 is Tuesday 8 October.
    assert add_working_days(at(2024, 9, 30), 1) == end(2024, 10, 8)


def test_due_date_across_an_adjusted_working_weekend():
    # Friday 26 September 2025: day 1 is Sunday 28 September (调休), day 2 Monday 29.
    assert add_working_days(at(2025, 9, 26), 1) == end(2025, 9, 28)
    assert add_working_days(at(2025, 9, 26), 2) == end(2025, 9, 29)
    # Spring Festival 2025: Friday 24 January → Sunday 26 → Monday 27 → Saturday 8 February.
    assert add_working_days(at(2025, 1, 24), 1) == end(2025, 1, 26)
    assert add_working_days(at(2025, 1, 24), 3) == end(2025, 2, 5)
    assert add_working_days(at(2025, 1, 24), 6) == end(2025, 2, 8)


def test_a_start_on_a_non_working_day_counts_from_the_next_working_day():
    # Friday 3 October 2025 is a holiday: day 1 is Thursday 9 October.
    assert add_working_days(at(2025, 10, 3), 1) == end(2025, 10, 9)
    # Saturday and Friday evening give the same due date.
    assert add_working_days(at(2025, 11, 22), 1) == end(2025, 11, 24)
    assert add_working_days(at(2025, 11, 21, 20), 1) == end(2025, 11, 24)


def test_the_start_is_read_in_beijing_time():
    # 17:00 UTC on 30 September is 01:00 on 1 October in Beijing: a holiday.
    start = datetime(2025, 9, 30, 17, tzinfo=ZoneInfo("UTC"))
    assert add_working_days(start, 1) == end(2025, 10, 9)
    assert add_working_days(start, 0) == end(2025, 10, 9)


def test_zero_days_negative_days_and_naive_datetimes():
    assert add_working_days(at(2025, 11, 24), 0) == end(2025, 11, 24)
    assert add_working_days(at(2025, 10, 1), 0) == end(2025, 10, 9)
    with pytest.raises(ValueError):
        add_working_days(at(2025, 11, 24), -1)
    with pytest.raises(ValueError):
        add_working_days(datetime(2025, 11, 24, 10), 1)


def test_due_dates_run_across_years():
    # 2024-12-31 + 1: 1 January is a holiday → Thursday 2 January 2025.
    assert add_working_days(at(2024, 12, 31), 1) == end(2025, 1, 2)
    # A long limit counts whole years correctly (250 working days in 2025).
    in_2025 = sum(1 for n in range(365) if is_working_day(date(2025, 1, 1) + timedelta(days=n)))
    assert add_working_days(at(2024, 12, 31), in_2025) == end(2025, 12, 31)


def test_next_working_day():
    assert next_working_day(date(2025, 9, 30)) == date(2025, 10, 9)
    assert next_working_day(date(2025, 9, 26)) == date(2025, 9, 28)
    assert next_working_day(date(2025, 12, 31)) == date(2026, 1, 4)  # 1–3 Jan off, Sunday 4 worked


def test_working_days_between():
    assert working_days_between(at(2025, 9, 30), at(2025, 9, 30, 18)) == 0
    assert working_days_between(at(2025, 9, 30), at(2025, 10, 8)) == 0  # the holiday week
    assert working_days_between(at(2025, 9, 30), at(2025, 10, 9, 9)) == 1
    assert working_days_between(at(2025, 9, 26), at(2025, 10, 13)) == 7  # 28-30, 9-11, 13
    assert working_days_between(at(2025, 10, 13), at(2025, 9, 26)) == -7
    assert working_days_between(at(2024, 12, 31), at(2025, 1, 2)) == 1


@pytest.mark.parametrize("start", [at(2025, 9, 26), at(2025, 10, 3), at(2024, 12, 20)], ids=str)
@pytest.mark.parametrize("days", [1, 3, 7, 15, 30])
def test_working_days_between_undoes_add_working_days(start, days):
    assert working_days_between(start, add_working_days(start, days)) == days


def test_a_paused_clock_resumes_with_the_remaining_days():
    # 5 working days from Monday 22 September 2025; paused for 补正 on Tuesday 23 (1 day used);
    # resumed on Thursday 9 October: 4 days remain → 10, 11 (调休), 13, 14 October.
    accepted, paused, resumed = at(2025, 9, 22), at(2025, 9, 23), at(2025, 10, 9)
    used = working_days_between(accepted, paused)
    assert used == 1
    assert add_working_days(resumed, 5 - used) == end(2025, 10, 14)


def test_an_override_wins_and_empties_the_cache():
    assert add_working_days(at(2025, 9, 30), 1) == end(2025, 10, 9)  # fills the cache
    closure = CalendarOverride.objects.create(
        date=date(2025, 10, 9), is_working_day=False, note="校庆闭校"
    )
    assert not is_working_day(date(2025, 10, 9))
    assert add_working_days(at(2025, 9, 30), 1) == end(2025, 10, 10)
    # A working override on a library holiday.
    CalendarOverride.objects.create(date=date(2025, 10, 8), is_working_day=True, note="补班")
    assert add_working_days(at(2025, 9, 30), 1) == end(2025, 10, 8)
    CalendarOverride.objects.filter(date=date(2025, 10, 8)).delete()
    closure.delete()
    assert add_working_days(at(2025, 9, 30), 1) == end(2025, 10, 9)
    # Editing a row also empties the cache.
    closure = CalendarOverride.objects.create(date=date(2025, 10, 9), is_working_day=False)
    assert not is_working_day(date(2025, 10, 9))
    closure.is_working_day = True
    closure.save()
    assert is_working_day(date(2025, 10, 9))


def test_the_cache_serves_without_queries(django_assert_num_queries):
    add_working_days(at(2025, 9, 30), 30)
    with django_assert_num_queries(0):
        for n in range(200):
            add_working_days(at(2025, 1, 1) + timedelta(days=n), 20)
            working_days_between(at(2025, 1, 1), at(2025, 1, 1) + timedelta(days=n))


def test_other_processes_learn_of_a_change_through_the_shared_version(monkeypatch):
    assert is_working_day(date(2025, 10, 9))
    # A row written by another process: no signal reaches this one.
    CalendarOverride.objects.bulk_create(
        [CalendarOverride(date=date(2025, 10, 9), is_working_day=False)]
    )
    assert is_working_day(date(2025, 10, 9))  # still the cached year
    cache.set(calendar.VERSION_CACHE_KEY, uuid.uuid4().hex, None)  # their signal handler
    monkeypatch.setattr(calendar._sync, "checked_at", float("-inf"))
    assert not is_working_day(date(2025, 10, 9))


def test_an_uncovered_year_falls_back_to_monday_to_friday_and_is_reported(caplog):
    assert uncovered_years([2025, FAR, FAR + 1]) == [FAR, FAR + 1]
    with caplog.at_level(logging.WARNING, logger="campus_portal.workdays.calendar"):
        assert is_working_day(date(FAR, 1, 1))  # a Thursday; really New Year's Day
    assert f"holiday calendar of {FAR} is not known" in caplog.text
    assert not is_working_day(date(FAR, 1, 3))  # Saturday
    assert add_working_days(at(FAR, 1, 2), 1) == end(FAR, 1, 5)


def test_the_notice_entered_as_overrides_covers_an_uncovered_year():
    CalendarOverride.objects.bulk_create(
        [
            CalendarOverride(date=date(FAR, 1, 1), is_working_day=False, note="元旦"),
            CalendarOverride(date=date(FAR, 1, 2), is_working_day=False, note="元旦"),
            CalendarOverride(date=date(FAR, 1, 4), is_working_day=True, note="元旦调休"),
        ]
    )
    assert uncovered_years([FAR, FAR + 1]) == [FAR + 1]
    assert not is_working_day(date(FAR, 1, 1))
    assert is_working_day(date(FAR, 1, 4))  # Sunday
    assert add_working_days(at(FAR - 1, 12, 31), 1) == end(FAR, 1, 4)
