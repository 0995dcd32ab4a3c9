"""What the province sends, checked before anything is applied (docs/province.md).

Pure functions: a page of the response becomes a list of ``Entry`` or a ``ContractError``.
One bad entry fails the whole sync — applying the rest would leave the catalog half old, half
new, and a silently skipped matter would later look "disappeared" and be retired.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings

REQUIRED_FIELDS = ("code", "name", "department", "web_url")
MAX_CODE_LENGTH = 64
MAX_TEXT_LENGTH = 200
MAX_URL_LENGTH = 500


class ContractError(Exception):
    """The province answered something the contract does not allow."""


@dataclass(frozen=True)
class Entry:
    code: str
    name: str
    department: str
    guide: str
    audiences: list[str]
    web_url: str
    app_url: str

    def content(self) -> dict[str, object]:
        return {
            "name": self.name,
            "department": self.department,
            "guide": self.guide,
            "audiences": list(self.audiences),
            "web_url": self.web_url,
            "app_url": self.app_url,
        }


def host_allowed(host: str, allowed: Iterable[str] | None = None) -> bool:
    """A host is allowed when it is an allow-listed host or a subdomain of one."""
    host = (host or "").lower().rstrip(".")
    for item in settings.PROVINCE_LINK_HOSTS if allowed is None else allowed:
        item = item.lower().strip().rstrip(".")
        if item and (host == item or host.endswith("." + item)):
            return True
    return False


def link_check(url: str) -> str | None:
    """Why ``url`` may not be linked to, or None: https only, allow-listed hosts only."""
    if len(url) > MAX_URL_LENGTH:
        return "link too long"
    parts = urlsplit(url)
    if parts.scheme != "https":
        return f"not https: {url}"
    if parts.username or parts.password or not host_allowed(parts.hostname or ""):
        return f"host not allowed: {url}"
    return None


def _text(item: dict[str, Any], key: str, limit: int | None) -> str:
    value = item.get(key, "")
    if not isinstance(value, str):
        raise ContractError(f"{key} must be a string")
    value = value.strip()
    if limit is not None and len(value) > limit:
        raise ContractError(f"{key} longer than {limit} characters")
    return value


def entry_parse(item: object) -> Entry:
    """One item of ``items``, checked (required fields, types, lengths, links)."""
    if not isinstance(item, dict):
        raise ContractError("an item is not an object")
    missing = [key for key in REQUIRED_FIELDS if not str(item.get(key) or "").strip()]
    if missing:
        raise ContractError(f"item {item.get('code')!r} lacks {', '.join(missing)}")
    audiences = item.get("audiences", [])
    if not isinstance(audiences, list) or not all(isinstance(a, str) for a in audiences):
        raise ContractError(f"item {item['code']!r}: audiences must be a list of strings")
    entry = Entry(
        code=_text(item, "code", MAX_CODE_LENGTH),
        name=_text(item, "name", MAX_TEXT_LENGTH),
        department=_text(item, "department", MAX_TEXT_LENGTH),
        guide=_text(item, "guide", None),
        audiences=[a.strip() for a in audiences if a.strip()],
        web_url=_text(item, "web_url", MAX_URL_LENGTH),
        app_url=_text(item, "app_url", MAX_URL_LENGTH),
    )
    for url in filter(None, (entry.web_url, entry.app_url)):
        problem = link_check(url)
        if problem:
            raise ContractError(f"item {entry.code!r}: {problem}")
    return entry


@dataclass(frozen=True)
class Page:
    number: int
    pages: int
    entries: list[Entry]


def page_parse(body: object, *, expected_page: int) -> Page:
    """One response body: ``{"items": [...], "page": N, "pages": P}``, all items valid."""
    if not isinstance(body, dict):
        raise ContractError("the response is not an object")
    items, number, pages = body.get("items"), body.get("page"), body.get("pages")
    if not isinstance(items, list):
        raise ContractError("items missing or not a list")
    if not isinstance(number, int) or not isinstance(pages, int) or isinstance(number, bool):
        raise ContractError("page and pages must be integers")
    if number != expected_page or not 1 <= number <= pages:
        raise ContractError(f"asked for page {expected_page}, got page {number} of {pages}")
    return Page(number=number, pages=pages, entries=[entry_parse(item) for item in items])
