from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResultsConfig(AppConfig):
    """Result documents: signed PDF certificates and decisions, their verification and revocation
    (docs/results.md)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "campus_portal.results"
    label = "results"
    verbose_name = _("Result documents")

    def ready(self) -> None:
        # Imported here: both import models (Django's app-registry timing, not a cycle).
        from campus_portal.results.lifecycle import receivers_connect
        from campus_portal.results.permissions import register_results_permission_policies

        register_results_permission_policies()
        receivers_connect()
