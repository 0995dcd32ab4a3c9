from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkbenchConfig(AppConfig):
    """The staff workbench: queues, one application's actions, office overview, window start."""

    name = "campus_portal.workbench"
    label = "workbench"
    verbose_name = _("Staff workbench")
