"""All admin UI of the catalog: menu items, admin URLs and snippet viewsets.

Models stay free of admin code (bakerydemo style). Page editing itself needs nothing here:
office editors get page permissions on their office page (``services.office_ensure``).
"""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from campus_portal.catalog import admin_views
from campus_portal.catalog.models import Audience, Office, PowerItem, SearchSynonym, Topic


@hooks.register("register_admin_urls")
def register_catalog_admin_urls():
    return [
        path("catalog/import/", admin_views.import_upload, name="catalog_import"),
        path(
            "catalog/import/<int:import_id>/",
            admin_views.import_status,
            name="catalog_import_status",
        ),
        path(
            "catalog/import/<int:import_id>/progress/",
            admin_views.import_progress_json,
            name="catalog_import_progress",
        ),
        path(
            "catalog/import/<int:import_id>/confirm/",
            admin_views.import_confirm,
            name="catalog_import_confirm",
        ),
        path("catalog/reports/", admin_views.catalog_reports, name="catalog_reports"),
        path("catalog/export/", admin_views.catalog_export, name="catalog_export"),
    ]


class PermissionMenuItem(MenuItem):
    def __init__(self, *args, permission: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request):
        return request.user.has_perm(self.permission)


@hooks.register("register_admin_menu_item")
def register_import_menu_item():
    return PermissionMenuItem(
        _("Import power list"),
        reverse("catalog_import"),
        icon_name="upload",
        order=250,
        permission=admin_views.IMPORT_PERMISSION,
    )


@hooks.register("register_admin_menu_item")
def register_reports_menu_item():
    return PermissionMenuItem(
        _("Catalog reports"),
        reverse("catalog_reports"),
        icon_name="table",
        order=260,
        permission=admin_views.EXPORT_PERMISSION,
    )


class OfficeViewSet(SnippetViewSet):
    model = Office
    icon = "group"
    list_display = ["code", "name", "phone"]
    search_fields = ["code", "name"]
    form_fields = ["code", "name", "phone", "address"]


class PowerItemViewSet(SnippetViewSet):
    """The list as imported; it changes only by importing (editors change guide pages)."""

    model = PowerItem  # read-only: see catalog/permissions.py
    icon = "list-ul"
    list_display = [
        "code",
        "name",
        "sub_item",
        "office",
        "online_depth",
        "visits_required",
        "last_year_volume",
    ]
    list_filter = ["office", "matter_type", "online_depth"]
    search_fields = ["code", "name", "sub_item"]
    inspect_view_enabled = True


class AudienceViewSet(SnippetViewSet):
    model = Audience
    icon = "user"
    list_display = ["name", "code", "sort_order"]


class TopicViewSet(SnippetViewSet):
    model = Topic
    icon = "tag"
    list_display = ["name", "slug", "keywords"]


class SearchSynonymViewSet(SnippetViewSet):
    model = SearchSynonym
    icon = "search"
    list_display = ["term", "canonical"]
    search_fields = ["term", "canonical"]


class CatalogViewSetGroup(SnippetViewSetGroup):
    menu_label = _("Catalog")
    menu_icon = "folder-open-inverse"
    menu_order = 240
    items = (OfficeViewSet, PowerItemViewSet, AudienceViewSet, TopicViewSet, SearchSynonymViewSet)


register_snippet(CatalogViewSetGroup)
