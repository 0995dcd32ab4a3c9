"""``{% application_attachments application as rows %}`` — the attachments panel of the
applicant's and the workbench's application pages, labelled with the handler's field labels."""

from django import template

from campus_portal.applications.models import Application
from campus_portal.applications.selectors import application_view
from campus_portal.attachments.selectors import AttachmentRow, attachments_listed
from campus_portal.plugin_api import registry

register = template.Library()


def _field_labels(application: Application) -> dict[str, str]:
    handler = registry.get(application.handler_key)
    form_class = handler.form_class_for(application_view(application)) if handler else None
    fields = getattr(form_class, "base_fields", {}) if form_class else {}
    return {name: str(field.label or name) for name, field in fields.items()}


@register.simple_tag
def application_attachments(application: Application) -> list[AttachmentRow]:
    """For a page that has already checked that the user may see ``application``."""
    return attachments_listed(application, labels=_field_labels(application))
