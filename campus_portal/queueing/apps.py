from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QueueingConfig(AppConfig):
    """Queue tickets (取号) per window service category, and calling them at the windows."""

    name = "campus_portal.queueing"
    label = "queueing"
    verbose_name = _("Queue tickets")
