"""A URLconf for the denial-logging test: one view that refuses everybody."""

from django.core.exceptions import PermissionDenied
from django.urls import path


def refuse(request):
    raise PermissionDenied


urlpatterns = [path("secret/", refuse)]
