"""Window service categories and the tickets people take for them (取号).

A ticket number is per category and per (Beijing) day — ``A001`` is the first ticket of
category A today — so the pair (category, day, number) is unique and numbering restarts every
morning without a reset job.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ServiceCategory(models.Model):
    """A kind of window service the hall calls numbers for (综合受理, 证件办理 …)."""

    prefix = models.CharField(
        _("number prefix"),
        max_length=2,
        unique=True,
        help_text=_("One or two capital letters printed before the number, e.g. A for A001."),
    )
    name = models.CharField(_("name"), max_length=100)
    description = models.CharField(_("description"), max_length=200, blank=True)
    # Used for the waiting-time estimate until the hall has served enough people today.
    default_service_minutes = models.PositiveSmallIntegerField(
        _("usual minutes per person"), default=5
    )
    active = models.BooleanField(_("tickets can be taken"), default=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["position", "prefix"]
        verbose_name = _("window service category")
        verbose_name_plural = _("window service categories")

    def __str__(self) -> str:
        return f"{self.prefix} · {self.name}"


class Ticket(models.Model):
    """One queue ticket: waiting, then called to a window, then served or a no-show."""

    class State(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        CALLED = "called", _("Called")
        SERVED = "served", _("Served")
        NO_SHOW = "no_show", _("Did not come")

    category = models.ForeignKey(
        ServiceCategory, verbose_name=_("service"), on_delete=models.PROTECT, related_name="tickets"
    )
    service_date = models.DateField(_("day"))
    number = models.PositiveIntegerField(_("number"))
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.WAITING, db_index=True
    )
    # Who took it, when the person had signed in at the kiosk (a ticket needs no sign-in).
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kiosk_id = models.CharField(_("kiosk"), max_length=64, blank=True)
    window = models.CharField(_("window"), max_length=32, blank=True)
    called_by = models.CharField(_("called by"), max_length=150, blank=True)
    taken_at = models.DateTimeField(_("taken"), auto_now_add=True)
    called_at = models.DateTimeField(_("called"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["service_date", "category_id", "number"]
        verbose_name = _("queue ticket")
        verbose_name_plural = _("queue tickets")
        constraints = [
            models.UniqueConstraint(
                fields=["category", "service_date", "number"], name="queueing_ticket_number_once"
            )
        ]
        indexes = [models.Index(fields=["category", "service_date", "state"])]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The number as printed and called: prefix and three digits (A001)."""
        return f"{self.category.prefix}{self.number:03d}"
