"""Who a signed-in user is on campus, and which roles they hold."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from campus_portal.accounts.role_names import OFFICE_ROLES, Role


class CampusIdentity(models.Model):
    """Links a user account to the warehouse person it belongs to (by campus identity).

    The warehouse lives behind its own database alias, so this is a plain ``uid`` string,
    not a foreign key. Local accounts (alumni, visitors) have no row: they are not in the
    warehouse, and nothing is prefilled for them.
    """

    class Source(models.TextChoices):
        DIRECTORY = "directory", _("Campus directory")
        DEMO = "demo", _("Demo account")
        MANUAL = "manual", _("Linked by an administrator")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="campus_identity"
    )
    person_uid = models.CharField(_("campus identity"), max_length=64, unique=True)
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    linked_at = models.DateTimeField(_("linked at"), auto_now_add=True)

    class Meta:
        verbose_name = _("campus identity")
        verbose_name_plural = _("campus identities")

    def __str__(self) -> str:
        return self.person_uid


class RoleAssignment(models.Model):
    """One role held by one user, for one office or campus-wide (``office_code`` empty)."""

    class Source(models.TextChoices):
        DIRECTORY = "directory", _("Campus directory group")
        MANUAL = "manual", _("Assigned by an administrator")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    office_code = models.CharField(_("office code"), max_length=32, blank=True)
    source = models.CharField(
        _("source"), max_length=16, choices=Source.choices, default=Source.MANUAL
    )
    assigned_by = models.CharField(_("assigned by"), max_length=150, blank=True)
    assigned_at = models.DateTimeField(_("assigned at"), auto_now_add=True)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        ordering = ["user_id", "role", "office_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "office_code"], name="accounts_role_once_per_scope"
            ),
            models.CheckConstraint(
                condition=(
                    Q(role__in=sorted(r.value for r in OFFICE_ROLES)) & ~Q(office_code="")
                    | ~Q(role__in=sorted(r.value for r in OFFICE_ROLES)) & Q(office_code="")
                ),
                name="accounts_office_roles_name_an_office",
            ),
        ]

    def __str__(self) -> str:
        label = Role(self.role).label
        return f"{label}（{self.office_code}）" if self.office_code else str(label)
