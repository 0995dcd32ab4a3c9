"""Admin UI of the configuration transfer: one menu item for administrators."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from campus_portal.config_transfer import admin_views
from campus_portal.config_transfer.permissions import may_transfer


@hooks.register("register_admin_urls")
def register_transfer_urls():
    return [
        path("config-transfer/", admin_views.transfer_home, name="config_transfer"),
        path("config-transfer/import/", admin_views.transfer_import, name="config_transfer_import"),
    ]


class AdministratorMenuItem(MenuItem):
    def is_shown(self, request):
        return may_transfer(request.user)


@hooks.register("register_admin_menu_item")
def register_transfer_menu_item():
    return AdministratorMenuItem(
        _("Configuration transfer"), reverse("config_transfer"), icon_name="download", order=270
    )
