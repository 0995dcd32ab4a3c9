"""System check: remind operators to enter next year's holiday notice.

``chinesecalendar`` only knows the years up to its release; the State Council publishes the
next year's notice in the autumn. Without it, due dates in that year would count every Monday to
Friday as a working day and miss the 调休 weekends, so ``manage.py check`` (and every
``runserver``/``migrate``) warns until the library is upgraded or the notice is entered as
overrides.
"""

from __future__ import annotations

from datetime import date

from django.core.checks import CheckMessage, Warning
from django.db import DatabaseError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campus_portal.workdays.calendar import CALENDAR_TZ, library_covers, uncovered_years


def calendar_coverage_warnings(today: date) -> list[CheckMessage]:
    """One warning per year (``today``'s and the next) that nobody has told us about."""
    years = [today.year, today.year + 1]
    try:
        missing = uncovered_years(years)
    except DatabaseError:
        # Before the first migrate there is no override table: judge by the library alone.
        missing = [year for year in years if not library_covers(year)]
    return [
        Warning(
            _("The public-holiday calendar of %(year)s is not known.") % {"year": year},
            hint=_(
                "chinesecalendar does not cover %(year)s and no calendar override is entered "
                "for it, so due dates in %(year)s count Monday to Friday and miss the adjusted "
                "working weekends. Enter the State Council's holiday notice for %(year)s under "
                "Working-day calendar in the admin, or upgrade chinesecalendar "
                "(docs/working-days.md)."
            )
            % {"year": year},
            id="workdays.W001",
        )
        for year in missing
    ]


def calendar_coverage_check(app_configs=None, **kwargs) -> list[CheckMessage]:
    return calendar_coverage_warnings(timezone.now().astimezone(CALENDAR_TZ).date())
