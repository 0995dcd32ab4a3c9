"""Administrators switch a matter's online handler on and off, or bind another handler."""

from __future__ import annotations

from django import forms
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from campus_portal.applications.models import HandlerBinding
from campus_portal.plugin_api import registry


class HandlerBindingForm(WagtailAdminModelForm):
    """The handler is chosen from the registered ones, so a typo cannot bind nothing."""

    class Meta:
        model = HandlerBinding
        fields = ["matter", "handler_key", "enabled"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["handler_key"] = forms.ChoiceField(
            label=self.fields["handler_key"].label, choices=registry.choices()
        )


class HandlerBindingViewSet(SnippetViewSet):
    model = HandlerBinding
    icon = "cogs"
    menu_order = 260
    add_to_admin_menu = True
    list_display = ["matter", "handler_key", "enabled"]
    list_filter = ["enabled"]
    search_fields = ["handler_key"]
    copy_view_enabled = False
    edit_handler = ObjectList(
        [FieldPanel("matter"), FieldPanel("handler_key"), FieldPanel("enabled")],
        base_form_class=HandlerBindingForm,
    )


register_snippet(HandlerBindingViewSet)
