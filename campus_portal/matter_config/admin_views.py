"""The publish screen: the lint's problems, the impact on applications, then publish.

Registered in ``wagtail_hooks.py``. The view only asks the selectors and calls the service;
the service runs the lint again (nothing published without it).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from campus_portal.matter_config.lint import ERROR, errors_of
from campus_portal.matter_config.models import MatterConfiguration
from campus_portal.matter_config.permissions import may_publish
from campus_portal.matter_config.selectors import (
    configuration_lint,
    impact_preview,
    version_latest,
)
from campus_portal.matter_config.services import PublishRefused, configuration_publish


def configuration_publish_view(request: HttpRequest, pk: int) -> HttpResponse:
    configuration = get_object_or_404(MatterConfiguration.objects.select_related("matter"), pk=pk)
    if not may_publish(request.user, configuration):
        raise PermissionDenied
    problems = configuration_lint(configuration=configuration)
    if request.method == "POST" and not errors_of(problems):
        try:
            version = configuration_publish(
                configuration=configuration,
                user=request.user,
                move_drafts=request.POST.get("move_drafts") == "on",
            )
        except PublishRefused as refused:
            problems = refused.problems
        else:
            messages.success(
                request,
                _("Version %(number)s of “%(matter)s” is published.")
                % {"number": version.number, "matter": configuration.matter.title},
            )
            return redirect("matter_config_publish", pk=pk)
    return TemplateResponse(
        request,
        "matter_config/admin/publish.html",
        {
            "configuration": configuration,
            "errors": [p for p in problems if p.severity == ERROR],
            "warnings": [p for p in problems if p.severity != ERROR],
            "impact": impact_preview(configuration=configuration),
            "latest": version_latest(configuration=configuration),
        },
    )
