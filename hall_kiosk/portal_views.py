"""The kiosk's pages on the portal (a phone or a desktop, signed in as usual).

- Kiosk PIN: the card holder chooses the PIN they type after swiping their campus card.
- QR sign-in: the phone that scanned a kiosk's QR code confirms "sign in at kiosk N?".
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from hall_kiosk import services
from hall_kiosk.kiosk_session import no_store
from hall_kiosk.models import CardCredential


@login_required
def kiosk_pin(request: HttpRequest) -> HttpResponse:
    credential = CardCredential.objects.filter(user=request.user).first()
    if request.method == "POST":
        pin, again = request.POST.get("pin", ""), request.POST.get("pin_again", "")
        if pin != again:
            messages.error(request, _("The two PINs differ."))
        else:
            try:
                services.kiosk_pin_set(user=request.user, pin=pin)
            except services.KioskRefused as refused:
                messages.error(request, str(refused))
            else:
                messages.success(request, _("Your kiosk PIN is set."))
                return redirect("kiosk_pin")
    return no_store(render(request, "hall_kiosk/portal_pin.html", {"credential": credential}))


@login_required
def qr_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks, POST confirms; an expired or used code says so and signs nobody in."""
    error, qr, done = "", None, False
    try:
        if request.method == "POST":
            qr = services.qr_sign_in_confirm(
                token=token, user=request.user, ip_address=request.META.get("REMOTE_ADDR", "")
            )
            done = True
        else:
            qr = services.qr_sign_in_get(token=token)
    except services.KioskRefused as refused:
        error = str(refused)
    return no_store(
        render(
            request,
            "hall_kiosk/portal_qr_confirm.html",
            {"qr": qr, "error": error, "done": done},
            status=410 if error else 200,
        )
    )
