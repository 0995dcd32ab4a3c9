from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HallKioskConfig(AppConfig):
    name = "hall_kiosk"
    label = "hall_kiosk"
    verbose_name = _("Hall kiosks")
