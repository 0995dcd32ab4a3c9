"""Role assignments in the Wagtail admin: administrators give and take away roles."""

from __future__ import annotations

from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from campus_portal.accounts.admin_forms import RoleAssignmentForm
from campus_portal.accounts.models import RoleAssignment


class GiveAndRevokePermissionPolicy(ModelPermissionPolicy):
    """Add and delete only; an assignment is never edited in place."""

    def user_has_permission(self, user, action: str) -> bool:
        return action != "change" and super().user_has_permission(user, action)


register_permission_policy(RoleAssignment, GiveAndRevokePermissionPolicy(RoleAssignment))


class RoleAssignmentViewSet(SnippetViewSet):
    model = RoleAssignment
    icon = "group"
    menu_order = 280
    add_to_admin_menu = True
    list_display = ["user", "role", "office_code", "source", "assigned_by", "assigned_at"]
    list_filter = ["role", "source"]
    search_fields = ["office_code", "assigned_by"]
    copy_view_enabled = False

    edit_handler = ObjectList(
        [FieldPanel("user"), FieldPanel("role"), FieldPanel("office_code")],
        base_form_class=RoleAssignmentForm,
    )


register_snippet(RoleAssignmentViewSet)
