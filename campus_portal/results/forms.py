from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class VerifyUploadForm(forms.Form):
    """A PDF to check; refused above ``RESULTS_UPLOAD_MAX_BYTES`` or when it is no PDF."""

    file = forms.FileField(label=_("PDF document"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.RESULTS_UPLOAD_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is too large (at most %(size)d MB).")
                % {"size": settings.RESULTS_UPLOAD_MAX_BYTES // (1024 * 1024)}
            )
        data = upload.read()
        if not data.startswith(b"%PDF-"):
            raise forms.ValidationError(_("This is not a PDF file."))
        return data
