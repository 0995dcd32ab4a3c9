"""Keeping the dashboard's derived tables up to date — all of it SQL run by the database.

Two paths write the same rows with the same ``SELECT``s, so they cannot disagree:

- **incremental** (:func:`facts_refresh`): after a lifecycle change commits, a Celery task
  recomputes the facts of the changed applications and then every month × matter cell those
  facts touched (before and after the change) — a cell is a few thousand facts at most;
- **rebuild** (:func:`rollups_rebuild`, command ``dashboard_rollups_rebuild``, nightly beat):
  empties the tables and fills them with ``INSERT … SELECT`` over all applications.

Nothing here loops over applications in Python: each statement is one ``INSERT … SELECT``
built with the ORM (``sql_with_params``) so that it runs on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date, timedelta

from django.db import connection, transaction
from django.db.models import (
    Case,
    Count,
    DateField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Least, TruncDate, TruncMonth
from django.utils import timezone

from campus_portal.applications.models import Application, Event, Step
from campus_portal.dashboard.models import (
    HANDLING_DAYS_CAP,
    ApplicationFact,
    HandlingRollup,
    MonthlyRollup,
    WorkdayIndex,
)
from campus_portal.ratings.models import Rating
from campus_portal.workdays.calendar import CALENDAR_TZ, is_working_day

logger = logging.getLogger(__name__)

# 办结 (completed): decided — approved or rejected, possibly closed since — at ``decided_at``.
# An application closed without a decision (not accepted, then closed) is not completed.
COMPLETED_STATES = (
    Application.State.APPROVED,
    Application.State.REJECTED,
    Application.State.CLOSED,
)
# The working-day index starts here (before the 105号 document) and reaches this far ahead.
INDEX_FIRST_DAY = date(2018, 1, 1)
INDEX_DAYS_AHEAD = 400

FACT_COLUMNS = (
    "application_id",
    "matter_id",
    "office_code",
    "submitted_month",
    "completed_month",
    "visits",
    "on_time",
    "extended",
    "handling_days",
    "rated_month",
    "score",
)


def _month(expression) -> TruncMonth:
    return TruncMonth(expression, tzinfo=CALENDAR_TZ, output_field=DateField())


def _ordinal_of(day_annotation: str) -> Subquery:
    return Subquery(WorkdayIndex.objects.filter(day=OuterRef(day_annotation)).values("ordinal")[:1])


def _facts_select(application_ids: Iterable[int] | None) -> QuerySet:
    """One row per submitted application, in ``FACT_COLUMNS`` order."""
    visits = (
        Event.objects.filter(application=OuterRef("pk"), kind=Event.Kind.VISITED)
        .order_by()
        .values("application")
        .annotate(n=Count("pk"))
        .values("n")
    )
    # A step is late when the deadline sweep marked it overdue or it finished after its due
    # time (a step finished late between two sweeps was never marked). An approved extension
    # moves the due time and clears the overdue mark: a step finished within it is on time.
    late = Step.objects.filter(application=OuterRef("pk")).filter(
        Q(overdue=True) | Q(finished_at__gt=F("due_at"))
    )
    extended = Step.objects.filter(application=OuterRef("pk"), extended_days__gt=0)
    rating = Rating.objects.filter(application=OuterRef("pk"))
    completed = Q(decided_at__isnull=False, state__in=COMPLETED_STATES)
    queryset = Application.objects.filter(submitted_at__isnull=False)
    if application_ids is not None:
        queryset = queryset.filter(pk__in=list(application_ids))
    return (
        queryset.order_by()
        .annotate(
            f_submitted_day=TruncDate("submitted_at", tzinfo=CALENDAR_TZ),
            f_decided_day=TruncDate("decided_at", tzinfo=CALENDAR_TZ),
        )
        .annotate(
            f_submitted_month=_month("submitted_at"),
            f_completed_month=Case(When(completed, then=_month("decided_at")), default=None),
            f_visits=Coalesce(Subquery(visits, output_field=IntegerField()), Value(0)),
            f_on_time=~Exists(late),
            f_extended=Exists(extended),
            f_handling_days=Case(
                When(
                    completed,
                    then=_ordinal_of("f_decided_day") - _ordinal_of("f_submitted_day"),
                ),
                default=None,
                output_field=IntegerField(),
            ),
            f_rated_month=Subquery(
                rating.annotate(m=_month("created_at")).values("m")[:1], output_field=DateField()
            ),
            f_score=Subquery(rating.values("overall")[:1]),
        )
        .values_list(
            "pk",
            "matter_id",
            "office_code",
            "f_submitted_month",
            "f_completed_month",
            "f_visits",
            "f_on_time",
            "f_extended",
            "f_handling_days",
            "f_rated_month",
            "f_score",
        )
    )


def _insert_select(model, columns: Iterable[str], queryset: QuerySet) -> None:
    sql, params = queryset.query.sql_with_params()
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({names}) {sql}", params)


def _cells_q(field: str, cells: set[tuple[date, int]] | None) -> Q:
    if cells is None:
        return Q(**{f"{field}__isnull": False})
    query = Q(pk__in=[])
    for month, matter_id in cells:
        query |= Q(**{field: month, "matter_id": matter_id})
    return query


def _rollups_insert(cells: set[tuple[date, int]] | None) -> None:
    """Insert the rollup rows of ``cells`` (all cells when ``None``) from the facts."""
    facts = ApplicationFact.objects.order_by()
    key = ("month", "matter_id", "office_code")
    submitted = (
        facts.filter(_cells_q("submitted_month", cells))
        .values("submitted_month", "matter_id", "office_code")
        .annotate(n=Count("pk"), v=Count("pk", filter=Q(visits__gte=1)))
        .values_list("submitted_month", "matter_id", "office_code", "n", "v")
    )
    _insert_select(MonthlyRollup, (*key, "submitted", "with_visits"), submitted)
    completed = (
        facts.filter(_cells_q("completed_month", cells))
        .values("completed_month", "matter_id", "office_code")
        .annotate(
            n=Count("pk"),
            one=Count("pk", filter=Q(visits__lte=1)),
            on_time=Count("pk", filter=Q(on_time=True)),
            extended=Count("pk", filter=Q(extended=True)),
            days=Coalesce(Sum("handling_days"), Value(0)),
        )
        .values_list(
            "completed_month",
            "matter_id",
            "office_code",
            "n",
            "one",
            "on_time",
            "extended",
            "days",
        )
    )
    _insert_select(
        MonthlyRollup,
        (
            *key,
            "completed",
            "completed_at_most_one_visit",
            "completed_on_time",
            "completed_extended",
            "handling_days_sum",
        ),
        completed,
    )
    scores = {f"s{score}": Count("pk", filter=Q(score=score)) for score in range(1, 6)}
    rated = (
        facts.filter(_cells_q("rated_month", cells))
        .values("rated_month", "matter_id", "office_code")
        .annotate(n=Count("pk"), **scores)
        .values_list("rated_month", "matter_id", "office_code", "n", *scores)
    )
    _insert_select(MonthlyRollup, (*key, "rated", *(f"score_{s}" for s in range(1, 6))), rated)
    histogram = (
        facts.filter(_cells_q("completed_month", cells), handling_days__isnull=False)
        .annotate(d=Least("handling_days", Value(HANDLING_DAYS_CAP)))
        .values("completed_month", "matter_id", "office_code", "d")
        .annotate(n=Count("pk"))
        .values_list("completed_month", "matter_id", "office_code", "d", "n")
    )
    _insert_select(HandlingRollup, (*key, "days", "count"), histogram)


def workday_index_ensure(*, rebuild: bool = False) -> None:
    """Fill the working-day index from ``INDEX_FIRST_DAY`` to a year ahead of today.

    Walks calendar *days* (about 3,000), never applications. ``rebuild`` recomputes it after
    the calendar changed (an override entered by an administrator).
    """
    last = timezone.localdate() + timedelta(days=INDEX_DAYS_AHEAD)
    if rebuild:
        WorkdayIndex.objects.all().delete()
    newest = WorkdayIndex.objects.order_by("-day").first()
    if newest is not None and newest.day >= last:
        return
    day = INDEX_FIRST_DAY if newest is None else newest.day + timedelta(days=1)
    ordinal = 0 if newest is None else newest.ordinal
    rows = []
    while day <= last:
        ordinal += is_working_day(day)
        rows.append(WorkdayIndex(day=day, ordinal=ordinal))
        day += timedelta(days=1)
    # The web process and a worker may fill it at the same moment; both compute the same
    # ordinals from the same calendar, so the second one's rows are simply already there.
    WorkdayIndex.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)


def _lock_matters(matter_ids: Iterable[int]) -> None:
    """Serialise refreshes of the same matter (PostgreSQL; SQLite serialises all writes)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for matter_id in sorted(set(matter_ids)):
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [105, matter_id])


