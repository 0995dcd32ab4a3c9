"""Admin UI of the 105号 targets: the dashboard pages, their menu item and the targets snippet.

The dashboard asks ``scope_for`` (administrators, supervision, office heads); the targets
snippet uses Wagtail's model permissions, which the ``role:administrator`` group holds.
"""

from __future__ import annotations

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from campus_portal.accounts.roles import scope_for
from campus_portal.dashboard import admin_views
from campus_portal.dashboard.models import Target
from campus_portal.dashboard.selectors import dashboard_offices_for


@hooks.register("register_admin_urls")
def register_dashboard_admin_urls():
    return [
        path("dashboard/", admin_views.dashboard, name="dashboard"),
        path("dashboard/matters/", admin_views.drilldown_matters, name="dashboard_matters"),
        path(
            "dashboard/applications/",
            admin_views.drilldown_applications,
            name="dashboard_applications",
        ),
    ]


class DashboardMenuItem(MenuItem):
    def is_shown(self, request):
        offices = dashboard_offices_for(scope_for(request.user))
        return offices is None or bool(offices)


@hooks.register("register_admin_menu_item")
def register_dashboard_menu_item():
    return DashboardMenuItem(_("105号 targets"), reverse("dashboard"), icon_name="table", order=240)


class TargetViewSet(SnippetViewSet):
    model = Target
    icon = "tasks"
    menu_label = _("Targets")
    menu_name = "targets"
    menu_order = 245
    add_to_admin_menu = True
    list_display = ["text", "due", "scope", "measure", "goal"]
    list_filter = ["scope", "measure"]
    search_fields = ["text"]
    panels = [
        FieldPanel("text"),
        FieldPanel("due"),
        FieldPanel("scope"),
        FieldPanel("measure"),
        FieldPanel("goal"),
        FieldPanel("sort_order"),
    ]


register_snippet(TargetViewSet)
