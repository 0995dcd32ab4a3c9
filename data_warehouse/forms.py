"""Admin forms for the steward screens."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from data_warehouse.models import DataItem, Grant
from data_warehouse.permissions import steward_offices_for

GRANT_FIELDS = ["handler_key", "item", "purpose", "unmasked"]


class GrantForm(WagtailAdminModelForm):
    """Create a grant for one of your office's items, or revoke one; never edit it in place.

    Editing a grant's item or purpose in place would rewrite what past access-log entries were
    allowed under; a steward revokes and grants anew instead, and both stay on record.
    """

    revoke = forms.BooleanField(label=_("Revoke this grant"), required=False)

    class Meta:
        model = Grant
        fields = GRANT_FIELDS

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        offices = steward_offices_for(self.for_user) if self.for_user else frozenset()
        if offices is not None:
            self.fields["item"].queryset = DataItem.objects.filter(owner_office_code__in=offices)
        if self.instance.pk:
            for name in GRANT_FIELDS:
                self.fields[name].disabled = True
            self.fields["revoke"].disabled = self.instance.revoked_at is not None
        else:
            self.fields["revoke"].widget = forms.HiddenInput()

    def save(self, commit: bool = True) -> Grant:
        grant = super().save(commit=False)
        if not grant.pk:
            grant.granted_by = self.for_user.get_username()
        if self.cleaned_data.get("revoke") and grant.revoked_at is None:
            grant.revoked_at = timezone.now()
        if commit:
            grant.save()
        return grant
