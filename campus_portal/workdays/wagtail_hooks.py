"""The working-day calendar in the Wagtail admin: administrators enter overrides.

Wagtail's default model permission policy applies, so only users with the ``workdays`` model
permissions (superusers and the ``role:administrator`` group) see and manage it.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import CreateView, SnippetViewSet

from campus_portal.workdays.models import CalendarOverride


class CalendarOverrideCreateView(CreateView):
    def save_instance(self):
        self.form.instance.created_by = self.request.user
        return super().save_instance()


class CalendarOverrideViewSet(SnippetViewSet):
    model = CalendarOverride
    icon = "date"
    menu_label = _("Working-day calendar")
    menu_name = "working-day-calendar"
    menu_order = 290
    add_to_admin_menu = True
    add_view_class = CalendarOverrideCreateView
    list_display = ["date", "is_working_day", "note", "created_by", "created_at"]
    list_filter = ["is_working_day"]
    search_fields = ["note"]
    panels = [FieldPanel("date"), FieldPanel("is_working_day"), FieldPanel("note")]


register_snippet(CalendarOverrideViewSet)
