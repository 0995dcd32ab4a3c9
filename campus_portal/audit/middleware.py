"""Logs every permission denial: Django's 403 handling and the Wagtail admin's redirects."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.utils.html import escape
from django.utils.translation import gettext

from campus_portal.audit.services import security_denial_record


class PermissionDenialLogMiddleware:
    """Records who was refused what; the denial itself proceeds unchanged (403)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # A PermissionDenied raised below has become a 403 response by the time it gets here
        # (Django converts exceptions at each middleware), as have CSRF failures.
        response = self.get_response(request)
        if response.status_code == 403:
            _record(request, via="403")
        elif response.status_code == 302 and _wagtail_denied(request):
            _record(request, via="wagtail-admin")
        return response


# The Wagtail admin catches its own PermissionDenied and answers with a redirect and one of
# these messages (wagtail.admin.auth); the message is the only trace the denial leaves.
WAGTAIL_DENIAL_MESSAGES = (
    "Sorry, you do not have permission to access this area.",
    "You do not have permission to access the admin.",
)


def _wagtail_denied(request: HttpRequest) -> bool:
    if not hasattr(request, "_messages"):
        return False
    # Only messages added during this request: a denial message carried over from the previous
    # request (still unread) must not count twice. Iterating the storage would also mark the
    # messages as read, so the queue is looked at directly.
    queued = getattr(messages.get_messages(request), "_queued_messages", [])
    # wagtail.admin.messages renders the text into HTML, hence escaping and containment.
    denials = [escape(gettext(text)) for text in WAGTAIL_DENIAL_MESSAGES]
    return any(denial in str(message) for message in queued for denial in denials)


def _record(request: HttpRequest, *, via: str) -> None:
    user = getattr(request, "user", None)
    security_denial_record(
        actor=user.get_username() if user is not None and user.is_authenticated else "",
        ip_address=request.META.get("REMOTE_ADDR", ""),
        detail={"method": request.method, "path": request.path[:300], "via": via},
    )
