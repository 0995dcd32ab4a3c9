from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    """Applications (办件): lifecycle, steps, events and the matter ↔ handler bindings."""

    name = "campus_portal.applications"
    label = "applications"
    verbose_name = _("Applications")

    def ready(self) -> None:
        # In ready(): these read models, connect receivers or check the installed plugins
        # (Django's app-registry timing, not a cycle).
        from django.apps import apps

        from campus_portal.applications import signal_handlers  # noqa: F401 (connects them)
        from campus_portal.applications.selectors import online_matters_q
        from campus_portal.catalog.online import online_condition_register
        from campus_portal.plugin_api import checks  # noqa: F401 (registers the system check)
        from campus_portal.plugin_api.metadata import plugins_verify

        plugins_verify(apps.get_app_configs())
        # The catalog marks and filters the matters that take online applications by this.
        online_condition_register(online_matters_q)
