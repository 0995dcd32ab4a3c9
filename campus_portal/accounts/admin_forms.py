"""Admin form for giving someone a role."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from campus_portal.accounts.models import RoleAssignment
from campus_portal.accounts.roles import OFFICE_ROLES
from campus_portal.catalog.models import Office


class RoleAssignmentForm(WagtailAdminModelForm):
    """Roles are given and taken away, never edited: a change would blur the security log."""

    class Meta:
        model = RoleAssignment
        fields = ["user", "role", "office_code"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)

        offices = [("", "—")] + [(o.code, str(o)) for o in Office.objects.order_by("code")]
        self.fields["office_code"] = forms.ChoiceField(
            label=_("Office"), choices=offices, required=False
        )

    def clean(self) -> dict:
        cleaned = super().clean()
        role, office = cleaned.get("role"), cleaned.get("office_code", "")
        if role in OFFICE_ROLES and not office:
            raise ValidationError({"office_code": _("This role is held for one office.")})
        if role and role not in OFFICE_ROLES and office:
            raise ValidationError({"office_code": _("This role is campus-wide: leave it empty.")})
        return cleaned

    def save(self, commit: bool = True) -> RoleAssignment:
        assignment = super().save(commit=False)
        assignment.assigned_by = self.for_user.get_username() if self.for_user else ""
        assignment.source = RoleAssignment.Source.MANUAL
        if commit:
            assignment.save()
        return assignment
