"""The administrator's kiosk screen beyond the snippets: issuing an enrolment link."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from hall_kiosk import services
from hall_kiosk.kiosk_session import no_store
from hall_kiosk.models import Kiosk
from hall_kiosk.views import qr_svg

ENROL_PERMISSION = "hall_kiosk.change_kiosk"


def kiosk_enrolment(request: HttpRequest) -> HttpResponse:
    """The kiosks; POST issues one kiosk a one-time link, shown on this page once (only its
    digest is stored). Opening it on the kiosk enrols that browser."""
    if not request.user.has_perm(ENROL_PERMISSION):
        raise PermissionDenied
    link, enrolled = "", None
    if request.method == "POST":
        enrolled = get_object_or_404(Kiosk, pk=request.POST.get("kiosk") or 0)
        code = services.kiosk_enrolment_issue(kiosk=enrolled, actor=request.user)
        link = request.build_absolute_uri(reverse("hall_kiosk:enrol", args=[code]))
    return no_store(
        render(
            request,
            "hall_kiosk/admin_enrolment.html",
            {
                "kiosks": Kiosk.objects.all(),
                "enrolled": enrolled,
                "link": link,
                "svg": qr_svg(link) if link else "",
            },
        )
    )
