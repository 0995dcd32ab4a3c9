"""The HTTP answer for a downloaded document: a PDF attachment with a Chinese file name.

``Content-Disposition`` carries two names (RFC 6266): ``filename`` in plain ASCII for old
clients, and ``filename*`` (RFC 5987, UTF-8, percent-encoded) with the name people read —
``XW…-受理回执.pdf``. Django's own helper sends only ``filename*`` for non-ASCII names, which
leaves clients that ignore it with no name at all.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from django.http import HttpResponse

_UNSAFE_ASCII = re.compile(r"[^A-Za-z0-9._-]+")


def content_disposition(*, ascii_name: str, display_name: str) -> str:
    """``attachment; filename="…"; filename*=UTF-8''…`` with both names made header-safe."""
    fallback = _UNSAFE_ASCII.sub("_", ascii_name).strip("_") or "document.pdf"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(display_name, safe='')}"


def pdf_attachment(pdf: bytes, *, ascii_name: str, display_name: str) -> HttpResponse:
    """A private, uncached download: notices carry personal data."""
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(
        ascii_name=ascii_name, display_name=display_name
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
