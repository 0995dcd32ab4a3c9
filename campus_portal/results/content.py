"""What a result document says, and how it becomes PDF bytes (before signing).

Why it is shaped like this:

- The *plugin* decides the content: ``MatterHandler.result()`` returns a ``ResultDocument``
  (title, body, fields, language). Matters whose handler has none get a generic 准予办理决定书.
- The *office* decides the wording around it: the body template (``ResultTemplate``) for its
  office, kind and language — the handler's own template first, then the office's, then the
  built-in default (``DEFAULT_SOURCES``, which ``results_load_demo`` also copies into the
  admin for offices to edit).
- The *platform* adds what nobody may drop: letterhead, number, seal, QR code, signature block
  (``results/document.html``, extending ``documents/base.html``). The edited body is rendered
  on its own and inserted as HTML; rendering to PDF goes through ``documents/rendering.py``
  (only ``data:`` URIs are fetched, so a template can read no file and fetch no URL).
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.template import engines
from django.utils.safestring import mark_safe

from campus_portal.documents.notices import applicant_name, cn_date
from campus_portal.documents.rendering import html_render, html_to_pdf
from campus_portal.results.models import DocumentKind, Language, OfficeSeal, ResultTemplate
from campus_portal.results.samples import sample_context
from campus_portal.results.signing import NUMBER_KEYWORD_PREFIX

# The built-in bodies, one file each (``default_templates/<kind>_<language>.html``); offices
# edit their copies in the admin (``results_load_demo`` creates them).
DEFAULTS_DIR = Path(__file__).resolve().parent / "default_templates"
DEFAULT_SOURCES: dict[tuple[str, str], str] = {
    (DocumentKind.CERTIFICATE, Language.ZH): (DEFAULTS_DIR / "certificate_zh.html").read_text(),
    (DocumentKind.CERTIFICATE, Language.EN): (DEFAULTS_DIR / "certificate_en.html").read_text(),
    (DocumentKind.DECISION, Language.ZH): (DEFAULTS_DIR / "decision_zh.html").read_text(),
    # Decisions are Chinese documents; an English request gets the Chinese decision.
    (DocumentKind.DECISION, Language.EN): (DEFAULTS_DIR / "decision_zh.html").read_text(),
}
DECISION_TITLE = "准予办理决定书"


@dataclass(frozen=True)
class Content:
    """Everything a document shows, decided before it is numbered."""

    kind: str
    language: str
    title: str
    body: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    handler_key: str = ""


def mask_name(name: str) -> str:
    """张晓明 → 张**, Li Hua → L*******: enough to recognise one's own, not to learn a name."""
    name = name.strip()
    if not name:
        return ""
    return name[0] + "*" * max(len(name) - 1, 1)


def qr_data_uri(url: str) -> str:
    """A PNG QR code of ``url`` as a data: URI (qrcode + Pillow)."""
    import qrcode

    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=6, border=2)
    code.add_data(url)
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image(fill_color="black", back_color="white").save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def seal_data_uri(office) -> str:
    """The office's seal as a data: URI, or "" when the office has none uploaded."""
    seal = OfficeSeal.objects.filter(office=office).first() if office is not None else None
    if seal is None or not seal.image:
        return ""
    try:
        with seal.image.open("rb") as handle:
            data = handle.read()
    except FileNotFoundError:
        return ""
    return "data:image/png;base64," + base64.b64encode(data).decode()


def template_source(*, office, kind: str, language: str, handler_key: str) -> str:
    """The office's template for this kind and language (the handler's own first), else ours."""
    if office is not None:
        candidates = ResultTemplate.objects.filter(
            office=office, kind=kind, language=language, handler_key__in=[handler_key, ""]
        ).order_by("-handler_key")
        chosen = candidates.first()
        if chosen is not None:
            return chosen.source
    return DEFAULT_SOURCES[(kind, language)]


def document_context(
    application, content: Content, *, number: str, issued_at, office, verify_url: str
) -> dict[str, Any]:
    """The values of the body template and of the surrounding layout."""
    matter = application.matter
    office_name = office.name if office is not None else application.office_code
    values: dict[str, Any] = {
        "applicant_name": applicant_name(application),
        "title": content.title,
        "body": content.body,
        "fields": content.fields,
        "matter_title": matter.title,
        "reference": application.reference,
        "number": number,
        "submitted_on": cn_date(application.submitted_at),
        "issued_on": cn_date(issued_at),
        "office_name": office_name,
        "university": settings.UNIVERSITY_NAME,
        "result_name": matter.result_name,
        "reason": application.decision_reason,
    }
    source = template_source(
        office=office,
        kind=content.kind,
        language=content.language,
        handler_key=content.handler_key,
    )
    # The office's body is rendered on its own, autoescaped, and inserted as HTML.
    body_html = engines["django"].from_string(source).render(values)
    return {
        **values,
        "body_html": mark_safe(body_html),  # noqa: S308 (autoescaped template output)
        "language": content.language,
        "seal_uri": seal_data_uri(office),
        "qr_uri": qr_data_uri(verify_url),
        "verify_url": verify_url,
        "keywords": NUMBER_KEYWORD_PREFIX + number,
        "office_phone": matter.phone or getattr(office, "phone", ""),
        "office_address": matter.address or getattr(office, "address", ""),
    }


def document_pdf(context: dict[str, Any]) -> bytes:
    """The unsigned PDF (never cached: it is signed and stored once)."""
    return html_to_pdf(html_render("results/document.html", context))


def sample_document_context(*, number: str, seal_png: bytes | None = None) -> dict[str, Any]:
    """A complete layout context for a made-up 在读证明 (no application, no database): the
    sample in docs/samples and the render+sign benchmark."""
    values = {
        **sample_context(),
        "number": number,
        "body": "兹证明 张晓明（学号 2023010101），系我校 计算机学院 软件工程 专业 2023 级 "
        "本科 在读学生。（示例文书，仅用于演示核验。）",
        "fields": [("用途", "办理签证")],
    }
    verify_url = f"{settings.RESULTS_VERIFY_BASE_URL.rstrip('/')}/verify/{number}/"
    body_html = engines["django"].from_string(CERTIFICATE_SAMPLE_SOURCE).render(values)
    seal = "data:image/png;base64," + base64.b64encode(seal_png).decode() if seal_png else ""
    return {
        **values,
        "body_html": mark_safe(body_html),  # noqa: S308 (autoescaped template output)
        "language": Language.ZH,
        "seal_uri": seal,
        "qr_uri": qr_data_uri(verify_url),
        "verify_url": verify_url,
        "keywords": NUMBER_KEYWORD_PREFIX + number,
        "office_phone": "0571-00000000",
        "office_address": "行政楼一楼师生服务中心",
    }


CERTIFICATE_SAMPLE_SOURCE = DEFAULT_SOURCES[(DocumentKind.CERTIFICATE, Language.ZH)]
