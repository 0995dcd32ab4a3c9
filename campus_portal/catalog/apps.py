from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "campus_portal.catalog"
    label = "catalog"
    verbose_name = _("Matter catalog")

    def ready(self) -> None:
        # Keeps the search index and the page cache in step with publishing. In ready(): both
        # import models, which Django loads after every app config (app-registry timing).
        from campus_portal.catalog import signal_handlers  # noqa: F401
        from campus_portal.catalog.permissions import register_catalog_permission_policies

        register_catalog_permission_policies()
