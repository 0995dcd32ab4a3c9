"""The provincial matter page and the hand-off redirect."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.views.decorators.cache import never_cache

from campus_portal.province.handoffs import handoff_record, handoff_target
from campus_portal.province.health import connector_health
from campus_portal.province.models import HandOff
from campus_portal.province.selectors import provincial_get


def matter_detail(request: HttpRequest, code: str) -> HttpResponse:
    matter = provincial_get(code=code)
    if matter is None:
        raise Http404
    return TemplateResponse(
        request,
        "province/matter_detail.html",
        {"matter": matter, "province_health": connector_health()},
    )


@never_cache
def handoff(request: HttpRequest, code: str) -> HttpResponse:
    """Record the hand-off and redirect to the stored link — never to a URL from the request."""
    channel = request.GET.get("to", HandOff.Channel.WEB)
    if channel not in HandOff.Channel.values:
        raise Http404
    matter = provincial_get(code=code)
    if matter is None or matter.retired:
        raise Http404
    target = handoff_target(matter, channel)
    if target is None:
        raise Http404
    handoff_record(matter=matter, channel=channel, user=request.user)
    return HttpResponseRedirect(target)
