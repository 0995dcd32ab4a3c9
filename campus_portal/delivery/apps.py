from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeliveryConfig(AppConfig):
    """How a decided result reaches the applicant: download, pickup locker, post or window."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "campus_portal.delivery"
    label = "delivery"
    verbose_name = _("Delivery")

    def ready(self) -> None:
        # Imported here: the receivers import models (Django's app-registry timing).
        from campus_portal.delivery.receivers import receivers_connect

        receivers_connect()
