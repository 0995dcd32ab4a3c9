from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProvinceConfig(AppConfig):
    name = "campus_portal.province"
    label = "province"
    verbose_name = _("Provincial service network")
    default_auto_field = "django.db.models.BigAutoField"
