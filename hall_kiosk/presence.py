"""The kiosks' card/PIN and QR mechanisms, lent to the window (accounts.presence).

Window staff who start an application for someone must record how that person proved they
were there. The proof is the kiosk's: the campus card's digest and PIN with the same lockout
(wrong PINs at the counter count with those at the kiosks), or a 120-second, one-time QR code
confirmed from the applicant's own signed-in phone.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from campus_portal.accounts.presence import PresenceProof, PresenceRefused
from hall_kiosk.services import (
    KioskRefused,
    card_credential_find,
    card_pin_check,
    window_qr_start,
    window_qr_use,
)
from hall_kiosk.views import qr_svg


def card_pin_confirm(*, applicant, staff, data: Mapping[str, str], ip_address: str = ""):
    """The applicant's own campus card, swiped at the counter, and its PIN typed by them."""
    where = {"window": staff.get_username()}
    try:
        credential = card_credential_find(
            card_number=data.get("card_number", ""), where=where, ip_address=ip_address
        )
        if credential.user_id != applicant.pk:
            raise PresenceRefused(_("This campus card is not the applicant's."))
        card_pin_check(
            credential_id=credential.pk,
            pin=data.get("pin", ""),
            where=where,
            ip_address=ip_address,
        )
    except KioskRefused as refused:
        raise PresenceRefused(str(refused)) from refused
    return PresenceProof(method="card_pin", detail={"card": f"…{credential.card_last4}"})


def qr_confirm(*, applicant, staff, data: Mapping[str, str], ip_address: str = ""):
    """The window's QR code, confirmed by the applicant from their phone, in time, once."""
    try:
        qr_id = int(data.get("qr_id") or 0)
    except ValueError:
        qr_id = 0
    try:
        qr = window_qr_use(qr_id=qr_id, staff=staff, applicant=applicant)
    except KioskRefused as refused:
        raise PresenceRefused(str(refused)) from refused
    confirmed = timezone.localtime(qr.confirmed_at)
    return PresenceProof(method="qr", detail={"confirmed_at": f"{confirmed:%Y-%m-%d %H:%M:%S}"})


def qr_challenge(*, staff, absolute_url) -> dict:
    """A new window QR code for the applicant's phone (the kiosk's confirmation page)."""
    qr, token = window_qr_start(staff=staff)
    url = absolute_url(reverse("kiosk_qr_confirm", args=[token]))
    return {"qr_id": qr.pk, "url": url, "svg": qr_svg(url)}
