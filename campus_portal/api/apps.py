from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "campus_portal.api"
    label = "api"
    verbose_name = "REST API"
