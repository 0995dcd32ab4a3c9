"""Reads of the transfer that are not records: what an import would leave in flight."""

from __future__ import annotations

from django.db.models import Count

from campus_portal.applications.models import Application
from campus_portal.matter_config.selectors import IN_FLIGHT


def in_flight_by_matter(*, codes: list[str]) -> dict[str, int]:
    """Applications submitted and not finished, by matter code (the import's impact)."""
    if not codes:
        return {}
    return dict(
        Application.objects.filter(matter__code__in=codes, state__in=IN_FLIGHT)
        .values_list("matter__code")
        .annotate(n=Count("pk"))
        .values_list("matter__code", "n")
    )
