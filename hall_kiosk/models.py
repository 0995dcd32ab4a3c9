"""Kiosk devices, campus-card credentials, QR sign-in tokens and print jobs.

Secrets are never stored in clear: device tokens, enrolment codes and QR tokens as SHA-256
digests (they are long random strings, so a plain digest is enough), PINs with Django's
password hasher (they are short), card numbers as a keyed HMAC (so the table does not list
every card number of the campus, yet a swipe is still found with one indexed lookup).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kiosk(models.Model):
    """One registered terminal (or hall display screen) in the service hall."""

    class Kind(models.TextChoices):
        TERMINAL = "terminal", _("Self-service terminal")
        DISPLAY = "display", _("Hall display screen")

    number = models.PositiveSmallIntegerField(
        _("number"), unique=True, help_text=_("As painted on the device: 3 for 3号自助终端.")
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.TERMINAL)
    location = models.CharField(_("location"), max_length=200, blank=True)
    printer_name = models.CharField(
        _("CUPS printer"),
        max_length=127,
        blank=True,
        help_text=_("The CUPS queue name (lpstat -p) of this kiosk's printer; empty: no printer."),
    )
    active = models.BooleanField(_("active"), default=True)
    # The device token the kiosk's browser presents (a cookie); set by enrolment.
    token_digest = models.CharField(max_length=64, blank=True, db_index=True)
    enrolled_at = models.DateTimeField(_("enrolled"), null=True, blank=True)
    # A one-time enrolment code the administrator opens on the device; cleared when used.
    enrolment_digest = models.CharField(max_length=64, blank=True, db_index=True)
    enrolment_expires_at = models.DateTimeField(null=True, blank=True)
    last_seen_at = models.DateTimeField(_("last seen"), null=True, blank=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("kiosk")
        verbose_name_plural = _("kiosks")

    def __str__(self) -> str:
        return f"{self.number} · {self.name}"


class CardCredential(models.Model):
    """A campus card that signs its holder in at the kiosks, with the holder's PIN."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("card holder"),
        on_delete=models.CASCADE,
        related_name="kiosk_card",
    )
    card_digest = models.CharField(max_length=64, unique=True)
    card_last4 = models.CharField(_("card number (last digits)"), max_length=4)
    pin_hash = models.CharField(max_length=256, blank=True)
    failed_attempts = models.PositiveSmallIntegerField(default=0)
    locked_until = models.DateTimeField(_("locked until"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    pin_set_at = models.DateTimeField(_("PIN set"), null=True, blank=True)

    class Meta:
        verbose_name = _("campus card for kiosks")
        verbose_name_plural = _("campus cards for kiosks")

    def __str__(self) -> str:
        return f"…{self.card_last4}"


class QrSignIn(models.Model):
    """A QR code shown by a kiosk — or by window staff, to confirm that the applicant they act
    for is there (issue 17) — confirmed once from a signed-in phone, then used once."""

    kiosk = models.ForeignKey(
        Kiosk, on_delete=models.CASCADE, related_name="qr_sign_ins", null=True, blank=True
    )
    window_staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    token_digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("QR sign-in")
        verbose_name_plural = _("QR sign-ins")

    def __str__(self) -> str:
        where = self.kiosk.number if self.kiosk else self.window_staff.get_username()
        return f"{where} / {self.created_at:%H:%M:%S}"


class PrintJob(models.Model):
    """One document sent to a kiosk's printer through CUPS, and what became of it."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Sent to the printer")
        PRINTED = "printed", _("Printed")
        FAILED = "failed", _("Failed")

    kiosk = models.ForeignKey(Kiosk, on_delete=models.PROTECT, related_name="print_jobs")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="kiosk_print_jobs"
    )
    application_ref = models.CharField(_("application"), max_length=32, db_index=True)
    # The printed document's own number (a certificate number): a retry prints the same one.
    document_id = models.CharField(_("document"), max_length=64)
    title = models.CharField(_("title"), max_length=200)
    printer_name = models.CharField(_("printer"), max_length=127)
    sha256 = models.CharField(_("SHA-256 of what was sent"), max_length=64)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.QUEUED)
    lp_job_id = models.CharField(_("CUPS job"), max_length=160, blank=True)
    error = models.TextField(_("error"), blank=True)
    attempt = models.PositiveSmallIntegerField(_("attempt"), default=1)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("print job")
        verbose_name_plural = _("print jobs")

    def __str__(self) -> str:
        return f"{self.document_id} → {self.printer_name} ({self.state})"
