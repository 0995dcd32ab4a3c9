"""The kiosk's two identities: the device (a cookie set at enrolment) and the person at it.

The person is *not* signed in to the portal: the kiosk keeps their user id in its own session
keys, read only by kiosk pages. A card and PIN therefore open the kiosk's pages and nothing
else — no workbench, no admin, no MFA bypass — and signing out is flushing the session, which
also drops the language, text size and contrast the person chose.

Every kiosk response is ``Cache-Control: no-store``: Back after a sign-out asks the server
again, which has forgotten the person.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_cache_control

from hall_kiosk.selectors import kiosk_for_token

DEVICE_COOKIE = "kiosk_device"
USER_KEY = "kiosk_user_id"
SEEN_KEY = "kiosk_seen"
LANGUAGE_KEY = "kiosk_language"
PREFS_KEY = "kiosk_prefs"
PENDING_CARD_KEY = "kiosk_pending_card"
# The server forgets an idle person a little after the page's own timer would have: the page
# normally signs out itself; this covers a page whose script did not run.
SERVER_GRACE_SECONDS = 15


def no_store(response: HttpResponse) -> HttpResponse:
    add_never_cache_headers(response)
    patch_cache_control(response, no_store=True, private=True)
    return response


def kiosk_sign_in(request: HttpRequest, user) -> None:
    """Start the person's kiosk session (a new session key: nothing carries over)."""
    prefs = {key: request.session.get(key) for key in (LANGUAGE_KEY, PREFS_KEY)}
    request.session.flush()
    for key, value in prefs.items():
        if value is not None:
            request.session[key] = value
    request.session[USER_KEY] = user.pk
    request.session[SEEN_KEY] = time.time()


def kiosk_sign_out(request: HttpRequest) -> None:
    request.session.flush()


def _person(request: HttpRequest):
    user_id = request.session.get(USER_KEY)
    if user_id is None:
        return None
    seen = request.session.get(SEEN_KEY, 0)
    if time.time() - seen > settings.KIOSK_IDLE_SECONDS + SERVER_GRACE_SECONDS:
        kiosk_sign_out(request)
        return None
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        kiosk_sign_out(request)
    return user


def kiosk_view(
    view: Callable | None = None,
    *,
    signed_in: bool = False,
    poll: bool = False,
    kinds: tuple[str, ...] = ("terminal",),
):
    """A kiosk page: only for an enrolled device (403 otherwise), never cached.

    ``signed_in`` pages send a device without a person back to the start screen; ``poll``
    endpoints (JSON) answer without counting as the person's activity.
    """

    def decorate(func: Callable) -> Callable:
        @wraps(func)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            kiosk = kiosk_for_token(token=request.COOKIES.get(DEVICE_COOKIE, ""))
            if kiosk is None or kiosk.kind not in kinds:
                response = render(request, "hall_kiosk/not_enrolled.html", status=403)
                return no_store(response)
            request.kiosk = kiosk
            request.kiosk_settings = {
                "idle": settings.KIOSK_IDLE_SECONDS,
                "warning": settings.KIOSK_IDLE_WARNING_SECONDS,
                "finished": settings.KIOSK_FINISHED_SECONDS,
            }
            request.kiosk_user = _person(request)
            language = request.session.get(LANGUAGE_KEY, settings.LANGUAGE_CODE)
            with translation.override(language):
                request.LANGUAGE_CODE = language
                if signed_in and request.kiosk_user is None:
                    if poll:
                        response = JsonResponse({"signed_out": True}, status=401)
                    else:
                        response = redirect("hall_kiosk:home")
                else:
                    response = func(request, *args, **kwargs)
            if request.kiosk_user is not None and not poll and USER_KEY in request.session:
                request.session[SEEN_KEY] = time.time()
            response.headers.setdefault("Content-Language", language)
            return no_store(response)

        return wrapped

    return decorate(view) if view is not None else decorate
