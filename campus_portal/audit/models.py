"""Security events in a hash chain, and the chain's head (which serialises appends)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from platform_common.append_only import AppendOnlyModel


class SecurityEvent(AppendOnlyModel):
    class Kind(models.TextChoices):
        SIGN_IN = "sign_in", _("Signed in")
        SIGN_IN_FAILED = "sign_in_failed", _("Sign-in failed")
        SIGN_OUT = "sign_out", _("Signed out")
        MFA_CHANGED = "mfa_changed", _("MFA changed")
        ROLE_CHANGED = "role_changed", _("Role changed")
        PERMISSION_DENIED = "permission_denied", _("Permission denied")
        # Issue 17: what decides about a person joins the chain (applications.events).
        DECISION = "decision", _("Decision")
        NOT_ACCEPTED = "not_accepted", _("Not accepted")
        TRANSFER = "transfer", _("Step transferred")
        EXTENSION = "extension", _("Time limit extended")
        REVOCATION = "revocation", _("Result document revoked")
        GRANT_CHANGED = "grant_changed", _("Data grant changed")

    sequence = models.PositiveBigIntegerField(_("sequence"), unique=True)
    at = models.DateTimeField(_("time"))
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    actor = models.CharField(_("who"), max_length=150, blank=True)
    subject = models.CharField(_("concerning"), max_length=150, blank=True)
    ip_address = models.CharField(_("IP address"), max_length=45, blank=True)
    detail = models.JSONField(_("detail"), default=dict)
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["-sequence"]
        verbose_name = _("security event")
        verbose_name_plural = _("security log")

    def __str__(self) -> str:
        return f"#{self.sequence} {self.kind} {self.actor}"


class ChainHead(models.Model):
    """One row: the last sequence and hash. Locking it serialises appends on every database."""

    last_sequence = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"#{self.last_sequence}"
