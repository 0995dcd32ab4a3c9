"""``{% online_application matter %}``: the "apply online" link of a guide page, when one exists.

A tag rather than guide-page context so the catalog does not depend on the applications app.
"""

from __future__ import annotations

from django import template

from campus_portal.applications.models import HandlerBinding
from campus_portal.plugin_api import registry

register = template.Library()


@register.inclusion_tag("applications/includes/apply_link.html")
def online_application(matter) -> dict:
    binding = HandlerBinding.objects.filter(matter=matter, enabled=True).first()
    available = binding is not None and binding.handler_key in registry
    return {"matter": matter, "available": available}
