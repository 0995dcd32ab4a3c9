"""The 105号 measures (HackSoft style: selectors read).

The dashboard page and ``targets_report`` both call :func:`dashboard_figures`, so the page and
the filed report cannot show different numbers. Every figure is a database aggregate:
catalog measures count matter pages, event measures sum the rollups (``rollups.py``), which
hold a few rows per month × matter × office however many applications there are. Python only
combines the aggregated numbers (a few hundred matters at most). Definitions: docs/targets.md.

"Online application" and "fully online" count what the platform really accepts — an enabled
binding to a registered handler, and that handler's ``is_fully_online(matter)`` — not what the
guides claim; guides that claim more are flagged (``guide_overclaims``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Count, Min, Q, QuerySet, Sum, Value
from django.utils import timezone

from campus_portal.accounts.roles import Role
from campus_portal.applications.selectors import online_matters_q
from campus_portal.catalog.models import MatterPage, PowerItem
from campus_portal.catalog.selectors import HIGH_FREQUENCY_SHARE, pareto_head
from campus_portal.dashboard.models import (
    EVENT_MEASURES,
    HandlingRollup,
    Measure,
    MonthlyRollup,
    Scope,
    Target,
)
from campus_portal.plugin_api import registry
from campus_portal.ratings.models import SATISFIED_SCORES, Rectification

# The default period of the measures: the last 12 calendar months, the as-of month included.
PERIOD_MONTHS = 12
# A target not met is "at risk" when it falls due within this many days of the as-of date.
AT_RISK_DAYS = 90
# Catalog measures read off the guide itself, as a Q on live matter pages.
GUIDE_CONDITIONS: dict[str, Q] = {
    Measure.SHARE_AT_MOST_ONE_VISIT: Q(visits_required__lte=1),
    # Channels are a JSON list; its text holds each value in quotes on both databases.
    Measure.SHARE_ONLINE_AND_MOBILE: Q(channels__icontains='"web"')
    & Q(channels__icontains='"mobile"'),
}
# What a guide claims: online application from depth 3, no visit with 到现场次数 0.
CLAIMS_ONLINE_APPLICATION = Q(online_depth__gte=3)
CLAIMS_NO_VISIT = Q(visits_required=0)


# --- periods ---------------------------------------------------------------------------------


def _month_start(day: date) -> date:
    return day.replace(day=1)


def months_add(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def period_months(*, as_of: date, months: int = PERIOD_MONTHS) -> tuple[date, date]:
    """First and last month (first days) of the ``months`` calendar months ending with as-of's."""
    last = _month_start(as_of)
    return months_add(last, -(months - 1)), last


def _share(numerator: int, denominator: int) -> float | None:
    return round(numerator / denominator, 4) if denominator else None


# --- who sees what ---------------------------------------------------------------------------


def dashboard_offices_for(scope) -> frozenset[str] | None:
    """The offices a user's dashboard covers: ``None`` for all (administrators, supervision,
    the superuser), their offices for office heads, and empty for everybody else."""
    if scope.superuser or scope.is_administrator or scope.is_supervisor:
        return None
    return scope.offices(Role.OFFICE_HEAD)


# --- high-frequency matters ------------------------------------------------------------------


@dataclass(frozen=True)
class HighFrequency:
    source: str  # "applications" (platform counts) or "last_year_volume" (imported list)
    start: date
    end: date
    total: int
    ranking: list[dict]  # every live matter, by count: code, name, office, count, share, hf
    matter_ids: frozenset[int]


def high_frequency_matters(*, as_of: date, months: int = PERIOD_MONTHS) -> HighFrequency:
    """The high-frequency matters (高频事项) of the period ending with as-of's month.

    Counts are applications *submitted* in the period (rollups). Until the platform holds a
    whole period of data — its first application falls after the period's first month — the
    catalog's imported last-year volumes (``last_year_volume``) are used instead. The head is
    cut by ``catalog.selectors.pareto_head`` (ties at the boundary go in together).
    """
    start, end = period_months(as_of=as_of, months=months)
    first = MonthlyRollup.objects.filter(submitted__gt=0).aggregate(first=Min("month"))["first"]
    matters = MatterPage.objects.live().order_by()
    if first is not None and first <= start:
        source = "applications"
        counted = dict(
            MonthlyRollup.objects.filter(month__gte=start, month__lte=end)
            .values("matter_id")
            .annotate(n=Sum("submitted"))
            .values_list("matter_id", "n")
        )
    else:
        source = "last_year_volume"
        counted = dict(matters.values_list("pk", "last_year_volume"))
    rows = list(matters.values("pk", "code", "matter_name", "sub_item", "office__code"))
    counts = {row["pk"]: int(counted.get(row["pk"]) or 0) for row in rows}
    head = pareto_head(counts, share=HIGH_FREQUENCY_SHARE)
    total = sum(counts.values())
    rows.sort(key=lambda row: (-counts[row["pk"]], row["code"]))
    ranking, running = [], 0
    for row in rows:
        running += counts[row["pk"]]
        ranking.append(
            {
                "id": row["pk"],
                "code": row["code"],
                "name": row["matter_name"] + (f"（{row['sub_item']}）" if row["sub_item"] else ""),
                "office": row["office__code"],
                "count": counts[row["pk"]],
                "cumulative_share": _share(running, total),
                "high_frequency": row["pk"] in head,
            }
        )
    return HighFrequency(source, start, end, total, ranking, frozenset(head))


