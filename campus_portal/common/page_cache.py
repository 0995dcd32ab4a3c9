"""Cache of whole portal pages for anonymous visitors.

Why: the catalog and guide pages are read far more often than they change, and most readers are
not signed in. Serving them from the cache keeps a guide page within reach of a bare Django view
(docs/performance.md). Why not Django's own cache middleware: it cannot be invalidated when an
editor publishes, and we must never show a stale time limit for long. Here every cached page
carries a *generation*; publishing, unpublishing or importing starts a new generation, which
makes all older entries unreachable at once.

A request is cacheable only when it is a GET/HEAD for a public portal path, carries no session
cookie (so nobody signed in ever gets a shared page) and its response sets no cookie.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

GENERATION_KEY = "page-cache:generation"
# Only these query parameters make a cacheable variant of a page; any other parameter (a typo, a
# tracking tag, a deliberate flood of random values) bypasses the cache instead of filling it.
CACHEABLE_PARAMETERS = frozenset({"q", "audience", "office", "topic", "online", "page"})
UNCACHED_PREFIXES = ("/admin/", "/api/", "/i18n/", "/documents/", "/media/", "/static/", "/healthz")


def page_cache_clear() -> None:
    """Make every cached page stale (call after anything visible on the portal changes)."""
    cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)


def _generation() -> str:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        generation = uuid.uuid4().hex
        cache.add(GENERATION_KEY, generation, timeout=None)
        generation = cache.get(GENERATION_KEY, generation)
    return generation


def _is_cacheable_request(request: HttpRequest) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and settings.PAGE_CACHE_SECONDS > 0
        and not request.path.startswith(UNCACHED_PREFIXES)
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CACHEABLE_PARAMETERS.issuperset(request.GET.keys())
    )


def _cache_key(request: HttpRequest) -> str:
    raw = f"{request.get_host()}|{request.get_full_path()}|{request.LANGUAGE_CODE}"
    return f"page-cache:{_generation()}:{hashlib.sha256(raw.encode()).hexdigest()}"


class AnonymousPageCacheMiddleware:
    """Serve anonymous portal pages from the cache; must sit after LocaleMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not _is_cacheable_request(request):
            return self.get_response(request)
        key = _cache_key(request)
        cached = cache.get(key)
        if cached is not None:
            cached["X-Page-Cache"] = "hit"
            return cached
        response = self.get_response(request)
        if (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not response.has_header("Cache-Control")
        ):
            cache.set(key, response, settings.PAGE_CACHE_SECONDS)
            response["X-Page-Cache"] = "miss"
        return response
