"""``{{ event|presence_text }}`` — how the applicant proved they were at the window, in words
(a window start records it on the visit; ``accounts.presence``)."""

from django import template
from django.utils.translation import gettext as _

from campus_portal.accounts.presence import METHODS
from campus_portal.applications.models import Event

register = template.Library()


@register.filter
def presence_text(event: Event) -> str:
    method = (event.detail or {}).get("presence")
    if method not in METHODS:
        return ""
    detail = event.detail
    extra = detail.get("card") or detail.get("confirmed_at") or ""
    text = _("Presence confirmed: %(method)s") % {"method": METHODS[method]}
    return f"{text} ({extra})" if extra else text
