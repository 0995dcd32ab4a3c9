"""The data catalog: every item the warehouse can hand out, with its owner and sensitivity."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from data_warehouse.models.base import WarehouseModel


class Sensitivity(models.TextChoices):
    PUBLIC = "public", _("Public inside the campus")
    INTERNAL = "internal", _("Internal")
    SENSITIVE = "sensitive", _("Sensitive")
    HIGHLY_SENSITIVE = "highly_sensitive", _("Highly sensitive")


class DataItem(WarehouseModel):
    """One data item, e.g. ``student.major``; its key is what plugins list in ``data_needs``."""

    key = models.CharField(_("key"), max_length=64, unique=True)
    label = models.CharField(_("label"), max_length=100)
    owner_office_code = models.CharField(_("owner office code"), max_length=32)
    sensitivity = models.CharField(
        _("sensitivity"), max_length=20, choices=Sensitivity.choices, default=Sensitivity.INTERNAL
    )
    source = models.CharField(_("source"), max_length=100)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["key"]
        verbose_name = _("data item")
        verbose_name_plural = _("data items")

    def __str__(self) -> str:
        return f"{self.key}（{self.label}）"
