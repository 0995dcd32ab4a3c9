"""Administrators' corrections to the public-holiday calendar.

The library ``chinesecalendar`` knows the State Council's holiday notices up to the year it
was released for. For a later year, or for a campus-specific closure, an administrator enters
one row per day here; a row always wins over the library (campus_portal.workdays.calendar).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarOverride(models.Model):
    date = models.DateField(_("date"), unique=True)
    is_working_day = models.BooleanField(
        _("working day"),
        help_text=_(
            "Ticked: a working day (e.g. a weekend day that becomes a working day). "
            "Not ticked: a day off (a public holiday or a campus closure)."
        ),
    )
    note = models.CharField(
        _("note"),
        max_length=200,
        blank=True,
        help_text=_("Where it comes from, e.g. the State Council's notice for the year."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("entered at"), auto_now_add=True)

    class Meta:
        ordering = ["-date"]
        verbose_name = _("calendar override")
        verbose_name_plural = _("working-day calendar")

    def __str__(self) -> str:
        kind = _("working day") if self.is_working_day else _("day off")
        return f"{self.date.isoformat()} {kind}"
