"""Who may read what (grants), what each person agreed to (consents), and who read (the log)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from data_warehouse.models.base import WarehouseModel
from platform_common.append_only import AppendOnlyModel


class Grant(WarehouseModel):
    """A data steward lets one matter handler read one item, for a stated purpose."""

    handler_key = models.CharField(_("matter handler"), max_length=100)
    item = models.ForeignKey(
        "data_warehouse.DataItem",
        verbose_name=_("data item"),
        on_delete=models.PROTECT,
        related_name="grants",
    )
    purpose = models.CharField(_("purpose"), max_length=200)
    unmasked = models.BooleanField(
        _("may see unmasked values"),
        default=False,
        help_text=_(
            "Only where the purpose needs the full value (e.g. printing it on a certificate)."
        ),
    )
    granted_by = models.CharField(_("granted by"), max_length=150)
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("grant")
        verbose_name_plural = _("grants")
        constraints = [
            models.UniqueConstraint(
                fields=["handler_key", "item"],
                condition=Q(revoked_at__isnull=True),
                name="grant_one_active_per_item",
            )
        ]

    def __str__(self) -> str:
        return f"{self.handler_key} → {self.item.key}"


class Consent(WarehouseModel):
    """A person agreed that these items be read for this matter and application."""

    person = models.ForeignKey(
        "data_warehouse.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="consents",
    )
    handler_key = models.CharField(_("matter handler"), max_length=100)
    application_ref = models.CharField(_("application"), max_length=64)
    items = models.ManyToManyField("data_warehouse.DataItem", verbose_name=_("data items"))
    purpose = models.CharField(_("purpose"), max_length=200)
    given_at = models.DateTimeField(_("given at"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        # Every read looks up the person's consent for one handler and application; without
        # this index PostgreSQL scanned all consents of the handler (the person_id index alone
        # was not chosen for the read's correlated EXISTS).
        indexes = [
            models.Index(
                fields=["person", "handler_key", "application_ref"], name="consent_read_lookup"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person.uid} / {self.handler_key} / {self.application_ref}"


class AccessLog(AppendOnlyModel, WarehouseModel):
    """One read of one person's data. Written in the same transaction as the read; never
    changed or deleted (the model refuses both).

    Two kinds: ``read`` — a matter handler read the warehouse (``warehouse_read``); ``view`` —
    someone other than the person looked at the data kept with an application (staff opening
    it or its attachments in the workbench, a named assignee, window staff): one row per
    reader × application (or attachment, ``view_of``) × day, however often the page reloads.
    The reader's name, office and role are kept as the portal named them at the time, so the
    person's page shows names, not codes, even after someone changes office.
    """

    class Kind(models.TextChoices):
        READ = "read", _("Read by a matter handler")
        VIEW = "view", _("Viewed by a member of staff")

    actor = models.CharField(_("who"), max_length=150)
    handler_key = models.CharField(_("matter handler"), max_length=100)
    person = models.ForeignKey(
        "data_warehouse.Person",
        verbose_name=_("whose data"),
        on_delete=models.PROTECT,
        related_name="access_log",
    )
    items = models.JSONField(_("items read"))
    purpose = models.CharField(_("purpose"), max_length=200)
    application_ref = models.CharField(_("application"), max_length=64)
    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.READ)
    reader_name = models.CharField(_("reader"), max_length=150, blank=True)
    reader_office = models.CharField(_("reader's office"), max_length=150, blank=True)
    reader_role = models.CharField(_("reader's role"), max_length=100, blank=True)
    day = models.DateField(_("day"), null=True, blank=True)
    #: What a view opened: "application" (its page and data) or "attachment:<id>".
    view_of = models.CharField(_("opened"), max_length=100, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        constraints = [
            models.UniqueConstraint(
                fields=["actor", "person", "application_ref", "view_of", "day"],
                condition=Q(kind="view"),
                name="access_view_once_a_day",
            )
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} → {self.person.uid}"
