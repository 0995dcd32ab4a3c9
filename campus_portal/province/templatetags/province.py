"""Provincial matters on the catalog's pages (一网通办), read where they are shown, so the catalog
imports nothing of the province app (which builds on the catalog's search)."""

from __future__ import annotations

from collections.abc import Mapping

from django import template

from campus_portal.catalog.models import Audience
from campus_portal.province.health import Health, connector_health
from campus_portal.province.models import ProvincialMatter
from campus_portal.province.selectors import provincial_get, provincial_search

register = template.Library()


@register.simple_tag
def provincial_matters_for(filters: Mapping[str, str]) -> list[ProvincialMatter]:
    """Provincial matters beside campus ones in a search, unless browsing an office or topic."""
    if filters.get("office_code") or filters.get("topic"):
        return []
    code = filters.get("audience")
    audience = Audience.objects.filter(code=code).first() if code else None
    return provincial_search(
        q=filters.get("q", ""), audience_name=audience.name if audience else ""
    )


@register.simple_tag
def provincial_matter_for(code: str) -> ProvincialMatter | None:
    """The related provincial matter of a guide, if the province still lists it."""
    return provincial_get(code=code) if code else None


@register.simple_tag
def province_connector_health() -> Health:
    return connector_health()
