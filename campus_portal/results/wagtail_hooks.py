"""Admin screens of the results app: office seals, result document templates, issued documents.

Office staff and heads see and edit only their own office's seal and templates
(``permissions.OfficeOwnedPermissionPolicy``, checked per object on edit and delete too);
issued documents are listed read-only for the issuing office — revoking happens on the
workbench's application page, with a reason, through the service.
"""

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


class OfficeSealViewSet(SnippetViewSet):
    model = OfficeSeal
    icon = "image"
    edit_view_class = OfficeEditView
    delete_view_class = OfficeDeleteView
    list_display = ["office", "updated_at"]
    copy_view_enabled = False
    edit_handler = ObjectList(
        [FieldPanel("office"), FieldPanel("image", widget=PrivateFileInput)],
        base_form_class=OwnOfficeForm,
    )


class ResultTemplateViewSet(SnippetViewSet):
    model = ResultTemplate
    icon = "doc-full"
    edit_view_class = OfficeEditView
    delete_view_class = OfficeDeleteView
    list_display = ["office", "kind", "language", "handler_key", "updated_at"]
    list_filter = ["kind", "language"]
    copy_view_enabled = False
    edit_handler = ObjectList(
        [FieldPanel(name) for name in ("office", "kind", "language", "handler_key", "source")],
        base_form_class=OwnOfficeForm,
    )


class IssuedDocumentViewSet(SnippetViewSet):
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
