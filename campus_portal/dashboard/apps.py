from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    """The 105号 targets: measures, rollups, the administrators' dashboard and the report."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "campus_portal.dashboard"
    label = "dashboard"
    verbose_name = _("105号 targets")

    def ready(self) -> None:
        # In ready(): the handlers import models (Django's app-registry timing, not a cycle).
        from campus_portal.dashboard import signal_handlers  # noqa: F401
