"""Rows of the micro-power list (小微权力清单) and the record of every import.

A ``PowerItem`` mirrors one row exactly as the university published it; the matter guide page it
became may be enriched by editors. The ``fingerprint`` of the row's normalised values tells a
re-import whether anything changed, so importing the same file twice changes nothing.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from campus_portal.catalog.choices import Channel, MatterType
from campus_portal.catalog.fields import MultipleChoiceJSONField
from campus_portal.catalog.rules import guide_check_constraints


class PowerListImport(models.Model):
    """One upload of a micro-power list, from the admin or the command line."""

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("Uploaded")
        CHECKING = "checking", _("Checking")
        CHECKED = "checked", _("Checked, waiting for confirmation")
        REJECTED = "rejected", _("Rejected")
        IMPORTING = "importing", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Failed")

    file = models.FileField(_("file"), upload_to="power_lists/%Y/%m/", blank=True)
    original_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(max_length=64)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.UPLOADED
    )
    report = models.JSONField(_("report"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("power list import")
        verbose_name_plural = _("power list imports")

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_status_display()})"


class PowerItem(models.Model):
    code = models.CharField(_("matter code"), max_length=64, unique=True)
    name = models.CharField(_("matter name"), max_length=200)
    sub_item = models.CharField(_("sub-item"), max_length=200, blank=True)
    matter_type = models.CharField(_("matter type"), max_length=16, choices=MatterType.choices)
    office = models.ForeignKey(
        "catalog.Office",
        verbose_name=_("office"),
        on_delete=models.PROTECT,
        related_name="power_items",
    )
    audience_codes = models.JSONField(_("audience"), default=list)
    basis = models.TextField(_("legal basis"), blank=True)
    materials_text = models.TextField(_("materials"), blank=True)
    process_text = models.TextField(_("process"), blank=True)
    legal_time_limit = models.PositiveSmallIntegerField(_("legal time limit (working days)"))
    promised_time_limit = models.PositiveSmallIntegerField(_("promised time limit (working days)"))
    visits_required = models.PositiveSmallIntegerField(_("visits required"))
    online_depth = models.PositiveSmallIntegerField(_("online depth"))
    channels = MultipleChoiceJSONField(_("channels"), choices_enum=Channel)
    charged = models.BooleanField(_("fees charged"), default=False)
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("consultation phone"), max_length=64, blank=True)
    last_year_volume = models.PositiveIntegerField(_("last year's volume"), default=0)
    matter = models.ForeignKey(
        "catalog.MatterPage",
        verbose_name=_("matter"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="power_items",
    )
    fingerprint = models.CharField(max_length=64)
    last_import = models.ForeignKey(
        PowerListImport, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("power item")
        verbose_name_plural = _("power items")
        permissions = [("export_catalog", _("Can export the catalog for filing"))]
        constraints = guide_check_constraints("power_item")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"
