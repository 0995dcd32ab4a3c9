"""好差评 ratings and the rectifications that bad ones open.

A rating belongs to the applicant: it is written once, after delivery, and never edited by
staff (there is no update path in the services). The office is copied onto both rows so that
the 105号 dashboard can aggregate by office without joining through applications and steps.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Score(models.IntegerChoices):
    """The five grades of the provincial 好差评 scheme, best first."""

    VERY_SATISFIED = 5, _("Very satisfied")
    SATISFIED = 4, _("Satisfied")
    FAIRLY_SATISFIED = 3, _("Fairly satisfied")
    DISSATISFIED = 2, _("Dissatisfied")
    VERY_DISSATISFIED = 1, _("Very dissatisfied")


# Scores that count as "satisfied" for the dashboard's satisfaction share (满意 + 非常满意).
SATISFIED_SCORES = (Score.VERY_SATISFIED, Score.SATISFIED)
# Scores that open a rectification (差评).
BAD_SCORES = (Score.DISSATISFIED, Score.VERY_DISSATISFIED)


class Rating(models.Model):
    """One applicant's rating of one application (one per application)."""

    application = models.OneToOneField(
        "applications.Application",
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="rating",
    )
    office_code = models.CharField(_("office"), max_length=32, db_index=True)
    overall = models.PositiveSmallIntegerField(_("overall satisfaction"), choices=Score.choices)
    timeliness = models.PositiveSmallIntegerField(
        _("timeliness"), choices=Score.choices, null=True, blank=True
    )
    attitude = models.PositiveSmallIntegerField(
        _("attitude"), choices=Score.choices, null=True, blank=True
    )
    guide_accuracy = models.PositiveSmallIntegerField(
        _("guide accuracy"), choices=Score.choices, null=True, blank=True
    )
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("rated"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")

    def __str__(self) -> str:
        return f"{self.application_id}: {self.get_overall_display()}"

    @property
    def is_bad(self) -> bool:
        return self.overall in BAD_SCORES


class Rectification(models.Model):
    """整改: what a bad rating asks of the responsible office, with a working-day deadline."""

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        REPLIED = "replied", _("Replied")

    rating = models.OneToOneField(
        Rating,
        verbose_name=_("rating"),
        on_delete=models.CASCADE,
        related_name="rectification",
    )
    office_code = models.CharField(_("office"), max_length=32, db_index=True)
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.OPEN, db_index=True
    )
    opened_at = models.DateTimeField(_("opened"), auto_now_add=True)
    due_at = models.DateTimeField(_("due"), db_index=True)
    reply = models.TextField(_("reply"), blank=True)
    replied_by = models.CharField(_("replied by"), max_length=150, blank=True)
    replied_at = models.DateTimeField(_("replied"), null=True, blank=True)

    class Meta:
        ordering = ["due_at", "pk"]
        verbose_name = _("rectification")
        verbose_name_plural = _("rectifications")

    def __str__(self) -> str:
        return f"{self.office_code}: {self.get_state_display()}"
