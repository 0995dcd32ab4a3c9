"""Upload fields for handler forms: files checked by content, stored privately by the core.

A handler's form declares ``UploadField(label=..., content_types=(...), max_bytes=None)``. The
field checks the upload's *content* (not its name) and its size while the form validates, so
the applicant sees a refusal next to the field. After validation the core stores the file
(``campus_portal.attachments``) and the handler sees, in ``ApplicationView.answers[field]``,
only ``{"attachment": id, "name": ..., "size": ...}`` — never the file.

When the form is shown again (a supplement round), a field that already has a file keeps it
unless the applicant chooses a new one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django import forms
from django.core.files.uploadedfile import UploadedFile

from campus_portal.attachments.detection import DEFAULT_CONTENT_TYPES, JPEG, OFD, PDF, PNG
from campus_portal.attachments.services import upload_check

__all__ = ["JPEG", "OFD", "PDF", "PNG", "UploadField", "is_attachment"]


class UploadField(forms.FileField):
    """A file the applicant uploads; ``content_types`` are MIME types detected from the bytes
    (``plugin_api.PDF``, ``JPEG``, ``PNG``, ``OFD``); ``max_bytes`` lowers the site's limit."""

    widget = forms.FileInput

    def __init__(
        self,
        *,
        content_types: Iterable[str] = DEFAULT_CONTENT_TYPES,
        max_bytes: int | None = None,
        **kwargs,
    ) -> None:
        self.content_types = tuple(content_types)
        self.max_bytes = max_bytes
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("accept", ",".join(self.content_types))

    def clean(self, data, initial=None):
        value = super().clean(data, initial)  # no new file: the kept answer (``initial``)
        if isinstance(value, UploadedFile):
            upload_check(
                value,
                label=str(self.label or ""),
                content_types=self.content_types,
                max_bytes=self.max_bytes,
            )
        elif value is not None and not is_attachment(value):
            return None  # never let anything but a stored attachment's summary through
        return value

    def has_changed(self, initial, data) -> bool:
        return data is not None


def is_attachment(value) -> bool:
    """Whether an answer is a stored attachment's summary (what handlers find in answers)."""
    return isinstance(value, Mapping) and isinstance(value.get("attachment"), int)
