"""An uploaded file and what we know about it (checked by content, stored under a random name)."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campus_portal.attachments.storage import private_storage


def stored_name(instance: Attachment, filename: str) -> str:
    """A random name by month: the applicant's filename never reaches the file system."""
    return f"{timezone.now():%Y/%m}/{secrets.token_hex(16)}"


class Attachment(models.Model):
    """One file uploaded for one form field of one application."""

    application = models.ForeignKey(
        "applications.Application",
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    field_name = models.CharField(_("form field"), max_length=64)
    # Shown and offered as the download's name; sanitised, never used as a path.
    original_name = models.CharField(_("file name"), max_length=200)
    # What the bytes are (detected), not what the browser or the extension claimed.
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64)
    file = models.FileField(storage=private_storage, upload_to=stored_name, max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["application_id", "uploaded_at", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name

    def summary(self) -> dict:
        """What the application's answers keep for the field (JSON, no file)."""
        return {"attachment": self.pk, "name": self.original_name, "size": self.size}
