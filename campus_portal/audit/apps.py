from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "campus_portal.audit"
    label = "audit"
    verbose_name = _("Security log")

    def ready(self) -> None:
        # Sign-in events come from Django's auth signals, whatever the sign-in backend. In
        # ready(): the handlers import models (Django's app-registry timing, not a cycle).
        from campus_portal.audit import signal_handlers  # noqa: F401
