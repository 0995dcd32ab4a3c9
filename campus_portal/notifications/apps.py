from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """In-app messages and their delivery by other channels (email now; SMS later)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "campus_portal.notifications"
    label = "notifications"
    verbose_name = _("Notifications")
