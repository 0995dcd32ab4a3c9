from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DataWarehouseConfig(AppConfig):
    name = "data_warehouse"
    label = "data_warehouse"
    verbose_name = _("Data warehouse")