# --- catalog measures ------------------------------------------------------------------------


@dataclass(frozen=True)
class OnlineService:
    """What the platform really accepts, by matter id (live matters only)."""

    #: Matters taking online applications: an enabled binding to a registered handler.
    online: frozenset[int]
    #: Those of them whose handler says the whole path needs no visit.
    fully_online: frozenset[int]


def online_service() -> OnlineService:
    """The matters taking online applications and those fully online, in one query.

    ``is_fully_online`` is asked once per bound matter (a few hundred at most); the contract
    asks handlers to answer without a query (plugin_api/handlers.py).
    """
    online, fully_online = set(), set()
    bound = MatterPage.objects.live().filter(online_matters_q()).select_related("handler_binding")
    for matter in bound:
        online.add(matter.pk)
        handler = registry.get(matter.handler_binding.handler_key)
        if handler is not None and handler.is_fully_online(matter):
            fully_online.add(matter.pk)
    return OnlineService(frozenset(online), frozenset(fully_online))


def catalog_conditions(service: OnlineService | None = None) -> dict[str, Q]:
    """Which catalog measure each target measure is, as a Q on live matter pages.

    The two online measures are the platform's (``online_service``); the others the guide's.
    """
    service = service or online_service()
    return {
        Measure.SHARE_AT_MOST_ONE_VISIT: GUIDE_CONDITIONS[Measure.SHARE_AT_MOST_ONE_VISIT],
        Measure.SHARE_ONLINE_APPLICATION: Q(pk__in=service.online),
        Measure.SHARE_FULLY_ONLINE: Q(pk__in=service.fully_online),
        Measure.SHARE_ONLINE_AND_MOBILE: GUIDE_CONDITIONS[Measure.SHARE_ONLINE_AND_MOBILE],
    }


def _catalog_matters(
    *, matter_ids: frozenset[int] | None, office_codes: frozenset[str] | None
) -> QuerySet[MatterPage]:
    matters = MatterPage.objects.live().filter(special_requirements=False).order_by()
    if matter_ids is not None:
        matters = matters.filter(pk__in=matter_ids)
    if office_codes is not None:
        matters = matters.filter(office__code__in=office_codes)
    return matters


def catalog_measures(
    *,
    matter_ids: frozenset[int] | None = None,
    office_codes: frozenset[str] | None = None,
    conditions: dict[str, Q] | None = None,
) -> dict[str, dict]:
    """Shares of live matters (special ones excluded) meeting each catalog condition."""
    conditions = conditions or catalog_conditions()
    matters = _catalog_matters(matter_ids=matter_ids, office_codes=office_codes)
    counts = matters.aggregate(
        total=Count("pk"), **{key: Count("pk", filter=q) for key, q in conditions.items()}
    )
    total = counts.pop("total")
    return {
        key: {"numerator": n, "denominator": total, "value": _share(n, total)}
        for key, n in counts.items()
    }


def catalog_measures_by_office(
    *,
    matter_ids: frozenset[int] | None = None,
    office_codes: frozenset[str] | None = None,
    conditions: dict[str, Q] | None = None,
) -> dict[str, dict]:
    conditions = conditions or catalog_conditions()
    matters = _catalog_matters(matter_ids=matter_ids, office_codes=office_codes)
    rows = matters.values("office__code").annotate(
        total=Count("pk"), **{key: Count("pk", filter=q) for key, q in conditions.items()}
    )
    return {
        row["office__code"]: {key: _share(row[key], row["total"]) for key in conditions}
        | {"matters": row["total"]}
        for row in rows
    }


