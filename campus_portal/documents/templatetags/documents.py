"""``{% application_notices application as notices %}``: the notices to link to on a page.

A tag rather than a view variable so that the applicant's and the workbench's detail pages
(owned by their apps) need only one ``{% include %}`` line each.
"""

from __future__ import annotations

from django import template

from campus_portal.documents.notices import Notice, notices_for

register = template.Library()


@register.simple_tag
def application_notices(application) -> list[Notice]:
    return notices_for(application)
