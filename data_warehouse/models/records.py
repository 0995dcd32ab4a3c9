"""Student and staff records with history.

A change never overwrites a record: the current version gets ``valid_to`` and a new version
starts (``services.record_change``). So the record behind a certificate issued last year can
still be shown today (``selectors`` read "as of" a moment).
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from data_warehouse.models.base import WarehouseModel


class RecordBase(WarehouseModel):
    person = models.ForeignKey(
        "data_warehouse.Person", verbose_name=_("person"), on_delete=models.PROTECT
    )
    valid_from = models.DateTimeField(_("valid from"))
    valid_to = models.DateTimeField(_("valid to"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=100, default="manual")

    class Meta:
        abstract = True


class StudentRecord(RecordBase):
    number = models.CharField(_("student number"), max_length=32)
    school = models.ForeignKey(
        "data_warehouse.OrgUnit",
        verbose_name=_("school"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    major = models.CharField(_("major"), max_length=100)
    class_name = models.CharField(_("class"), max_length=100, blank=True)
    degree_level = models.CharField(_("degree level"), max_length=32)
    grade_year = models.PositiveSmallIntegerField(_("grade year"))
    enrolment_status = models.CharField(_("enrolment status"), max_length=32)
    dormitory = models.CharField(_("dormitory"), max_length=100, blank=True)
    photo_ref = models.CharField(_("photo reference"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("student record")
        verbose_name_plural = _("student records")
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(valid_to__isnull=True),
                name="student_record_one_current",
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.major}"


class StaffRecord(RecordBase):
    number = models.CharField(_("staff number"), max_length=32)
    unit = models.ForeignKey(
        "data_warehouse.OrgUnit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    post = models.CharField(_("post"), max_length=100)
    title = models.CharField(_("title"), max_length=100, blank=True)
    employment_status = models.CharField(_("employment status"), max_length=32)
    hire_date = models.DateField(_("hire date"))

    class Meta:
        verbose_name = _("staff record")
        verbose_name_plural = _("staff records")
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(valid_to__isnull=True),
                name="staff_record_one_current",
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.post}"
