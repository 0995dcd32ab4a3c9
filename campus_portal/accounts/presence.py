"""How staff confirm that the person they act for is standing in front of them.

Window staff start an application on someone's behalf (无差别受理) and then see that person's
record, so "the applicant agreed" is not enough: the applicant proves they are there — their
campus card and its PIN at the counter, or a one-time QR code confirmed from their own
signed-in phone. Those mechanisms belong to the hall kiosks (card digests, PIN lockout, QR
tokens), which register them here in their ``AppConfig.ready()``; the workbench asks this
module only, so it depends on no kiosk code.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class PresenceRefused(Exception):
    """The presence could not be confirmed; the message is shown to the staff member."""


@dataclass(frozen=True)
class PresenceProof:
    """How the applicant's presence was confirmed, as recorded on the application's history."""

    method: str  # a key of METHODS
    detail: Mapping[str, str] = field(default_factory=dict)  # e.g. {"card": "…1234"}

    def as_detail(self) -> dict[str, str]:
        return {"presence": self.method, **self.detail}


#: The methods and their labels (what the history shows).
METHODS = {
    "card_pin": gettext_lazy("Campus card and PIN at the counter"),
    "qr": gettext_lazy("QR code confirmed on the applicant's phone"),
}

Confirmer = Callable[..., PresenceProof]
_confirmers: dict[str, Confirmer] = {}
#: Issues what the applicant answers (the QR code): ``issuer(staff=…, absolute_url=…)``
#: returns ``{"qr_id": …, "url": …, "svg": …}``.
_challengers: dict[str, Callable[..., dict]] = {}


def presence_challenger_register(*, method: str, challenger: Callable[..., dict]) -> None:
    _challengers[method] = challenger


def presence_challenge(*, method: str, staff, absolute_url: Callable[[str], str]) -> dict | None:
    """A fresh challenge for ``method`` (None when nobody provides one)."""
    challenger = _challengers.get(method)
    return challenger(staff=staff, absolute_url=absolute_url) if challenger else None


def presence_confirmer_register(*, method: str, confirmer: Confirmer) -> None:
    """``confirmer(applicant=…, staff=…, data=…, ip_address=…)`` returns a ``PresenceProof``
    or raises ``PresenceRefused``."""
    if method not in METHODS:
        raise ValueError(f"unknown presence method {method!r}")
    _confirmers[method] = confirmer


def presence_confirm(
    *, method: str, applicant, staff, data: Mapping[str, str], ip_address: str = ""
) -> PresenceProof:
    """Check the applicant's presence by ``method``; refused when it is unknown or fails."""
    confirmer = _confirmers.get(method)
    if confirmer is None:
        raise PresenceRefused(
            _(
                "Confirm that the applicant is here first: their campus card and PIN, or the QR "
                "code on their phone."
            )
        )
    return confirmer(applicant=applicant, staff=staff, data=data, ip_address=ip_address)
