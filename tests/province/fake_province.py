"""A small stand-in for the provincial catalog API, implementing docs/province.md.

A threaded ``http.server`` on 127.0.0.1. Tests change what it serves through ``FakeProvince``'s
attributes (the matters, the page size) and its fault switches; it records every request.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

LAST_MODIFIED = "Mon, 23 Nov 2026 08:00:00 GMT"


def matter(code: str, name: str, **extra: object) -> dict[str, object]:
    """A valid provincial matter as the province sends it."""
    item: dict[str, object] = {
        "code": code,
        "name": name,
        "department": "浙江省公安厅",
        "guide": f"{name}的办事指南。",
        "audiences": ["本科生", "研究生"],
        "web_url": f"https://www.zjzwfw.gov.cn/item/{code}",
        "app_url": f"https://zlb.zj.gov.cn/app/{code}",
    }
    item.update(extra)
    return item


@dataclass
class Request:
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]


@dataclass
class FakeProvince:
    matters: list[dict[str, object]] = field(default_factory=list)
    token: str = "secret-token"
    # Fault switches: a status for every request, or only for one page; a sleep; bad bodies.
    fail_status: int | None = None
    fail_page: int | None = None
    sleep_seconds: float = 0.0
    malformed_page: int | None = None
    partial_page: int | None = None
    honour_validators: bool = True
    requests: list[Request] = field(default_factory=list)
    base_url: str = ""

    @property
    def etag(self) -> str:
        body = json.dumps(self.matters, ensure_ascii=False, sort_keys=True).encode()
        return '"' + hashlib.sha256(body).hexdigest()[:16] + '"'

    def respond(self, handler: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(handler.path)
        query = parse_qs(parts.query)
        self.requests.append(Request(parts.path, query, dict(handler.headers.items())))
        if self.sleep_seconds:
            time.sleep(self.sleep_seconds)
        if parts.path != "/v1/matters":
            return _send(handler, 404, b"{}")
        if handler.headers.get("Authorization") != f"Bearer {self.token}":
            return _send(handler, 401, b'{"error": "unauthorised"}')
        page = int(query.get("page", ["1"])[0])
        size = int(query.get("page_size", ["100"])[0])
        if self.fail_status and self.fail_page in (None, page):
            return _send(handler, self.fail_status, b'{"error": "down"}')
        if page == 1 and self.honour_validators and _unchanged(handler, self.etag):
            return _send(handler, 304, b"")
        if page == self.malformed_page:
            return _send(handler, 200, b'{"items": [{"code": "X", ')
        pages = max(1, -(-len(self.matters) // size))
        items = self.matters[(page - 1) * size : page * size]
        body: dict[str, object] = {"items": items, "page": page, "pages": pages}
        if page == self.partial_page:
            body = {"items": items[:1]}  # cut short: no page numbers
        data = json.dumps(body, ensure_ascii=False).encode()
        return _send(handler, 200, data, {"ETag": self.etag, "Last-Modified": LAST_MODIFIED})

    def pages_requested(self) -> list[int]:
        return [int(r.query.get("page", ["0"])[0]) for r in self.requests]


def _unchanged(handler: BaseHTTPRequestHandler, etag: str) -> bool:
    if "If-None-Match" in handler.headers:
        return handler.headers["If-None-Match"] == etag
    return handler.headers.get("If-Modified-Since") == LAST_MODIFIED


def _send(
    handler: BaseHTTPRequestHandler, status: int, body: bytes, headers: dict[str, str] | None = None
) -> None:
    try:
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json; charset=utf-8")
        handler.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            handler.send_header(name, value)
        handler.end_headers()
        if status != 304:
            handler.wfile.write(body)
    except (BrokenPipeError, ConnectionResetError):
        pass  # the client gave up (the timeout test)


def serve(fake: FakeProvince) -> ThreadingHTTPServer:
    """Start serving ``fake`` on a free port in a daemon thread; sets ``fake.base_url``."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            fake.respond(self)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    fake.base_url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    return server
