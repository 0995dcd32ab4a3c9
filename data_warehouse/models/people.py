"""Persons (one per real person, whatever their roles) and org units."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from data_warehouse.models.base import WarehouseModel


class OrgUnit(WarehouseModel):
    class Kind(models.TextChoices):
        SCHOOL = "school", _("School or college")
        OFFICE = "office", _("Office")
        CLASS = "class", _("Class")
        OTHER = "other", _("Other")

    code = models.CharField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    active = models.BooleanField(_("active"), default=True)
    # Which source owns the row ("ldap", "demo", an import kind …): a source retires only rows
    # it owns, so the directory sync never retires people that another system provides.
    source = models.CharField(_("source"), max_length=32, default="manual")

    class Meta:
        ordering = ["code"]
        verbose_name = _("org unit")
        verbose_name_plural = _("org units")

    def __str__(self) -> str:
        return self.name


class Person(WarehouseModel):
    """A real person. ``uid`` is the campus identity (统一身份认证号), stable across roles."""

    class Gender(models.TextChoices):
        MALE = "male", _("Male")
        FEMALE = "female", _("Female")
        UNKNOWN = "unknown", _("Not recorded")

    uid = models.CharField(_("campus identity"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=100)
    gender = models.CharField(
        _("gender"), max_length=8, choices=Gender.choices, default=Gender.UNKNOWN
    )
    id_card_number = models.CharField(_("ID card number"), max_length=32, blank=True)
    email = models.EmailField(_("email"), blank=True)
    active = models.BooleanField(_("active"), default=True)
    source = models.CharField(_("source"), max_length=32, default="manual")  # see OrgUnit
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["uid"]
        verbose_name = _("person")
        verbose_name_plural = _("persons")

    def __str__(self) -> str:
        return f"{self.name}（{self.uid}）"
