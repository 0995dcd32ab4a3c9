"""The reference point of the throughput benchmark: a bare Django view.

It renders a small template with one database query, through the same middleware stack as the
portal pages. It is never served from the anonymous page cache (``never_cache`` sets a
``Cache-Control`` header, which ``AnonymousPageCacheMiddleware`` does not store), so it stands for
"the cheapest dynamic page this deployment can serve". Portal pages are reported as a share of
its requests per second.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.views.decorators.cache import never_cache

from campus_portal.catalog.models import Office

TEMPLATE = engines["django"].from_string(
    """<!doctype html>
<html lang="zh-hans"><head><meta charset="utf-8"><title>bench-baseline</title></head>
<body><h1>bench-baseline</h1>
<ul>{% for code, name in offices %}<li data-code="{{ code }}">{{ name }}</li>{% endfor %}</ul>
</body></html>
"""
)


@never_cache
def baseline(request: HttpRequest) -> HttpResponse:
    """One query (the first 20 offices), one small template."""
    offices = list(Office.objects.order_by("code").values_list("code", "name")[:20])
    return HttpResponse(TEMPLATE.render({"offices": offices}, request))
