"""Offices (责任部门).

An office is created by the importer the first time its code appears in a micro-power list.
Codes are whatever the university uses (``JWC`` here, something else elsewhere); the code is the
stable key, the name may change (a renamed office keeps its code, matters and editors).
"""

from django.contrib.auth.models import Group
from django.db import models
from django.utils.translation import gettext_lazy as _


class Office(models.Model):
    code = models.CharField(_("office code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    phone = models.CharField(_("consultation phone"), max_length=64, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    # Members of this group edit this office's matter pages and nothing else
    # (GroupPagePermission on the office page, set up by services.office_ensure).
    editors = models.OneToOneField(
        Group,
        verbose_name=_("editor group"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="edited_office",
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("office")
        verbose_name_plural = _("offices")

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"
