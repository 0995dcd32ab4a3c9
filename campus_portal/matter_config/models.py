"""A matter's configuration: one draft the office edits, numbered immutable published versions,
and which version each application is on.

The draft is what the designer (Wagtail admin) edits; publishing freezes it into a
``ConfigurationVersion`` whose ``definition`` is plain JSON (``definition.py`` documents it).
Applications are pinned to a version in ``ApplicationVersion`` (so ``applications.Application``
does not change); the generic handler reads the pin for the form, steps, rule and result.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.fields import StreamField

from campus_portal.common.append_only import AppendOnlyModel
from campus_portal.matter_config.blocks import FIELD_BLOCKS, STEP_BLOCKS


class DecisionMode(models.TextChoices):
    STAFF = "staff", _("By staff")
    INSTANT = "instant", _("Instant (秒批) when the rule holds")


class ResultKind(models.TextChoices):
    # The kinds of the results app's office templates (results.models.DocumentKind).
    CERTIFICATE = "certificate", _("Certificate (the configured title and text)")
    DECISION = "decision", _("Decision document (准予办理决定书)")


class MatterConfiguration(models.Model):
    """The office's draft of how a matter is applied for and processed."""

    # Its blocks reference no page, image or document: nothing for Wagtail's reference index
    # (which would otherwise re-index every configuration the import saves).
    wagtail_reference_index_ignore = True

    matter = models.OneToOneField(
        "catalog.MatterPage",
        verbose_name=_("matter"),
        on_delete=models.CASCADE,
        related_name="configuration",
    )
    # The office that edits it: the matter's responsible office (kept in step by the import).
    office_code = models.CharField(_("office"), max_length=32, db_index=True)
    purpose = models.CharField(
        _("purpose of reading the applicant's data"), max_length=300, blank=True
    )
    data_needs = models.JSONField(_("data the university holds"), default=list, blank=True)
    fields = StreamField(FIELD_BLOCKS, verbose_name=_("form fields and upload slots"), blank=True)
    steps = StreamField(STEP_BLOCKS, verbose_name=_("steps"), blank=True)
    decision_mode = models.CharField(
        _("decision"), max_length=16, choices=DecisionMode.choices, default=DecisionMode.STAFF
    )
    decision_rule = models.JSONField(
        _("instant-decision rule (JSON-logic)"),
        default=dict,
        blank=True,
        help_text=_(
            'Reads "data.<item>" and "answers.<field key>", e.g. '
            '{"==": [{"var": "data.student.status"}, "在读"]}. When it does not hold, staff '
            "decide."
        ),
    )
    result_kind = models.CharField(
        _("result document"), max_length=16, choices=ResultKind.choices, default=ResultKind.DECISION
    )
    result_title = models.CharField(_("result title"), max_length=100, blank=True)
    result_body = models.TextField(_("result text"), blank=True)
    delivery_modes = models.JSONField(_("delivery modes"), default=list, blank=True)
    # What the import derived it from (``derivation.py``); an office's save clears ``derived``,
    # so re-importing the list never overwrites the office's own edits.
    derived = models.BooleanField(_("unchanged starting configuration"), default=True)
    derivation_notes = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("matter configuration")
        verbose_name_plural = _("matter configurations")
        ordering = ["matter__code"]
        permissions = [("publish_matterconfiguration", "Can publish matter configurations")]

    def __str__(self) -> str:
        return f"{self.matter.code} {self.matter.title}"


class ConfigurationVersion(AppendOnlyModel):
    """One published, immutable version; applications keep the one they started on."""

    configuration = models.ForeignKey(
        MatterConfiguration, on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    definition = models.JSONField(_("definition"))
    published_at = models.DateTimeField(_("published"), auto_now_add=True)
    published_by = models.CharField(_("published by"), max_length=150)

    class Meta:
        verbose_name = _("published version")
        verbose_name_plural = _("published versions")
        ordering = ["configuration_id", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["configuration", "number"], name="matter_config_version_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.configuration.matter.code} v{self.number}"


class ApplicationVersion(models.Model):
    """Which version an application is on: set when its form is first needed, moved only for
    drafts (by the publisher), never for an application once submitted."""

    application = models.OneToOneField(
        "applications.Application", on_delete=models.CASCADE, related_name="configuration_pin"
    )
    version = models.ForeignKey(
        ConfigurationVersion, on_delete=models.PROTECT, related_name="applications"
    )
    pinned_at = models.DateTimeField(auto_now=True)
    pinned_by = models.CharField(max_length=150, blank=True, default="system")

    class Meta:
        verbose_name = _("application's configuration version")
        verbose_name_plural = _("applications' configuration versions")

    def __str__(self) -> str:
        return f"{self.application_id} → {self.version}"
