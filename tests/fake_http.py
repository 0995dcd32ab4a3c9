"""Local stand-ins for devices and services outside the university (DESIGN.md §8): the pickup
locker controller and the SMS gateway, each a threaded ``http.server`` on 127.0.0.1 speaking
the JSON API of docs/delivery.md. Tests flip their fault switches and read what they received.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: dict


@dataclass
class FakeService:
    """What every fake has: the requests it got and a fault switch.

    ``fault``: None (behave), "error" (answer 503), "timeout" (answer after ``delay`` s)."""

    token: str = "test-token"
    fault: str | None = None
    delay: float = 1.5
    received: list[Received] = field(default_factory=list)
    base_url: str = ""

    def handle(self, request: Received) -> tuple[int, dict]:
        raise NotImplementedError

    def respond(self, handler: BaseHTTPRequestHandler) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length) if length else b""
        request = Received(
            method=handler.command,
            path=handler.path,
            headers={key.lower(): value for key, value in handler.headers.items()},
            body=json.loads(raw) if raw else {},
        )
        self.received.append(request)
        if self.fault == "timeout":
            time.sleep(self.delay)
        if self.fault == "error":
            status, answer = 503, {"error": "maintenance"}
        elif request.headers.get("authorization") != f"Bearer {self.token}":
            status, answer = 401, {"error": "unauthorized"}
        else:
            status, answer = self.handle(request)
        payload = json.dumps(answer).encode()
        try:
            handler.send_response(status)
            handler.send_header("Content-Type", "application/json")
            handler.send_header("Content-Length", str(len(payload)))
            handler.end_headers()
            handler.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout)
            pass


@dataclass
class FakeLocker(FakeService):
    """The locker controller: deposits (idempotent by request id), open, status."""

    compartments: dict[str, dict] = field(default_factory=dict)  # id -> {state, request_id}
    by_request: dict[str, str] = field(default_factory=dict)

    # "open" answers "opening" first; the status then says "open" (we poll).
    def handle(self, request: Received) -> tuple[int, dict]:
        parts = request.path.strip("/").split("/")  # api v1 ...
        if request.method == "POST" and parts[2:] == ["deposits"]:
            request_id = request.body.get("request_id", "")
            if request_id not in self.by_request:
                compartment = f"A{len(self.compartments) + 1:02d}"
                self.compartments[compartment] = {"state": "occupied", "opened": 0}
                self.by_request[request_id] = compartment
            compartment = self.by_request[request_id]
            return 201, {"locker": "HALL-1", "compartment": compartment, "state": "occupied"}
        if len(parts) >= 4 and parts[2] == "compartments" and parts[3] in self.compartments:
            box = self.compartments[parts[3]]
            if request.method == "POST" and parts[4:] == ["open"]:
                box["state"], box["opened"] = "opening", box["opened"] + 1
                return 202, {"state": "opening"}
            if request.method == "GET" and len(parts) == 4:
                if box["state"] == "opening":
                    box["state"] = "open"
                return 200, {"state": box["state"]}
        return 404, {"error": "not found"}

    def deposits(self) -> list[Received]:
        return [r for r in self.received if r.path.endswith("/deposits")]


@dataclass
class FakeSmsGateway(FakeService):
    def handle(self, request: Received) -> tuple[int, dict]:
        return 200, {"status": "queued", "id": request.body.get("message_id")}


def serve(fake: FakeService, *, path: str = "") -> ThreadingHTTPServer:
    """Run ``fake`` on a free local port until ``server.shutdown()``; sets ``fake.base_url``."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            fake.respond(self)

        def do_POST(self) -> None:
            fake.respond(self)

        def log_message(self, format: str, *args: object) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    fake.base_url = f"http://127.0.0.1:{server.server_address[1]}{path}"
    return server


@contextlib.contextmanager
def running(fake: FakeService, settings, prefix: str, *, path: str = "") -> Iterator[FakeService]:
    """``fake`` served while the block runs, with ``<prefix>_URL``/``_TOKEN``/``_TIMEOUT``
    settings pointing at it (a short timeout: the timeout fault must not cost seconds)."""
    server = serve(fake, path=path)
    setattr(settings, f"{prefix}_URL", fake.base_url)
    setattr(settings, f"{prefix}_TOKEN", fake.token)
    setattr(settings, f"{prefix}_TIMEOUT", 0.5)
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
