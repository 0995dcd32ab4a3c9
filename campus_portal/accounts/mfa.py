"""Staff must use a second factor: no TOTP authenticator, no work.

Everyone holding a role (window staff, office staff and heads, data stewards,
administrators) and every superuser sees other people's data or decides about it, so
``scope_for(user).needs_mfa`` is true for them. Until such a user has enrolled an authenticator
app every page sends them to the enrolment page; API and other non-HTML requests get a plain
403 instead of a redirect a script could not follow. allauth's own pages (sign-out, enrolment,
recovery codes), static files and the language switch stay reachable.
"""

from __future__ import annotations

from collections.abc import Callable

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden, HttpResponseRedirect
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from campus_portal.accounts.roles import scope_for


def _exempt_prefixes() -> tuple[str, ...]:
    try:
        accounts = reverse("account_login").rsplit("login/", 1)[0]  # "/accounts/"
    except NoReverseMatch:  # a URLconf without allauth (some tests)
        accounts = "/accounts/"
    prefixes = [accounts, "/i18n/", "/healthz"]
    for url in (settings.STATIC_URL, getattr(settings, "MEDIA_URL", "")):
        if url and url.startswith("/") and url != "/":
            prefixes.append(url)
    return tuple(prefixes)


def _wants_html(request: HttpRequest) -> bool:
    """A browser navigation (not the API, not a script)."""
    if request.path.startswith("/api/"):
        return False
    if request.headers.get("x-requested-with") == "XMLHttpRequest":
        return False
    return request.accepts("text/html")


def mfa_enrolled(user) -> bool:
    """``user`` has an authenticator app, so every sign-in of theirs asks for its code
    (allauth); cached on the user object (once per request)."""
    cached = getattr(user, "_campus_mfa_enrolled", None)
    if cached is None:
        cached = Authenticator.objects.filter(
            user_id=user.pk, type=Authenticator.Type.TOTP
        ).exists()
        user._campus_mfa_enrolled = cached
    return cached


def mfa_enrolment_required(request: HttpRequest) -> bool:
    """Signed in, must use MFA, and has no authenticator app yet."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    if not scope_for(user).needs_mfa:
        return False
    return not mfa_enrolled(user)


class MfaRequiredMiddleware:
    """Send staff without TOTP to enrolment (HTML) or refuse the request (API: 403)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self._exempt: tuple[str, ...] | None = None

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._exempt is None:
            self._exempt = _exempt_prefixes()
        if not request.path.startswith(self._exempt) and mfa_enrolment_required(request):
            if _wants_html(request):
                return HttpResponseRedirect(reverse("mfa_activate_totp"))
            return HttpResponseForbidden(
                _("Set up two-factor authentication before using this service."),
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)
