"""Checking and storing uploads. Views and the plugin API's ``UploadField`` call these.

An upload is accepted when its *content* is one of the field's types and it is not larger than
the field's limit (and never larger than ``settings.UPLOAD_MAX_BYTES``). A PDF-named web page
or program is refused with a message naming the field, before anything is written. Accepted
files are written under a random name in the private storage (``storage.py``) with their
SHA-256, so that a file later found on disk can be matched to its application.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from campus_portal.attachments.detection import (
    DEFAULT_CONTENT_TYPES,
    EXTENSIONS,
    content_type_detect,
    type_names,
)
from campus_portal.attachments.models import Attachment

_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]+')
_NAME_LIMIT = 150


def upload_limit(max_bytes: int | None = None) -> int:
    """The field's limit, never above the site's ``UPLOAD_MAX_BYTES``."""
    site = int(settings.UPLOAD_MAX_BYTES)
    return min(max_bytes, site) if max_bytes else site


def upload_check(
    upload: UploadedFile,
    *,
    label: str,
    content_types: tuple[str, ...] = DEFAULT_CONTENT_TYPES,
    max_bytes: int | None = None,
) -> str:
    """The upload's detected content type, or a ``ValidationError`` naming the field."""
    limit = upload_limit(max_bytes)
    if upload.size is None or upload.size > limit:
        raise ValidationError(
            _("“%(field)s”: the file is larger than %(limit)s.")
            % {"field": label, "limit": filesizeformat(limit)},
            code="too_large",
        )
    if not upload.size:
        raise ValidationError(_("“%(field)s”: the file is empty.") % {"field": label}, code="empty")
    detected = content_type_detect(upload)
    if detected not in content_types:
        raise ValidationError(
            _(
                "“%(field)s”: the file's content is not %(types)s, whatever its name says. "
                "Upload a %(types)s file."
            )
            % {"field": label, "types": type_names(content_types)},
            code="content_type",
        )
    return detected


def original_name_clean(name: str, content_type: str) -> str:
    """A name safe to show and to offer as the download's name (never used as a path).

    Directories and control or reserved characters go; the extension is made to match the
    detected type, so a PNG uploaded as ``invoice.pdf`` downloads as ``invoice.png``.
    """
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[/\\]", name)[-1]
    name = _UNSAFE.sub("_", name).strip(" ._") or "attachment"
    stem = name.rsplit(".", 1)[0] if "." in name else name
    extension = EXTENSIONS.get(content_type, "")
    stem = stem[: _NAME_LIMIT - len(extension) - 1]
    return f"{stem}.{extension}" if extension else stem


def _sha256(upload: UploadedFile) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def attachment_store(
    *,
    application,
    field_name: str,
    upload: UploadedFile,
    user,
    label: str = "",
    content_types: tuple[str, ...] = DEFAULT_CONTENT_TYPES,
    max_bytes: int | None = None,
) -> Attachment:
    """Check ``upload`` again (the form may be bypassed) and keep it for ``application``.

    The file is written first and the row created after; if the row cannot be created, the
    file is removed again, so the private folder holds no file without an owner.
    """
    content_type = upload_check(
        upload, label=label or field_name, content_types=content_types, max_bytes=max_bytes
    )
    attachment = Attachment(
        application=application,
        field_name=field_name[:64],
        original_name=original_name_clean(upload.name, content_type),
        content_type=content_type,
        size=upload.size,
        sha256=_sha256(upload),
        uploaded_by=user,
    )
    attachment.file.save("upload", upload, save=False)
    try:
        attachment.save()
    except Exception:
        attachment.file.delete(save=False)
        raise
    return attachment


def attachments_discard(attachments: list[Attachment]) -> None:
    """Remove files stored for a submission that did not go through (their rows roll back)."""
    for attachment in attachments:
        attachment.file.delete(save=False)
