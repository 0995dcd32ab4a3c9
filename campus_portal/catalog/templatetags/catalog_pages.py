"""What the catalog's Wagtail pages list, read in their templates: ``{% catalog_browse request.GET
as browse %}`` (the catalog home: search, facets, a page of results) and ``{% office_matters
page.office.code as matters %}`` (with ``{% online_ids matters as online_matter_ids %}`` for
the "online application" badges). The page models stay below the selectors that query them, so
``catalog.models`` never imports ``catalog.selectors``."""

from __future__ import annotations

from django import template

from campus_portal.catalog.models import MatterPage
from campus_portal.catalog.selectors import (
    catalog_browse_context,
    matter_list,
    online_matter_ids,
)

register = template.Library()


@register.simple_tag
def catalog_browse(params) -> dict[str, object]:
    return catalog_browse_context(params=params)


@register.simple_tag
def office_matters(office_code: str) -> list[MatterPage]:
    return list(matter_list(office_code=office_code))


@register.simple_tag
def online_ids(matters) -> set[int]:
    """Which of ``matters`` take online applications (one query for the whole list)."""
    return online_matter_ids(matter_ids=[matter.pk for matter in matters])
