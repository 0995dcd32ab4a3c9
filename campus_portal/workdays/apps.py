from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkdaysConfig(AppConfig):
    name = "campus_portal.workdays"
    label = "workdays"
    verbose_name = _("Working-day calendar")

    def ready(self) -> None:
        from django.core import checks

        # Saving or deleting an override empties the per-year caches of campus_portal.workdays.
        # In ready(): both import models (Django's app-registry timing, not a cycle).
        from campus_portal.workdays import signal_handlers  # noqa: F401
        from campus_portal.workdays.checks import calendar_coverage_check

        checks.register(calendar_coverage_check, "workdays")
