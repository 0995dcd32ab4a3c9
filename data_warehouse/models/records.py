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


class RecordImport(WarehouseModel):
    """One upload of a students or staff export through the admin, checked before it is applied.

    It lives in the warehouse (the file holds ID numbers, which must not leave it) and keeps the
    uploaded bytes only until the import is applied or rejected. It also carries the permission
    ``data_warehouse.import_records`` that opens the admin screen.
    """

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("Uploaded")
        CHECKING = "checking", _("Checking")
        CHECKED = "checked", _("Checked, waiting for confirmation")
        REJECTED = "rejected", _("Rejected")
        IMPORTING = "importing", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Failed")

    class Kind(models.TextChoices):
        STUDENTS = "students", _("Students")
        STAFF = "staff", _("Staff")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    original_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(max_length=64)
    data = models.BinaryField(_("file content"), blank=True, default=b"")
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.UPLOADED
    )
    report = models.JSONField(_("report"), default=dict, blank=True)
    # A username, not a foreign key: no relation crosses the warehouse boundary.
    created_by = models.CharField(_("uploaded by"), max_length=150, blank=True)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("record import")
        verbose_name_plural = _("record imports")
        permissions = [("import_records", _("Can import student and staff records"))]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_status_display()})"
