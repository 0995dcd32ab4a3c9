"""Steward screens in the Wagtail admin: the data catalog, grants, the access log and imports.

The access log is read-only for everyone (append-only at the model too); grants are created
and revoked, never edited in place, so their history stays readable. The record import is a
screen of its own (``admin_views.py``), shown only to holders of ``import_records``.
"""

from django.core.exceptions import PermissionDenied
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import (
    EditView,
    IndexView,
    InspectView,
    SnippetViewSet,
    SnippetViewSetGroup,
)

from data_warehouse import admin_views
from data_warehouse.forms import GRANT_FIELDS, GrantForm
from data_warehouse.models import AccessLog, DataItem, Grant
from data_warehouse.permissions import OwningOfficePermissionPolicy, steward_reader_for
from data_warehouse.services import access_steward_views_record
from platform_common.permissions import ReadOnlyPermissionPolicy

register_permission_policy(AccessLog, ReadOnlyPermissionPolicy(AccessLog))
# Items are never deleted (grants and log entries refer to them); grants are revoked instead.
register_permission_policy(
    DataItem,
    OwningOfficePermissionPolicy(DataItem, office_lookup="owner_office_code", never={"delete"}),
)
register_permission_policy(
    Grant,
    OwningOfficePermissionPolicy(Grant, office_lookup="item__owner_office_code", never={"delete"}),
)


class InstanceCheckedEditView(EditView):
    """Wagtail's edit view checks the model permission only; ours also asks about the object.

    Without this a steward of one office could open (and save) another office's item or grant.
    """

    def get_object(self, queryset=None):
        instance = super().get_object(queryset)
        if not self.permission_policy.user_has_permission_for_instance(
            self.request.user, "change", instance
        ):
            raise PermissionDenied
        return instance


class DataItemViewSet(SnippetViewSet):
    edit_view_class = InstanceCheckedEditView
    model = DataItem
    icon = "table"
    list_display = ["key", "label", "owner_office_code", "sensitivity", "source"]
    list_filter = ["sensitivity", "owner_office_code"]
    search_fields = ["key", "label"]


class GrantViewSet(SnippetViewSet):
    edit_view_class = InstanceCheckedEditView
    model = Grant
    icon = "key"
    list_display = ["handler_key", "item", "purpose", "unmasked", "granted_by", "revoked_at"]
    list_filter = ["unmasked"]
    search_fields = ["handler_key", "purpose"]
    copy_view_enabled = False
    edit_handler = ObjectList(
        [FieldPanel(name) for name in [*GRANT_FIELDS, "revoke"]], base_form_class=GrantForm
    )


#: Stored in the person's language (the portal's, Chinese): the log keeps text, not msgids.
ACCESS_LOG_PURPOSE = _("Data management: viewing the access log")


def _steward_looked(request, entries) -> None:
    """Log the persons whose entries ``request``'s screen rendered as seen by the steward."""
    shown: dict[int, list[str]] = {}
    for entry in entries:
        shown.setdefault(entry.person_id, []).extend(entry.items)
    with translation.override("zh-hans"):
        purpose = str(ACCESS_LOG_PURPOSE)
    access_steward_views_record(
        shown=shown,
        actor=request.user.get_username(),
        reader=steward_reader_for(request.user),
        purpose=purpose,
        view_of="access_log",
        on=timezone.localdate(),
    )


class AccessLogIndexView(IndexView):
    """The listing names whose data was read, for what: the persons on the page rendered
    (one page, never the whole log) are logged as seen by the steward."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        _steward_looked(self.request, context["object_list"])
        return context


class AccessLogInspectView(InspectView):
    """An entry's inspect view shows whose data was read and which items: that is a look at
    the person's data by the steward, logged for the person's "谁查看了我的数据" page (once
    a day per steward and person, however often the entry — or the listing — is opened)."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        _steward_looked(self.request, [self.object])
        return context


class AccessLogViewSet(SnippetViewSet):
    index_view_class = AccessLogIndexView
    inspect_view_class = AccessLogInspectView
    model = AccessLog
    icon = "history"
    list_display = ["at", "actor", "handler_key", "person", "purpose", "application_ref"]
    search_fields = ["actor", "handler_key", "application_ref", "purpose"]
    inspect_view_enabled = True


class WarehouseViewSetGroup(SnippetViewSetGroup):
    menu_label = _("Data warehouse")
    menu_icon = "folder-inverse"
    menu_order = 270
    items = (DataItemViewSet, GrantViewSet, AccessLogViewSet)


register_snippet(WarehouseViewSetGroup)


@hooks.register("register_admin_urls")
def register_record_import_urls():
    return [
        path(
            "warehouse/import/",
            admin_views.record_import_upload,
            name="warehouse_record_import",
        ),
        path(
            "warehouse/import/<int:import_id>/",
            admin_views.record_import_status,
            name="warehouse_record_import_status",
        ),
        path(
            "warehouse/import/<int:import_id>/progress/",
            admin_views.record_import_progress_json,
            name="warehouse_record_import_progress",
        ),
        path(
            "warehouse/import/<int:import_id>/confirm/",
            admin_views.record_import_confirm_view,
            name="warehouse_record_import_confirm",
        ),
    ]


class RecordImportMenuItem(MenuItem):
    """Shown only to those who may import; the views check the permission again."""

    def is_shown(self, request) -> bool:
        return request.user.has_perm(admin_views.IMPORT_PERMISSION)


@hooks.register("register_admin_menu_item")
def register_record_import_menu_item():
    return RecordImportMenuItem(
        _("Import warehouse records"),
        reverse("warehouse_record_import"),
        icon_name="upload",
        order=275,
    )
