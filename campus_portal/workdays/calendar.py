"""Working days on the Chinese public-holiday calendar, and due dates counted in them.

Promised time limits (承诺时限) of school-affairs matters are counted in working days. A
working day is decided, in this order:

1. a ``CalendarOverride`` row for that date (entered by an administrator: the State Council's
   notice for a year the library does not know yet, or a campus-specific closure);
2. the library ``chinesecalendar``, which carries the State Council's notices year by year,
   including the weekend days that become working days (调休) — a plain Monday–Friday rule
   would get those wrong several times a year;
3. for a year the library does not cover: Monday to Friday. Such a year is reported: a warning
   in the log when it is first used, ``uncovered_years()``, and the system check
   ``workdays.W001``.

Counting convention (the usual one for administrative time limits, 期限从次日起算): the day an
application arrives is not counted. Day 1 is the first working day *after* the start's date, so
a start on a weekend or holiday counts from the next working day, and an application that
arrives on Friday evening and one that arrives on Saturday have the same due date. A due date
is the end of its last working day, 23:59:59.999999 in Beijing time (Asia/Shanghai), whatever
the server's time zone, because the calendar is the mainland's.

Speed: the working days of a year are computed once (one query for that year's overrides, 366
library look-ups) and kept per process. Saving or deleting an override empties that cache in
the process that saved it and bumps a version in Django's cache; other processes (web workers,
Celery) compare that version at most every ``VERSION_RECHECK_SECONDS`` and refill on change.
"""

from __future__ import annotations

import bisect
import logging
import threading
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as clock_time
from functools import cache, lru_cache
from zoneinfo import ZoneInfo

import chinese_calendar

from campus_portal.workdays.models import CalendarOverride

logger = logging.getLogger(__name__)

# The calendar is Beijing time's, independent of settings.TIME_ZONE.
CALENDAR_TZ = ZoneInfo("Asia/Shanghai")
END_OF_DAY = clock_time.max  # 23:59:59.999999
VERSION_CACHE_KEY = "workdays:calendar-version"
VERSION_RECHECK_SECONDS = 30.0


@dataclass(frozen=True)
class _Year:
    """The working days of one year, sorted (for counting) and as a set (for membership)."""

    year: int
    days: tuple[date, ...]
    members: frozenset[date]

    def count_until(self, day: date) -> int:
        """Working days of this year on or before ``day``."""
        return bisect.bisect_right(self.days, day)


# --- library coverage -------------------------------------------------------------------------


