from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RatingsConfig(AppConfig):
    """好差评: applicants rate a delivered service; a bad rating opens a rectification."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "campus_portal.ratings"
    label = "ratings"
    verbose_name = _("Ratings")

    def ready(self) -> None:
        # Imported here: the receivers import models (Django's app-registry timing).
        from campus_portal.ratings.receivers import receivers_connect

        receivers_connect()
