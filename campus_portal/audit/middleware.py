"""Logs every permission denial that reaches Django's 403 handling."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from campus_portal.audit.models import SecurityEvent
from campus_portal.audit.services import security_event_record


class PermissionDenialLogMiddleware:
    """Records who was refused what; the denial itself proceeds unchanged (403)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        if isinstance(exception, PermissionDenied):
            user = getattr(request, "user", None)
            security_event_record(
                kind=SecurityEvent.Kind.PERMISSION_DENIED,
                actor=user.get_username() if user is not None and user.is_authenticated else "",
                ip_address=request.META.get("REMOTE_ADDR", ""),
                detail={"method": request.method, "path": request.path[:300]},
            )
        return None  # let Django turn it into the usual 403