def guide_overclaims(
    *, service: OnlineService | None = None, office_codes: frozenset[str] | None = None
) -> list[dict]:
    """Live matters whose guide claims more than the platform delivers.

    A guide claims online application from depth 3 and no visit with 0 visits (every depth-4
    guide); the platform delivers what ``online_service`` says. Listed beside the zero-visit
    flag so an office sees which guides to correct — or which matters to put online.
    """
    service = service or online_service()
    online, fully_online = Q(pk__in=service.online), Q(pk__in=service.fully_online)
    matters = (
        MatterPage.objects.live()
        .filter((CLAIMS_ONLINE_APPLICATION & ~online) | (CLAIMS_NO_VISIT & ~fully_online))
        .order_by("code")
    )
    if office_codes is not None:
        matters = matters.filter(office__code__in=office_codes)
    rows = matters.values_list(
        "pk", "code", "matter_name", "sub_item", "office__code", "online_depth", "visits_required"
    )
    return [
        {
            "id": pk,
            "code": code,
            "name": name + (f"（{sub_item}）" if sub_item else ""),
            "office": office,
            "online_depth": depth,
            "visits_required": visits,
            "online_application": pk in service.online,
            "fully_online": pk in service.fully_online,
            "claims": [
                claim
                for claim, claimed, delivered in (
                    ("online_application", depth >= 3, pk in service.online),
                    ("no_visit", visits == 0, pk in service.fully_online),
                )
                if claimed and not delivered
            ],
        }
        for pk, code, name, sub_item, office, depth, visits in rows
    ]


def catalog_published(*, office_codes: frozenset[str] | None = None) -> dict:
    """Share of the micro-power list's items published as a live matter guide."""
    items = PowerItem.objects.order_by()
    if office_codes is not None:
        items = items.filter(office__code__in=office_codes)
    counts = items.aggregate(total=Count("pk"), live=Count("pk", filter=Q(matter__live=True)))
    return {
        "numerator": counts["live"],
        "denominator": counts["total"],
        "value": _share(counts["live"], counts["total"]),
    }


def special_matters(*, office_codes: frozenset[str] | None = None) -> list[dict]:
    """Matters excluded as having special requirements (特殊要求), with their reasons."""
    matters = MatterPage.objects.live().filter(special_requirements=True).order_by("code")
    if office_codes is not None:
        matters = matters.filter(office__code__in=office_codes)
    return [
        {"code": code, "name": name, "office": office, "reason": reason}
        for code, name, office, reason in matters.values_list(
            "code", "matter_name", "office__code", "special_requirements_reason"
        )
    ]


# --- event measures --------------------------------------------------------------------------


def _rollups(
    model,
    *,
    start: date,
    end: date,
    matter_ids: frozenset[int] | None,
    office_codes: frozenset[str] | None,
) -> QuerySet:
    rows = model.objects.filter(month__gte=start, month__lte=end).order_by()
    if matter_ids is not None:
        rows = rows.filter(matter_id__in=matter_ids)
    if office_codes is not None:
        rows = rows.filter(office_code__in=office_codes)
    return rows


_SATISFIED = tuple(f"score_{int(score)}" for score in SATISFIED_SCORES)
_SUMS = {
    "submitted": Sum("submitted"),
    "with_visits": Sum("with_visits"),
    "completed": Sum("completed"),
    "at_most_one_visit": Sum("completed_at_most_one_visit"),
    "on_time": Sum("completed_on_time"),
    "extended": Sum("completed_extended"),
    "handling_days": Sum("handling_days_sum"),
    "rated": Sum("rated"),
    "satisfied": sum((Sum(column) for column in _SATISFIED), Value(0)),
}


def _event_figures(sums: dict, p90: int | None) -> dict:
    sums = {key: int(value or 0) for key, value in sums.items()}
    completed = sums["completed"]
    return {
        "submitted": sums["submitted"],
        "completed": completed,
        "realization_rate": _share(sums["at_most_one_visit"], completed),
        "realization_numerator": sums["at_most_one_visit"],
        "on_time_rate": _share(sums["on_time"], completed),
        "late": completed - sums["on_time"],
        "extended": sums["extended"],
        "average_days": round(sums["handling_days"] / completed, 2) if completed else None,
        "p90_days": p90,
        "rated": sums["rated"],
        "satisfaction_share": _share(sums["satisfied"], sums["rated"]),
    }


def _percentile(histogram: list[tuple[int, int]], fraction: float) -> int | None:
    """Nearest-rank percentile of a (days, count) histogram sorted by days."""
    total = sum(count for _, count in histogram)
    if not total:
        return None
    rank, running = fraction * total, 0
    for days, count in histogram:
        running += count
        if running >= rank:
            return days
    return histogram[-1][0]


