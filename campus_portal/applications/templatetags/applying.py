"""``{% online_application matter %}``: how to get a matter done, at the top of its guide page.

An apply button when the matter takes online applications; otherwise which window, when it is
open and what to bring — or the blank forms and a booking (depth 2), or "information only"
(depth 1). A tag rather than guide-page context so the catalog does not depend on the
applications app; ``/apply/<code>/`` renders the same include (``selectors.matter_how_to_apply``).
"""

from __future__ import annotations

from django import template

from campus_portal.applications.selectors import matter_how_to_apply
from campus_portal.applications.services import handler_for

register = template.Library()


@register.inclusion_tag("applications/includes/how_to_apply.html")
def online_application(matter) -> dict:
    return {"how": matter_how_to_apply(matter=matter, handler=handler_for(matter))}
