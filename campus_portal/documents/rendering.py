"""Django template → PDF, the one rendering pipeline for every document the platform issues.

Why it is shaped like this:

- Documents are ordinary Django templates (HTML + CSS for print), so an office can later edit
  a certificate template the way it edits a web page, and the notices and the certificates of
  issue 7 share one layout (``documents/base.html``) and one code path.
- WeasyPrint lays the page out with pango and embeds a *subset* of each font it uses. Chinese
  needs a CJK font on the machine (``fonts-wqy-microhei`` or ``fonts-noto-cjk``, installed by
  ``make run``/``make test``); ``CJK_FONT_STACK`` names them in the order we prefer.
- A template may only pull in ``data:`` URIs (a seal image or a QR code, inlined by the
  caller). Anything else — ``file:``, ``http:`` — is refused, so an office-editable template
  cannot read files from the server or make it fetch URLs.
- Rendering a page costs ~0.05–0.2 s, so it never happens inside a transition: documents are
  rendered when they are downloaded. The bytes are cached under a digest of the HTML they were
  made from; the HTML is cheap to produce, and whatever changes the document (data, template,
  stylesheet) changes the digest, so a cached PDF can never be stale.
- The result is plain PDF bytes; signing (PAdES, issue 7) is a step *after* this one.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping
from typing import Any, Protocol

from django.core.cache import cache
from django.template.loader import get_template

logger = logging.getLogger(__name__)

# Fonts tried in order by documents/base.html; the first one installed is embedded.
CJK_FONT_STACK = (
    '"WenQuanYi Micro Hei", "Noto Sans CJK SC", "Noto Serif CJK SC", "Source Han Sans SC", '
    "sans-serif"
)
# Cached PDFs are small (a font subset and a page of text); a week covers the usual re-downloads.
CACHE_SECONDS = 7 * 24 * 3600
CACHE_PREFIX = "documents:pdf:"
ALLOWED_URL_SCHEMES = frozenset({"data"})


class RenderableTemplate(Protocol):
    """A loaded Django template (from a file, or from an office-edited string)."""

    def render(self, context: Mapping[str, Any] | None = ..., request: Any = ...) -> str: ...


def html_render(template: str | RenderableTemplate, context: Mapping[str, Any]) -> str:
    """The HTML of a document: ``template`` is a template name or an already loaded template."""
    loaded = get_template(template) if isinstance(template, str) else template
    return loaded.render({"cjk_font_stack": CJK_FONT_STACK, **context})


def html_to_pdf(html: str) -> bytes:
    """PDF bytes for ``html``; only ``data:`` URIs are fetched (see the module docstring)."""
    # Imported here: WeasyPrint loads pango through cffi, which web requests that never
    # produce a document should not pay for.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols=ALLOWED_URL_SCHEMES)
    return HTML(string=html, url_fetcher=fetcher, base_url=None).write_pdf()


def pdf_render(
    template: str | RenderableTemplate, context: Mapping[str, Any], *, use_cache: bool = True
) -> bytes:
    """Render ``template`` with ``context`` to PDF, reusing the bytes of identical HTML."""
    html = html_render(template, context)
    if not use_cache:
        return html_to_pdf(html)
    key = CACHE_PREFIX + hashlib.sha256(html.encode()).hexdigest()
    try:
        cached = cache.get(key)
    except Exception:  # a cache outage costs a re-render, never a download
        logger.warning("Could not read a cached document", exc_info=True)
        cached = None
    if cached is not None:
        return cached
    pdf = html_to_pdf(html)
    try:
        cache.set(key, pdf, CACHE_SECONDS)
    except Exception:
        logger.warning("Could not cache a rendered document", exc_info=True)
    return pdf