@cache
def library_covers(year: int) -> bool:
    """Whether ``chinesecalendar`` knows the holiday notice of ``year``.

    The library raises NotImplementedError outside its years; asking it is the only public way
    to learn its range, and the answer cannot change while the process runs.
    """
    try:
        chinese_calendar.is_workday(date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def _override_map(year: int) -> dict[date, bool]:
    rows = CalendarOverride.objects.filter(
        date__gte=date(year, 1, 1), date__lte=date(year, 12, 31)
    ).values_list("date", "is_working_day")
    return dict(rows)


def _years_with_overrides(years: Iterable[int]) -> set[int]:
    years = sorted(set(years))
    if not years:
        return set()
    dates = CalendarOverride.objects.filter(
        date__gte=date(years[0], 1, 1), date__lte=date(years[-1], 12, 31)
    ).dates("date", "year")
    return {value.year for value in dates} & set(years)


def uncovered_years(years: Iterable[int]) -> list[int]:
    """The years among ``years`` whose working days would be guessed as Monday–Friday.

    That is: the library does not know the year and no administrator has entered any override
    for it. Any override counts as "entered" — the notice is expected to be entered as a whole.
    """
    missing = sorted({year for year in years if not library_covers(year)})
    if not missing:
        return []
    entered = _years_with_overrides(missing)
    return [year for year in missing if year not in entered]


# --- the per-year cache -----------------------------------------------------------------------


@lru_cache(maxsize=64)
def _year_table(year: int) -> _Year:
    overrides = _override_map(year)
    covered = library_covers(year)
    if not covered and not overrides:
        logger.warning(
            "The holiday calendar of %s is not known (chinesecalendar does not cover it and no "
            "override is entered); counting Monday to Friday as working days.",
            year,
        )
    days = []
    day = date(year, 1, 1)
    while day.year == year:
        if day in overrides:
            working = overrides[day]
        elif covered:
            working = chinese_calendar.is_workday(day)
        else:
            working = day.weekday() < 5
        if working:
            days.append(day)
        day += timedelta(days=1)
    return _Year(year=year, days=tuple(days), members=frozenset(days))


class _SyncState:
    """The shared version this process's cache was filled under, and when it was last read."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.version: str | None = None
        self.checked_at = float("-inf")


_sync = _SyncState()


def _shared_version() -> str | None:
    from django.core.cache import cache

    try:
        return cache.get(VERSION_CACHE_KEY)
    except Exception:  # a cache outage must not stop due dates from being computed
        logger.warning("Could not read the working-day calendar version", exc_info=True)
        return None


def _year(year: int) -> _Year:
    """The cached table of ``year``, refilled when another process changed an override."""
    now = time.monotonic()
    if now - _sync.checked_at >= VERSION_RECHECK_SECONDS:
        with _sync.lock:
            version = _shared_version()
            if version != _sync.version:
                _year_table.cache_clear()
                _sync.version = version
            _sync.checked_at = now
    return _year_table(year)


def calendar_cache_clear(*, notify_other_processes: bool = True) -> None:
    """Forget the cached years (called when an override is saved or deleted).

    ``notify_other_processes`` also bumps the shared version so that other processes refill
    within ``VERSION_RECHECK_SECONDS``.
    """
    _year_table.cache_clear()
    if notify_other_processes:
        from django.core.cache import cache

        version = uuid.uuid4().hex
        try:
            cache.set(VERSION_CACHE_KEY, version, None)
        except Exception:
            logger.warning("Could not publish the working-day calendar version", exc_info=True)
            return
        with _sync.lock:
            _sync.version = version


# --- the public functions ---------------------------------------------------------------------


def is_working_day(day: date) -> bool:
    """Whether ``day`` is a working day: override, else the library, else Monday–Friday."""
    if isinstance(day, datetime):
        day = _local(day).date()
    return day in _year(day.year).members


def next_working_day(day: date) -> date:
    """The first working day strictly after ``day``."""
    if isinstance(day, datetime):
        day = _local(day).date()
    year = day.year
    while True:
        table = _year(year)
        index = bisect.bisect_right(table.days, day)
        if index < len(table.days):
            return table.days[index]
        year += 1


def add_working_days(start: datetime, days: int) -> datetime:
    """The due date of a time limit of ``days`` working days that starts at ``start``.

    Returns the end (23:59:59.999999, Asia/Shanghai, tz-aware) of the ``days``-th working day
    after the local date of ``start``; the start's own day is never counted, so a start on a
    non-working day counts from the next working day. ``days == 0`` (an instant matter) is due
    at the end of the start's day if that is a working day, else at the end of the next one.
    """
    if days < 0:
        raise ValueError("days must not be negative")
    local_day = _local(start).date()
    if days == 0:
        target = local_day if is_working_day(local_day) else next_working_day(local_day)
        return _end_of(target)
    year = local_day.year
    table = _year(year)
    # Position of the wanted day in the year's list, counting from the start's date.
    wanted = table.count_until(local_day) + days
    while wanted > len(table.days):
        wanted -= len(table.days)
        year += 1
        table = _year(year)
    return _end_of(table.days[wanted - 1])


def working_days_between(start: datetime, end: datetime) -> int:
    """Whole working days elapsed from ``start`` to ``end``, by the same convention.

    Counts the working days after the local date of ``start`` up to and including the local
    date of ``end`` — the inverse of ``add_working_days``:
    ``working_days_between(s, add_working_days(s, n)) == n`` for ``n >= 1``. A clock that
    pauses (补正) uses it to learn how many working days were used before the pause, and
    resumes with ``add_working_days(resumed_at, limit - used)``. Negative if ``end`` is
    before ``start``.
    """
    first, last = _local(start).date(), _local(end).date()
    if last < first:
        return -working_days_between(end, start)
    total = 0
    for year in range(first.year, last.year + 1):
        table = _year(year)
        upto = table.count_until(last) if year == last.year else len(table.days)
        before = table.count_until(first) if year == first.year else 0
        total += upto - before
    return total


def _local(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("a time zone-aware datetime is required")
    return moment.astimezone(CALENDAR_TZ)


def _end_of(day: date) -> datetime:
    return datetime.combine(day, END_OF_DAY, tzinfo=CALENDAR_TZ)
