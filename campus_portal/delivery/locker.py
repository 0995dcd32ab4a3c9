"""The client of the pickup locker controller (智能自提柜), a device outside our code base.

A small JSON-over-HTTP API (docs/delivery.md): ``POST /api/v1/deposits`` opens a free
compartment for staff and answers with its id; ``POST /api/v1/compartments/<id>/open`` opens
it for the applicant, and ``GET /api/v1/compartments/<id>`` says what the door is doing. Every
call carries ``Authorization: Bearer LOCKER_CONTROLLER_TOKEN`` and gives up after
``LOCKER_CONTROLLER_TIMEOUT`` seconds. Anything but a 2xx answer with the expected JSON is a
``LockerError``: the caller keeps its state as it was, so nothing is lost and staff can retry.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from urllib.parse import quote

from django.conf import settings


class LockerError(Exception):
    """The controller is unreachable, slow, or refused the request."""


def _call(method: str, path: str, payload: dict | None = None) -> dict:
    base = settings.LOCKER_CONTROLLER_URL.rstrip("/")
    if not base:
        raise LockerError("no locker controller is configured (LOCKER_CONTROLLER_URL)")
    data = json.dumps(payload).encode() if payload is not None else None
    request = urllib.request.Request(f"{base}{path}", data=data, method=method)  # noqa: S310
    request.add_header("Accept", "application/json")
    if data is not None:
        request.add_header("Content-Type", "application/json")
    if settings.LOCKER_CONTROLLER_TOKEN:
        request.add_header("Authorization", f"Bearer {settings.LOCKER_CONTROLLER_TOKEN}")
    try:
        with urllib.request.urlopen(  # noqa: S310  # http(s) from settings
            request, timeout=settings.LOCKER_CONTROLLER_TIMEOUT
        ) as response:
            body = response.read(65536)
    except urllib.error.HTTPError as error:
        raise LockerError(f"locker controller answered {error.code}") from error
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        raise LockerError(f"locker controller unreachable: {error}") from error
    try:
        answer = json.loads(body or b"{}")
    except ValueError as error:
        raise LockerError("locker controller answered no JSON") from error
    if not isinstance(answer, dict):
        raise LockerError("locker controller answered no JSON object")
    return answer


def compartment_reserve(*, reference: str, request_id: str) -> tuple[str, str]:
    """Open a free compartment for a deposit; ``(locker id, compartment id)``.

    ``request_id`` makes it idempotent on the controller's side: the same id gets the same
    compartment (a retry after a timeout)."""
    answer = _call("POST", "/api/v1/deposits", {"request_id": request_id, "reference": reference})
    compartment = str(answer.get("compartment") or "")
    if not compartment:
        raise LockerError("locker controller answered no compartment")
    return str(answer.get("locker") or ""), compartment[:40]


def compartment_open(*, compartment: str, request_id: str) -> None:
    """Open a compartment for pickup and wait (by polling its status) until the door is open.

    The controller may answer ``opening`` at once and move the latch afterwards; we poll
    ``GET /compartments/<id>`` every 0.2 s for up to ``LOCKER_OPEN_WAIT`` seconds."""
    path = f"/api/v1/compartments/{quote(compartment, safe='')}"
    state = _call("POST", f"{path}/open", {"request_id": request_id}).get("state")
    deadline = time.monotonic() + settings.LOCKER_OPEN_WAIT
    while state == "opening" and time.monotonic() < deadline:
        time.sleep(0.2)
        state = _call("GET", path).get("state")
    if state != "open":
        raise LockerError(f"compartment {compartment} did not open (state {state!r})")
