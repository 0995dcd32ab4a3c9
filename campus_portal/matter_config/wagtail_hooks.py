"""The matter designer in the Wagtail admin, for each office's own matters.

Configurations are snippets (one per matter, created by the import or by the office for a
matter of its own); the edit view is the draft, the publish screen (``admin_views.py``) lints,
previews the impact and publishes. Every view asks ``permissions.OfficeConfigurationPolicy``
for the object, so one office never opens another office's configuration.
"""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.admin.widgets import Button
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import DeleteView, EditView, SnippetViewSet

from campus_portal.common.permissions import InstanceCheckedMixin
from campus_portal.matter_config import admin_views
from campus_portal.matter_config.admin_forms import ConfigurationForm
from campus_portal.matter_config.models import MatterConfiguration
from campus_portal.matter_config.permissions import OfficeConfigurationPolicy, may_publish

register_permission_policy(MatterConfiguration, OfficeConfigurationPolicy(MatterConfiguration))


class ConfigurationEditView(InstanceCheckedMixin, EditView):
    pass


class ConfigurationDeleteView(InstanceCheckedMixin, DeleteView):
    instance_action = "delete"


class MatterConfigurationViewSet(SnippetViewSet):
    model = MatterConfiguration
    icon = "form"
    menu_label = _("Matter designer")
    menu_order = 250
    add_to_admin_menu = True
    edit_view_class = ConfigurationEditView
    delete_view_class = ConfigurationDeleteView
    copy_view_enabled = False
    list_display = ["matter", "office_code", "decision_mode", "derived", "updated_at"]
    list_filter = ["office_code", "decision_mode", "derived"]
    search_fields = ["matter__title", "matter__code"]
    edit_handler = TabbedInterface(
        [
            ObjectList(
                [FieldPanel("matter"), FieldPanel("fields")], heading=_("Form and materials")
            ),
            ObjectList(
                [FieldPanel("data_needs"), FieldPanel("purpose")], heading=_("University data")
            ),
            ObjectList([FieldPanel("steps")], heading=_("Steps")),
            ObjectList(
                [
                    MultiFieldPanel(
                        [FieldPanel("decision_mode"), FieldPanel("decision_rule")],
                        heading=_("Decision"),
                    ),
                    MultiFieldPanel(
                        [
                            FieldPanel("result_kind"),
                            FieldPanel("result_title"),
                            FieldPanel("result_body"),
                            FieldPanel("delivery_modes"),
                        ],
                        heading=_("Result"),
                    ),
                ],
                heading=_("Decision and result"),
            ),
        ],
        base_form_class=ConfigurationForm,
    )

    def get_queryset(self, request):
        return self.permission_policy.instances_user_has_permission_for(request.user, "view")


register_snippet(MatterConfigurationViewSet)


@hooks.register("register_admin_urls")
def register_publish_urls():
    return [
        path(
            "matter-config/<int:pk>/publish/",
            admin_views.configuration_publish_view,
            name="matter_config_publish",
        )
    ]


@hooks.register("register_snippet_listing_buttons")
def publish_button(snippet, user, next_url=None):
    if isinstance(snippet, MatterConfiguration) and may_publish(user, snippet):
        yield Button(
            _("Check and publish"),
            reverse("matter_config_publish", args=[snippet.pk]),
            icon_name="upload",
            priority=5,
        )
