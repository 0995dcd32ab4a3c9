"""Provincial matters mirrored from the province, and the record of syncing and hand-offs.

Provincial matters are plain models, not Wagtail pages: the province owns their content, so
nobody edits them here, and a sync must replace them all in one transaction (a page tree with
revisions would make that slow and partial). They share the catalog's tokeniser for search.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ProvincialMatter(models.Model):
    """A matter handled on 浙江政务服务网 / 浙里办; never deleted, only retired."""

    code = models.CharField(_("matter code"), max_length=64, unique=True)
    name = models.CharField(_("matter name"), max_length=200)
    department = models.CharField(_("provincial department"), max_length=200)
    guide = models.TextField(_("short guide"), blank=True)
    audiences = models.JSONField(_("audience tags"), default=list)
    web_url = models.URLField(_("web link"), max_length=500)
    app_url = models.URLField(_("浙里办 link"), max_length=500, blank=True)
    retired = models.BooleanField(_("retired"), default=False)
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True)
    synced_at = models.DateTimeField(_("last synced"))

    class Meta:
        verbose_name = _("provincial matter")
        verbose_name_plural = _("provincial matters")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def content(self) -> dict[str, object]:
        """The fields the province sends, to tell an update from an unchanged entry."""
        return {
            "name": self.name,
            "department": self.department,
            "guide": self.guide,
            "audiences": list(self.audiences),
            "web_url": self.web_url,
            "app_url": self.app_url,
        }


class ProvincialMatterToken(models.Model):
    """Search tokens of a live provincial matter (same tokens as catalog.MatterSearchToken)."""

    matter = models.ForeignKey(ProvincialMatter, on_delete=models.CASCADE, related_name="tokens")
    token = models.CharField(max_length=64)
    weight = models.PositiveSmallIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["matter", "token"], name="province_token_unique")
        ]
        indexes = [models.Index(fields=["token", "matter"], name="province_token_lookup")]

    def __str__(self) -> str:
        return self.token


class SyncRun(models.Model):
    """One attempt to sync the provincial catalog, successful or not."""

    class Status(models.TextChoices):
        RUNNING = "running", _("running")
        OK = "ok", _("synced")
        NOT_MODIFIED = "not_modified", _("not modified")
        FAILED = "failed", _("failed")

    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.RUNNING
    )
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    retired = models.PositiveIntegerField(_("retired"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    requests = models.PositiveIntegerField(_("requests"), default=0)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("sync run")
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} {self.status}"


class ConnectorState(models.Model):
    """The connector's health: one row (pk=1), updated after every sync run."""

    consecutive_failures = models.PositiveIntegerField(default=0)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_failure_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    etag = models.CharField(max_length=200, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)

    class Meta:
        verbose_name = _("connector state")

    def __str__(self) -> str:
        return f"failures={self.consecutive_failures}"


class HandOff(models.Model):
    """A campus user sent to the province for a matter (counted by the dashboard)."""

    class Channel(models.TextChoices):
        WEB = "web", _("web")
        APP = "app", _("浙里办")

    matter = models.ForeignKey(ProvincialMatter, on_delete=models.PROTECT, related_name="handoffs")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    channel = models.CharField(max_length=8, choices=Channel.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("hand-off")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.matter_id} {self.channel}"
