from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConfigTransferConfig(AppConfig):
    name = "campus_portal.config_transfer"
    label = "config_transfer"
    verbose_name = _("Configuration transfer")
