from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    """Applications (办件): lifecycle, steps, events and the matter ↔ handler bindings."""

    name = "campus_portal.applications"
    label = "applications"
    verbose_name = _("Applications")

    def ready(self) -> None:
        # In ready(): the check reads models (Django's app-registry timing, not a cycle).
        from django.apps import apps

        from campus_portal.plugin_api import checks  # noqa: F401 (registers the system check)
        from campus_portal.plugin_api.metadata import plugins_verify

        plugins_verify(apps.get_app_configs())