def event_measures(
    *,
    start: date,
    end: date,
    matter_ids: frozenset[int] | None = None,
    office_codes: frozenset[str] | None = None,
) -> dict:
    """实现率, on-time rate, handling days (average, p90) and satisfaction over the period."""
    filters = {"start": start, "end": end, "matter_ids": matter_ids, "office_codes": office_codes}
    sums = _rollups(MonthlyRollup, **filters).aggregate(**_SUMS)
    histogram = list(
        _rollups(HandlingRollup, **filters)
        .values("days")
        .annotate(n=Sum("count"))
        .order_by("days")
        .values_list("days", "n")
    )
    return _event_figures(sums, _percentile(histogram, 0.9))


def event_measures_by_office(
    *,
    start: date,
    end: date,
    matter_ids: frozenset[int] | None = None,
    office_codes: frozenset[str] | None = None,
) -> dict[str, dict]:
    """The league table: the event measures per office (two grouped queries)."""
    filters = {"start": start, "end": end, "matter_ids": matter_ids, "office_codes": office_codes}
    rows = _rollups(MonthlyRollup, **filters).values("office_code").annotate(**_SUMS)
    histograms: dict[str, list[tuple[int, int]]] = {}
    for office, days, count in (
        _rollups(HandlingRollup, **filters)
        .values("office_code", "days")
        .annotate(n=Sum("count"))
        .order_by("office_code", "days")
        .values_list("office_code", "days", "n")
    ):
        histograms.setdefault(office, []).append((days, count))
    return {
        row["office_code"]: _event_figures(
            {key: row[key] for key in _SUMS},
            _percentile(histograms.get(row["office_code"], []), 0.9),
        )
        for row in rows
    }


def monthly_trend(
    *,
    start: date,
    end: date,
    matter_ids: frozenset[int] | None = None,
    office_codes: frozenset[str] | None = None,
) -> list[dict]:
    """One entry per month of the period (empty months included)."""
    filters = {"start": start, "end": end, "matter_ids": matter_ids, "office_codes": office_codes}
    by_month = {
        row["month"]: row
        for row in _rollups(MonthlyRollup, **filters).values("month").annotate(**_SUMS)
    }
    trend, month = [], start
    while month <= end:
        row = by_month.get(month, {})
        figures = _event_figures({key: row.get(key) for key in _SUMS}, None)
        trend.append({"month": month.strftime("%Y-%m"), **figures})
        month = months_add(month, 1)
    return trend


def rectification_counts(
    *, office_codes: frozenset[str] | None = None, now: datetime | None = None
) -> dict[str, int]:
    """Rectifications (整改) still open, and those of them past their due time."""
    now = now or timezone.now()
    rows = Rectification.objects.filter(state=Rectification.State.OPEN).order_by()
    if office_codes is not None:
        rows = rows.filter(office_code__in=office_codes)
    return rows.aggregate(open=Count("pk"), overdue=Count("pk", filter=Q(due_at__lt=now)))


def rectifications_by_office(*, now: datetime | None = None) -> dict[str, dict[str, int]]:
    now = now or timezone.now()
    rows = (
        Rectification.objects.filter(state=Rectification.State.OPEN)
        .order_by()
        .values("office_code")
        .annotate(open=Count("pk"), overdue=Count("pk", filter=Q(due_at__lt=now)))
    )
    return {row["office_code"]: {"open": row["open"], "overdue": row["overdue"]} for row in rows}


def zero_visit_matters_with_visits(
    *, start: date, end: date, office_codes: frozenset[str] | None = None
) -> list[dict]:
    """Matters whose guide promises 0 visits (一次不用跑) but whose applications record visits."""
    rows = (
        _rollups(MonthlyRollup, start=start, end=end, matter_ids=None, office_codes=office_codes)
        .filter(matter_id__in=MatterPage.objects.filter(visits_required=0).values("pk"))
        .values("matter_id")
        .annotate(n=Sum("with_visits"), submitted=Sum("submitted"))
        .filter(n__gt=0)
    )
    counts = {row["matter_id"]: (row["n"], row["submitted"]) for row in rows}
    matters = MatterPage.objects.filter(pk__in=counts).order_by("code")
    return [
        {
            "id": pk,
            "code": code,
            "name": name,
            "office": office,
            "with_visits": counts[pk][0],
            "submitted": counts[pk][1],
        }
        for pk, code, name, office in matters.values_list(
            "pk", "code", "matter_name", "office__code"
        )
    ]


# --- targets ---------------------------------------------------------------------------------


