"""The administrators' view of the connector: health, last successful sync, recent runs."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from campus_portal.province.health import connector_health
from campus_portal.province.models import HandOff, ProvincialMatter
from campus_portal.province.selectors import sync_runs_recent

# The catalog administrators' permission: whoever files the catalog watches its provincial part.
STATUS_PERMISSION = "catalog.export_catalog"


def connector_status(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm(STATUS_PERMISSION):
        raise PermissionDenied
    return TemplateResponse(
        request,
        "province/admin/status.html",
        {
            "health": connector_health(),
            "base_url": settings.PROVINCE_API_BASE_URL,
            "runs": sync_runs_recent(),
            "current_count": ProvincialMatter.objects.filter(retired=False).count(),
            "retired_count": ProvincialMatter.objects.filter(retired=True).count(),
            "handoff_count": HandOff.objects.count(),
        },
    )
