"""The applicant's confirmation that a posted result arrived (the rest is in the workbench)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campus_portal.applications.events import TransitionRefused
from campus_portal.applications.selectors import application_for
from campus_portal.delivery import services


@login_required
@require_POST
def post_confirm(request: HttpRequest, reference: str) -> HttpResponse:
    application = application_for(request.user, reference, request=request)
    try:
        services.post_delivered_confirm(application=application, actor=request.user)
    except TransitionRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("Thank you: the delivery is confirmed."))
    return redirect("applications:detail", reference=reference)