def target_status(
    *, value: float | None, goal: Decimal, due: date, as_of: date, falling: bool
) -> str:
    """met / at_risk / not_met (docs/targets.md).

    - **met**: the current value reaches the goal;
    - **at risk**: not met, and either due within ``AT_RISK_DAYS`` days (not yet past), or an
      event measure whose last month is below the month before (the trend is falling);
    - **not met**: otherwise — including every target past its due date without the goal.
    """
    if value is not None and Decimal(str(value)) >= goal:
        return "met"
    days_left = (due - as_of).days
    if 0 <= days_left <= AT_RISK_DAYS or (falling and days_left >= 0):
        return "at_risk"
    return "not_met"


_TREND_KEYS = {
    Measure.REALIZATION_RATE: "realization_rate",
    Measure.ON_TIME_RATE: "on_time_rate",
    Measure.SATISFACTION_SHARE: "satisfaction_share",
}


def _falling(trend: list[dict], key: str) -> bool:
    values = [month[key] for month in trend if month[key] is not None]
    return len(values) >= 2 and values[-1] < values[-2]


def targets_evaluate(*, as_of: date, scopes: dict[str, dict]) -> list[dict]:
    """Every target with its current value and status; ``scopes`` from dashboard_figures."""
    rows = []
    for target in Target.objects.all():
        figures = scopes[target.scope]
        if target.measure == Measure.CATALOG_PUBLISHED:
            value = figures["catalog_published"]["value"]
        elif target.measure in EVENT_MEASURES:
            value = figures["events"][_TREND_KEYS[target.measure]]
        else:
            value = figures["catalog"][target.measure]["value"]
        falling = target.measure in EVENT_MEASURES and _falling(
            figures["trend"], _TREND_KEYS[target.measure]
        )
        rows.append(
            {
                "id": target.pk,
                "due": target.due.isoformat(),
                "scope": target.scope,
                "measure": target.measure,
                "goal": float(target.goal),
                "text": target.text,
                "value": value,
                "status": target_status(
                    value=value, goal=target.goal, due=target.due, as_of=as_of, falling=falling
                ),
            }
        )
    return rows


# --- everything at once ----------------------------------------------------------------------


def dashboard_figures(*, as_of: date, office_codes: frozenset[str] | None = None) -> dict:
    """All the figures of the dashboard and the report, JSON-ready.

    ``office_codes`` limits every figure to those offices (an office head's dashboard);
    ``None`` is the whole university. Targets are campus-wide and only shown then.
    """
    start, end = period_months(as_of=as_of)
    high_frequency = high_frequency_matters(as_of=as_of)
    service = online_service()
    conditions = catalog_conditions(service)
    scopes: dict[str, dict] = {}
    for scope, matter_ids in (
        (Scope.ALL, None),
        (Scope.HIGH_FREQUENCY, high_frequency.matter_ids),
    ):
        filters = {"matter_ids": matter_ids, "office_codes": office_codes}
        scopes[scope] = {
            "catalog": catalog_measures(**filters, conditions=conditions),
            "catalog_published": catalog_published(office_codes=office_codes),
            "events": event_measures(start=start, end=end, **filters),
            "trend": monthly_trend(start=start, end=end, **filters),
        }
    league = event_measures_by_office(start=start, end=end, office_codes=office_codes)
    rectifications = rectifications_by_office()
    catalog_by_office = catalog_measures_by_office(office_codes=office_codes, conditions=conditions)
    offices = sorted(set(league) | set(catalog_by_office))
    return {
        "as_of": as_of.isoformat(),
        "period": {"start": start.strftime("%Y-%m"), "end": end.strftime("%Y-%m")},
        "offices": None if office_codes is None else sorted(office_codes),
        "high_frequency": {
            "source": high_frequency.source,
            "total": high_frequency.total,
            "count": len(high_frequency.matter_ids),
            "ranking": [
                row
                for row in high_frequency.ranking
                if office_codes is None or row["office"] in office_codes
            ],
        },
        "scopes": scopes,
        "league": [
            {
                "office": office,
                **league.get(office, _event_figures({key: 0 for key in _SUMS}, None)),
                "catalog": catalog_by_office.get(office, {}),
                "rectifications": rectifications.get(office, {"open": 0, "overdue": 0}),
            }
            for office in offices
        ],
        "rectifications": rectification_counts(office_codes=office_codes),
        "special_matters": special_matters(office_codes=office_codes),
        "zero_visit_flags": zero_visit_matters_with_visits(
            start=start, end=end, office_codes=office_codes
        ),
        "overclaim_flags": guide_overclaims(service=service, office_codes=office_codes),
        "targets": targets_evaluate(as_of=as_of, scopes=scopes) if office_codes is None else [],
    }
