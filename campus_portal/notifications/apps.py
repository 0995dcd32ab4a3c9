from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """In-app messages and their delivery by other channels (email now; SMS later)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "campus_portal.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        # Imported here, not at the top: the receivers import models, which exist only once
        # every app config is loaded (Django's app-registry timing, not a cycle).
        from campus_portal.notifications.receivers import receivers_connect

        receivers_connect()
