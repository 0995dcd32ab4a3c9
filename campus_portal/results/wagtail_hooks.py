"""Admin screens of the results app: office seals, result document templates, issued documents.

Office staff and heads see and edit only their own office's seal and templates
(``permissions.OfficeOwnedPermissionPolicy``, checked per object on edit and delete too);
issued documents are listed read-only for the issuing office — revoking happens on the
workbench's application page, with a reason, through the service.
"""

from django import forms
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import (
    DeleteView,
    EditView,
    SnippetViewSet,
    SnippetViewSetGroup,
)

from campus_portal.results.admin_forms import OwnOfficeForm, PrivateFileInput
from campus_portal.results.models import IssuedDocument, OfficeSeal, ResultTemplate
from campus_portal.results.permissions import OfficeOwnedPermissionPolicy


class ReadOnlyOfficePermissionPolicy(OfficeOwnedPermissionPolicy):
    """Issued documents: the issuing office views them; nobody edits them by hand."""

    def user_has_permission(self, user, action):
        return action in ("view", "inspect") and super().user_has_permission(user, action)


register_permission_policy(
    IssuedDocument, ReadOnlyOfficePermissionPolicy(IssuedDocument, office_lookup="office_code")
)


class _InstanceChecked:
    """Wagtail's edit and delete views check the model permission only; these also ask
    about the object, so that one office cannot open another office's seal or template."""

    instance_action = "change"

    def get_object(self, queryset=None):
        instance = super().get_object(queryset)
        if not self.permission_policy.user_has_permission_for_instance(
            self.request.user, self.instance_action, instance
        ):
            raise PermissionDenied
        return instance


class OfficeEditView(_InstanceChecked, EditView):
    instance_action = "change"


class OfficeDeleteView(_InstanceChecked, DeleteView):
    instance_action = "delete"


class OfficeListed:
    """Listings show the user's offices' rows only (the policy's answer for "view")."""

    def get_queryset(self, request):
        return self.permission_policy.instances_user_has_permission_for(request.user, "view")


# A plain select of the user's own offices (OwnOfficeForm narrows it), not the snippet chooser
# that would list every office.
OFFICE_PANEL = FieldPanel("office", widget=forms.Select)


class OfficeSealViewSet(OfficeListed, SnippetViewSet):
    model = OfficeSeal
    icon = "image"
    edit_view_class = OfficeEditView
    delete_view_class = OfficeDeleteView
    list_display = ["office", "updated_at"]
    copy_view_enabled = False
    edit_handler = ObjectList(
        [OFFICE_PANEL, FieldPanel("image", widget=PrivateFileInput)],
        base_form_class=OwnOfficeForm,
    )


class ResultTemplateViewSet(OfficeListed, SnippetViewSet):
    model = ResultTemplate
    icon = "doc-full"
    edit_view_class = OfficeEditView
    delete_view_class = OfficeDeleteView
    list_display = ["office", "kind", "language", "handler_key", "updated_at"]
    list_filter = ["kind", "language"]
    copy_view_enabled = False
    edit_handler = ObjectList(
        [
            OFFICE_PANEL,
            *(FieldPanel(name) for name in ("kind", "language", "handler_key", "source")),
        ],
        base_form_class=OwnOfficeForm,
    )


class IssuedDocumentViewSet(OfficeListed, SnippetViewSet):
    model = IssuedDocument
    icon = "doc-full-inverse"
    list_display = ["number", "title", "office_name", "issued_at", "revoked_at"]
    list_filter = ["kind"]
    search_fields = ["number", "title"]
    inspect_view_enabled = True
    copy_view_enabled = False


class ResultsViewSetGroup(SnippetViewSetGroup):
    menu_label = _("Result documents")
    menu_icon = "doc-full"
    menu_order = 280
    items = (ResultTemplateViewSet, OfficeSealViewSet, IssuedDocumentViewSet)


register_snippet(ResultsViewSetGroup)
