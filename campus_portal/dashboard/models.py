"""The 105号 targets and the derived tables the dashboard reads.

- ``Target``: what the university promised (loaded from ``demo_data/targets.yaml``, then edited
  by administrators in the admin).
- ``WorkdayIndex``: the working-day calendar as a table (day → how many working days up to it),
  so that handling times in working days are a subtraction inside SQL.
- ``ApplicationFact``: one row per submitted application with the facts the measures need
  (visits, on time, handling days, rating), refreshed after each lifecycle change.
- ``MonthlyRollup`` / ``HandlingRollup``: sums of the facts per month × matter × office; the
  dashboard and the report read only these (a few thousand rows whatever the number of
  applications). How they are kept up to date: ``rollups.py``.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    ALL = "all", _("All matters")
    HIGH_FREQUENCY = "high_frequency", _("High-frequency matters")


class Measure(models.TextChoices):
    # From the catalog (what the guides promise).
    SHARE_AT_MOST_ONE_VISIT = "share_at_most_one_visit", _("Share at most one visit")
    SHARE_ONLINE_APPLICATION = "share_online_application", _("Share with online application")
    SHARE_FULLY_ONLINE = "share_fully_online", _("Share fully online")
    SHARE_ONLINE_AND_MOBILE = "share_online_and_mobile", _("Share on web and phone")
    CATALOG_PUBLISHED = "catalog_published", _("Catalog published")
    # From recorded events (what applicants got).
    REALIZATION_RATE = "realization_rate", _("Realization rate")
    ON_TIME_RATE = "on_time_rate", _("On-time rate")
    SATISFACTION_SHARE = "satisfaction_share", _("Satisfaction share")


EVENT_MEASURES = frozenset(
    {Measure.REALIZATION_RATE, Measure.ON_TIME_RATE, Measure.SATISFACTION_SHARE}
)


class Target(models.Model):
    """One target: by ``due``, ``measure`` over ``scope`` reaches ``goal`` (a share, 0–1)."""

    due = models.DateField(_("due date"))
    scope = models.CharField(_("scope"), max_length=32, choices=Scope.choices)
    measure = models.CharField(_("measure"), max_length=48, choices=Measure.choices)
    goal = models.DecimalField(
        _("goal"), max_digits=5, decimal_places=4, help_text=_("A share between 0 and 1.")
    )
    text = models.CharField(_("text"), max_length=200)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        ordering = ["due", "sort_order", "pk"]
        verbose_name = _("105号 target")
        verbose_name_plural = _("105号 targets")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(goal__gte=0, goal__lte=1), name="target_goal_is_a_share"
            )
        ]

    def __str__(self) -> str:
        return self.text


class WorkdayIndex(models.Model):
    """``ordinal`` = working days from the table's first day up to and including ``day``.

    ``ordinal(end) - ordinal(start)`` is ``campus_portal.workdays.working_days_between`` for the
    two local dates, computed by the database.
    """

    day = models.DateField(primary_key=True)
    ordinal = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("working-day index")

    def __str__(self) -> str:
        return f"{self.day}: {self.ordinal}"


class ApplicationFact(models.Model):
    """What one submitted application contributes to the measures (see docs/targets.md)."""

    application = models.OneToOneField(
        "applications.Application",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    matter = models.ForeignKey(
        "catalog.MatterPage", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    office_code = models.CharField(max_length=32)
    submitted_month = models.DateField()
    completed_month = models.DateField(null=True)
    visits = models.PositiveIntegerField(default=0)
    on_time = models.BooleanField(default=True)
    # An approved time extension (延期) moved a step's due date: still on time if met, but
    # counted, so that the on-time rate does not hide how many needed more time.
    extended = models.BooleanField(default=False)
    handling_days = models.IntegerField(null=True)
    rated_month = models.DateField(null=True)
    score = models.PositiveSmallIntegerField(null=True)

    class Meta:
        indexes = [
            models.Index(fields=["matter", "submitted_month"]),
            models.Index(fields=["matter", "completed_month"]),
            models.Index(fields=["matter", "rated_month"]),
        ]

    def __str__(self) -> str:
        return f"application {self.application_id}"


class MonthlyRollup(models.Model):
    """Partial sums of facts for one month × matter × office.

    A cell may have up to three rows — one from the facts submitted that month, one from those
    completed that month, one from those rated that month — each with zeros elsewhere; readers
    always ``SUM``, so rows never need to be merged (and a cell is recomputed by delete +
    insert, with no upsert that SQLite and PostgreSQL spell differently).
    """

    month = models.DateField()
    matter = models.ForeignKey(
        "catalog.MatterPage", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    office_code = models.CharField(max_length=32)
    submitted = models.PositiveIntegerField(db_default=0)
    with_visits = models.PositiveIntegerField(db_default=0)  # submitted and ≥ 1 visit recorded
    completed = models.PositiveIntegerField(db_default=0)
    completed_at_most_one_visit = models.PositiveIntegerField(db_default=0)
    completed_on_time = models.PositiveIntegerField(db_default=0)
    completed_extended = models.PositiveIntegerField(db_default=0)
    handling_days_sum = models.PositiveBigIntegerField(db_default=0)
    rated = models.PositiveIntegerField(db_default=0)
    score_1 = models.PositiveIntegerField(db_default=0)
    score_2 = models.PositiveIntegerField(db_default=0)
    score_3 = models.PositiveIntegerField(db_default=0)
    score_4 = models.PositiveIntegerField(db_default=0)
    score_5 = models.PositiveIntegerField(db_default=0)

    class Meta:
        indexes = [models.Index(fields=["month", "matter"])]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.matter_id} {self.office_code}"


# Handling times at or above this many working days share the last histogram bucket.
HANDLING_DAYS_CAP = 60


class HandlingRollup(models.Model):
    """Histogram of handling times (working days, capped) of the applications completed in one
    month × matter × office; the 90th percentile is read off the summed histogram."""

    month = models.DateField()
    matter = models.ForeignKey(
        "catalog.MatterPage", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    office_code = models.CharField(max_length=32)
    days = models.PositiveSmallIntegerField()
    count = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["month", "matter"])]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.matter_id}: {self.days} d × {self.count}"
