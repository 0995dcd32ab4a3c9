"""Result documents (出证): what an approved application yields, signed and verifiable.

Why it is shaped like this:

- ``IssuedDocument`` is *stored*, unlike the notices of ``campus_portal.documents`` (derived on
  download): a signature carries its signing time, so re-rendering would give other bytes and
  the SHA-256 kept at issue (which ``/verify/`` compares an uploaded file with) would no longer
  match. One row per application and kind (a unique constraint), so asking twice — the Celery
  task and a first download racing — yields the same number and the same file.
- The number has a random part (``<reference>-ZM-<8 hex>``): ``/verify/<number>/`` is public,
  and nobody should be able to walk through other people's documents by counting.
- What the verify page may show is copied at issue (masked name, title, matter, office, date),
  so verifying never reads the application or the warehouse, and shows no more than the paper.
- ``ResultTemplate`` is the office-editable body of a document, per office, kind and language
  (optionally narrowed to one handler); ``OfficeSeal`` the office's seal image. Both are edited
  in the Wagtail admin by the office's own staff (``permissions.py``).
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.template import TemplateSyntaxError, engines
from django.utils.translation import gettext_lazy as _

from campus_portal.attachments.storage import private_storage
from campus_portal.results.samples import sample_context
from campus_portal.results.seals import seal_image_check


class DocumentKind(models.TextChoices):
    #: The plugin's own result (``MatterHandler.result()``): 在读证明, 成绩单 …
    CERTIFICATE = "certificate", _("Certificate")
    #: A generic 准予办理决定书 for matters whose handler has no result of its own.
    DECISION = "decision", _("Decision document")


class Language(models.TextChoices):
    ZH = "zh", _("Chinese")
    EN = "en", _("English")


def _seal_name(instance: OfficeSeal, filename: str) -> str:
    return f"results/seals/{instance.office.code}-{secrets.token_hex(8)}.png"


def _document_name(instance: IssuedDocument, filename: str) -> str:
    return f"results/{instance.issued_at:%Y/%m}/{secrets.token_hex(16)}.pdf"


class OfficeSeal(models.Model):
    """The office's electronic seal image (a PNG with transparency), printed on its documents.

    Kept in private storage: a seal image on a public URL would be a forger's first download.
    """

    office = models.OneToOneField(
        "catalog.Office", verbose_name=_("office"), on_delete=models.CASCADE, related_name="seal"
    )
    image = models.FileField(
        _("seal image (PNG)"), storage=private_storage, upload_to=_seal_name, max_length=200
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("office seal")
        verbose_name_plural = _("office seals")

    def __str__(self) -> str:
        return str(self.office)

    def clean(self) -> None:
        if self.image and not getattr(self.image, "_committed", True):
            seal_image_check(self.image)


class ResultTemplate(models.Model):
    """The body of one office's documents of one kind in one language (a Django template).

    Only the body is editable: the letterhead, number, seal, QR code and signature are added
    around it by the platform, so an edited template cannot drop them. Variables: see
    ``docs/results.md`` (``applicant_name``, ``title``, ``body``, ``fields`` …).
    """

    office = models.ForeignKey(
        "catalog.Office",
        verbose_name=_("office"),
        on_delete=models.CASCADE,
        related_name="result_templates",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=DocumentKind.choices)
    language = models.CharField(
        _("language"), max_length=8, choices=Language.choices, default=Language.ZH
    )
    handler_key = models.CharField(
        _("handler"),
        max_length=100,
        blank=True,
        help_text=_("Leave empty for every matter of the office; or one handler key."),
    )
    source = models.TextField(
        _("template"),
        help_text=_("Django template of the document body; see docs/results.md for variables."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["office__code", "kind", "language", "handler_key"]
        verbose_name = _("result document template")
        verbose_name_plural = _("result document templates")
        constraints = [
            models.UniqueConstraint(
                fields=["office", "kind", "language", "handler_key"],
                name="results_one_template_per_office_kind_language_handler",
            )
        ]

    def __str__(self) -> str:
        label = f"{self.office.code} · {self.get_kind_display()} · {self.get_language_display()}"
        return f"{label} · {self.handler_key}" if self.handler_key else label

    def clean(self) -> None:
        """A template that does not compile or render is refused here, not at issue time."""
        try:
            engines["django"].from_string(self.source).render(sample_context())
        except (TemplateSyntaxError, Exception) as error:
            raise ValidationError({"source": _("The template is invalid: %s") % error}) from error


class IssuedDocument(models.Model):
    """One signed result document of one application."""

    application = models.ForeignKey(
        "applications.Application",
        verbose_name=_("application"),
        on_delete=models.PROTECT,
        related_name="result_documents",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=DocumentKind.choices)
    number = models.CharField(_("document number"), max_length=64, unique=True)
    language = models.CharField(_("language"), max_length=8, choices=Language.choices)
    title = models.CharField(_("title"), max_length=100)
    # Copied at issue: what /verify/ shows (no more than the document itself shows).
    office_code = models.CharField(_("office"), max_length=32, db_index=True)
    office_name = models.CharField(_("office name"), max_length=100)
    matter_title = models.CharField(_("matter"), max_length=200)
    holder_masked = models.CharField(_("holder (masked)"), max_length=100)
    issued_at = models.DateTimeField(_("issued"))
    issued_by = models.CharField(_("issued by"), max_length=150)
    sha256 = models.CharField(max_length=64, db_index=True)
    size = models.PositiveIntegerField(_("size (bytes)"))
    signer = models.CharField(_("signing certificate"), max_length=300)
    file = models.FileField(storage=private_storage, upload_to=_document_name, max_length=200)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.CharField(_("revoked by"), max_length=150, blank=True)
    revocation_reason = models.TextField(_("reason for revocation"), blank=True)

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("issued document")
        verbose_name_plural = _("issued documents")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "kind"], name="results_one_document_per_application_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def ascii_filename(self) -> str:
        return f"{self.number}-{self.kind}.pdf"

    @property
    def display_filename(self) -> str:
        return f"{self.number}-{self.title}.pdf"

    @property
    def verify_path(self) -> str:
        from django.urls import reverse

        return reverse("results:verify", args=[self.number])

    @property
    def verify_url(self) -> str:
        return settings.RESULTS_VERIFY_BASE_URL.rstrip("/") + self.verify_path
