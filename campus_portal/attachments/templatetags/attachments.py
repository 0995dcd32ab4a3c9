from django import template

from campus_portal.attachments.selectors import attachments_listed

register = template.Library()


@register.simple_tag
def application_attachments(application):
    """``{% application_attachments application as rows %}`` — for a page that has already
    checked that the user may see ``application``."""
    return attachments_listed(application)