def _cells_of(facts: QuerySet) -> set[tuple[date, int]]:
    cells: set[tuple[date, int]] = set()
    for row in facts.values_list("matter_id", "submitted_month", "completed_month", "rated_month"):
        matter_id, *months = row
        cells.update((month, matter_id) for month in months if month is not None)
    return cells


def facts_refresh(*, application_ids: Iterable[int]) -> int:
    """Recompute the facts of ``application_ids`` and every rollup cell they touch.

    Idempotent: running it twice, or for an application that did not change, leaves the same
    rows. Returns the number of cells recomputed.
    """
    ids = sorted(set(application_ids))
    if not ids:
        return 0
    with transaction.atomic():
        workday_index_ensure()
        matter_ids = Application.objects.filter(pk__in=ids).values_list("matter_id", flat=True)
        _lock_matters(matter_ids)
        old = ApplicationFact.objects.filter(application_id__in=ids)
        cells = _cells_of(old)
        old.delete()
        _insert_select(ApplicationFact, FACT_COLUMNS, _facts_select(ids))
        cells |= _cells_of(ApplicationFact.objects.filter(application_id__in=ids))
        if cells:
            for model in (MonthlyRollup, HandlingRollup):
                model.objects.filter(_cells_q("month", cells)).delete()
            _rollups_insert(cells)
    return len(cells)


def rollups_rebuild() -> dict[str, int]:
    """Recompute every fact and rollup from the applications (one transaction)."""
    with transaction.atomic():
        workday_index_ensure(rebuild=True)
        for model in (HandlingRollup, MonthlyRollup, ApplicationFact):
            model.objects.all().delete()
        _insert_select(ApplicationFact, FACT_COLUMNS, _facts_select(None))
        _rollups_insert(None)
    return {
        "facts": ApplicationFact.objects.count(),
        "rollups": MonthlyRollup.objects.count(),
        "histogram": HandlingRollup.objects.count(),
    }
