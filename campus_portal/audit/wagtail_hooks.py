"""The security log in the Wagtail admin: searchable, read-only for everyone."""

from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from campus_portal.audit.models import SecurityEvent
from platform_common.permissions import ReadOnlyPermissionPolicy

register_permission_policy(SecurityEvent, ReadOnlyPermissionPolicy(SecurityEvent))


class SecurityEventViewSet(SnippetViewSet):
    model = SecurityEvent
    icon = "warning"
    menu_order = 280
    add_to_admin_menu = True
    list_display = ["sequence", "at", "kind", "actor", "subject", "ip_address"]
    list_filter = ["kind"]
    search_fields = ["actor", "subject", "ip_address"]
    inspect_view_enabled = True


register_snippet(SecurityEventViewSet)
