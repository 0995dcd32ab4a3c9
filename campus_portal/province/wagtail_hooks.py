"""Admin UI of the provincial link: the connector status page and its menu item."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from campus_portal.catalog.wagtail_hooks import PermissionMenuItem
from campus_portal.province import admin_views


@hooks.register("register_admin_urls")
def register_province_admin_urls():
    return [path("province/status/", admin_views.connector_status, name="province_status")]


@hooks.register("register_admin_menu_item")
def register_province_menu_item():
    return PermissionMenuItem(
        _("Provincial connector"),
        reverse("province_status"),
        icon_name="site",
        order=270,
        permission=admin_views.STATUS_PERMISSION,
    )
