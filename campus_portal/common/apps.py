from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "campus_portal.common"
    label = "common"
    verbose_name = "Common"
