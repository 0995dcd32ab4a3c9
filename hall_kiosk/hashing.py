"""Digests of the kiosk's secrets (device tokens, enrolment codes, QR tokens, card numbers)."""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings


def digest(secret: str) -> str:
    """Tokens are long random strings: a plain SHA-256 cannot be guessed back."""
    return hashlib.sha256(secret.encode()).hexdigest()


def card_digest(card_number: str) -> str:
    """Card numbers are short and guessable: keyed with the secret key, so the table alone
    does not reveal them."""
    return hmac.new(
        settings.SECRET_KEY.encode(), f"kiosk-card:{card_number}".encode(), hashlib.sha256
    ).hexdigest()
