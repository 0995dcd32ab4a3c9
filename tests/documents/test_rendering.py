"""The rendering pipeline: Chinese text with an embedded CJK font, no fetching, cached bytes."""

from __future__ import annotations

import hashlib
import random
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core.cache import cache
from django.template import engines

from campus_portal.documents import rendering
from tests.documents.conftest import embedded_fonts, pdf_text


def _template(source: str):
    return engines["django"].from_string(source)


DOCUMENT = _template(
    '{% extends "documents/base.html" %}{% block body %}<p>{{ text }}</p>{% endblock %}'
)
CONTEXT = {
    "title": "测试文书",
    "number": "XW-TEST-1",
    "university": "示范大学",
    "office_name": "教务处",
    "issued_on": "2026年11月23日",
    "reference": "XW-TEST",
}


def test_chinese_text_is_rendered_with_an_embedded_cjk_font():
    pdf = rendering.pdf_render(DOCUMENT, {**CONTEXT, "text": "兹证明张晓明同学为我校在读学生。"})
    text = pdf_text(pdf)
    assert "兹证明张晓明同学为我校在读学生。" in text
    assert "示范大学" in text and "教务处" in text and "测试文书" in text
    fonts = embedded_fonts(pdf)
    assert any("WenQuanYi" in name or "CJK" in name for name in fonts), fonts


class _Recorder(BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):
        self.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    def log_message(self, *args):
        pass


def _serve_below_ephemeral_range() -> HTTPServer:
    """A port under 32768: the ephemeral range here is 32768–60999 (DESIGN.md §9)."""
    for port in random.sample(range(20000, 32000), 50):
        try:
            return HTTPServer(("127.0.0.1", port), _Recorder)
        except OSError:
            continue
    raise RuntimeError("no free port")


@pytest.fixture
def recorder():
    server = _serve_below_ephemeral_range()
    _Recorder.hits = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", _Recorder.hits
    server.shutdown()
    server.server_close()


def test_a_template_cannot_make_the_server_fetch_urls_or_read_files(recorder):
    base, hits = recorder
    html = (
        f'<html><head><link rel="stylesheet" href="{base}/style.css"></head><body>'
        f'<img src="{base}/seal.png"><img src="file:///etc/passwd">'
        '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">文书</body></html>'
    )
    pdf = rendering.html_to_pdf(html)
    assert "文书" in pdf_text(pdf)
    assert hits == []


def test_identical_html_is_rendered_once(db):
    context = {**CONTEXT, "text": "缓存测试——同一内容只渲染一次"}
    html = rendering.html_render(DOCUMENT, context)
    key = rendering.CACHE_PREFIX + hashlib.sha256(html.encode()).hexdigest()
    cache.delete(key)
    first = rendering.pdf_render(DOCUMENT, context)
    assert cache.get(key) == first
    assert rendering.pdf_render(DOCUMENT, context) == first
    changed = rendering.pdf_render(DOCUMENT, {**context, "text": "内容变了"})
    assert "内容变了" in pdf_text(changed)
