"""Fetching the provincial catalog over HTTPS with the standard library.

``urllib.request`` because ``requests`` is not one of our dependencies and the contract needs
nothing more than GET, two conditional headers and a timeout.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from email.message import Message
from urllib.parse import urlencode

from django.conf import settings

from campus_portal.province.contract import ContractError, Page, page_parse

MAX_BODY_BYTES = 10 * 1024 * 1024


class ConnectorError(Exception):
    """The province could not be reached or answered with an error."""


@dataclass(frozen=True)
class Catalog:
    """Every entry of every page, with the validators to send next time."""

    pages: list[Page]
    etag: str
    last_modified: str
    requests: int


def _request(page: int, *, etag: str = "", last_modified: str = "") -> tuple[int, bytes, Message]:
    base = settings.PROVINCE_API_BASE_URL.rstrip("/")
    query = urlencode({"page": page, "page_size": settings.PROVINCE_API_PAGE_SIZE})
    request = urllib.request.Request(f"{base}/matters?{query}")  # noqa: S310  # http(s) from settings
    request.add_header("Accept", "application/json")
    if settings.PROVINCE_API_TOKEN:
        request.add_header("Authorization", f"Bearer {settings.PROVINCE_API_TOKEN}")
    if etag:
        request.add_header("If-None-Match", etag)
    if last_modified:
        request.add_header("If-Modified-Since", last_modified)
    try:
        with urllib.request.urlopen(  # noqa: S310
            request, timeout=settings.PROVINCE_API_TIMEOUT
        ) as response:
            return response.status, response.read(MAX_BODY_BYTES), response.headers
    except urllib.error.HTTPError as error:
        if error.code == 304:
            return 304, b"", error.headers
        raise ConnectorError(f"page {page}: HTTP {error.code}") from error
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        raise ConnectorError(f"page {page}: {error}") from error


def _json(body: bytes, page: int) -> object:
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise ContractError(f"page {page}: malformed JSON ({error})") from error


def catalog_fetch(*, etag: str = "", last_modified: str = "") -> Catalog | None:
    """All pages of the catalog, or None when page 1 says 304 Not Modified (one request).

    The validators go on page 1 only: the province versions the catalog as a whole, so if page 1
    is unchanged everything is; later pages are fetched plainly.
    """
    status, body, headers = _request(1, etag=etag, last_modified=last_modified)
    if status == 304:
        return None
    first = page_parse(_json(body, 1), expected_page=1)
    pages = [first]
    for number in range(2, first.pages + 1):
        _, body, _ = _request(number)
        page = page_parse(_json(body, number), expected_page=number)
        if page.pages != first.pages:
            raise ContractError(f"page {number}: the number of pages changed during the sync")
        pages.append(page)
    return Catalog(
        pages=pages,
        etag=headers.get("ETag", ""),
        last_modified=headers.get("Last-Modified", ""),
        requests=len(pages),
    )
