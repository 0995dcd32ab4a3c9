"""Administrators maintain the window service categories in the Wagtail admin."""

from __future__ import annotations

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from campus_portal.queueing.models import ServiceCategory


class ServiceCategoryViewSet(SnippetViewSet):
    model = ServiceCategory
    icon = "list-ol"
    menu_order = 320
    add_to_admin_menu = True
    list_display = ["prefix", "name", "default_service_minutes", "active"]
    copy_view_enabled = False


register_snippet(ServiceCategoryViewSet)
