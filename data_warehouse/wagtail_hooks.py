"""Steward screens in the Wagtail admin: the data catalog, grants and the access log.

The access log is read-only for everyone (append-only at the model too); grants are created
and revoked, never edited in place, so their history stays readable.
"""

from django.utils.translation import gettext_lazy as _
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from campus_portal.common.permissions import ReadOnlyPermissionPolicy
from data_warehouse.models import AccessLog, DataItem, Grant

register_permission_policy(AccessLog, ReadOnlyPermissionPolicy(AccessLog))


class DataItemViewSet(SnippetViewSet):
    model = DataItem
    icon = "table"
    list_display = ["key", "label", "owner_office_code", "sensitivity", "source"]
    list_filter = ["sensitivity", "owner_office_code"]
    search_fields = ["key", "label"]


class GrantViewSet(SnippetViewSet):
    model = Grant
    icon = "key"
    list_display = ["handler_key", "item", "purpose", "unmasked", "granted_by", "revoked_at"]
    list_filter = ["unmasked"]
    search_fields = ["handler_key", "purpose"]


class AccessLogViewSet(SnippetViewSet):
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
