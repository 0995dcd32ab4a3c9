"""Refuse, at the edge, text that the database cannot store.

Why: PostgreSQL refuses NUL (U+0000) in ``text``/``varchar`` and ``jsonb``, and psycopg cannot
encode a lone UTF-16 surrogate (U+D800–U+DFFF, reachable through a JSON ``\\ud800`` escape).
Either one, anywhere a view passes input to a query, turns a harmless typo or probe into an
HTTP 500 (``DataError``) — some of them anonymous. SQLite stores both quietly, so the bug only
shows in production. Rather than clean every field of every form and every URL argument one by
one (and forget the next one), this middleware looks at everything a request can carry as text
before any view runs:

- the path (after percent-decoding) → 404, as for any other address that does not exist;
- the query string, the form fields (names and values, file names included) and a JSON body,
  and the HTTP headers (cookies among them) → 400 with a page that says what was wrong.

Binary bodies (an uploaded PDF sent as the whole request) are not text and pass untouched;
file *contents* in a multipart upload are checked by the attachment rules, not here.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

# NUL, and the surrogate code points that have no UTF-8 form.
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def text_is_storable(value: str) -> bool:
    """Whether PostgreSQL can store ``value`` in a text column (no NUL, no lone surrogate)."""
    return UNSTORABLE.search(value) is None


def _json_strings(value: object) -> Iterable[str]:
    """Every string in a decoded JSON document: keys and values, however deep."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def _form_strings(request: HttpRequest) -> Iterable[str]:
    for key, values in request.POST.lists():
        yield key
        yield from values
    for key, uploads in request.FILES.lists():
        yield key
        yield from (upload.name or "" for upload in uploads)


def _body_strings(request: HttpRequest) -> Iterable[str]:
    content_type = request.content_type or ""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        yield from _form_strings(request)
    elif content_type == "application/json" or content_type.endswith("+json"):
        try:
            document = json.loads(request.body or b"null")
        except (ValueError, UnicodeDecodeError):
            return  # not JSON after all: the view answers that with its own 400
        yield from _json_strings(document)


def _header_strings(request: HttpRequest) -> Iterable[str]:
    for key, value in request.META.items():
        if key.startswith("HTTP_") and isinstance(value, str):
            yield value


def request_unstorable_part(request: HttpRequest) -> str | None:
    """Which part of the request carries unstorable text ("path", "query", "body",
    "headers"), or None when all of it can be stored."""
    if not text_is_storable(request.path_info) or not text_is_storable(request.path):
        return "path"
    query = (s for key, values in request.GET.lists() for s in (key, *values))
    parts: tuple[tuple[str, Callable[[], Iterable[str]]], ...] = (
        ("query", lambda: query),
        ("headers", lambda: _header_strings(request)),
        ("body", lambda: _body_strings(request)),
    )
    for name, strings in parts:
        if any(not text_is_storable(value) for value in strings()):
            return name
    return None


class UnstorableInputMiddleware:
    """A 404 for an unstorable path, a 400 for unstorable text anywhere else (module doc)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        part = request_unstorable_part(request)
        if part == "path":
            raise Http404(_("The address contains characters that cannot be part of an address."))
        if part is not None:
            # Rendered here, not raised: Django's 400 view shows no message. The page needs
            # nothing from the session (the request has not reached it yet).
            message = _(
                "The request contains a NUL character or another character that cannot be "
                "stored. Remove it and try again."
            )
            return render(request, "400.html", {"message": message}, status=400)
        return self.get_response(request)
