"""Admin forms of seals and templates: the office field offers only the user's own offices."""

from __future__ import annotations

from django import forms
from wagtail.admin.forms import WagtailAdminModelForm

from campus_portal.catalog.models import Office
from campus_portal.results.permissions import office_processing_codes


class OwnOfficeForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields.get("office")
        if field is not None and self.for_user is not None:
            offices = office_processing_codes(self.for_user)
            queryset = Office.objects.all()
            field.queryset = queryset if offices is None else queryset.filter(code__in=offices)


class PrivateFileInput(forms.FileInput):
    """A file input that never links the current file: a seal in private storage has no URL
    (the default widget would ask the storage for one and fail)."""
