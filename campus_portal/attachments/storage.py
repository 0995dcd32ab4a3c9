"""Where uploads live: a folder no URL points at (``settings.PRIVATE_MEDIA_ROOT``).

Not ``MEDIA_ROOT`` (served in development, and by any web server configured the usual way) and
not ``STATIC_ROOT`` (whitenoise serves it): a file is read only by the download view, after the
permission check. The folder is read from the settings at each use, so a test (or a server)
can move it without re-importing the models.
"""

from __future__ import annotations

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    """A file-system storage rooted at ``PRIVATE_MEDIA_ROOT``, with no URL at all."""

    @property
    def base_location(self) -> str:  # type: ignore[override]
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self) -> str:  # type: ignore[override]
        return os.path.abspath(self.base_location)

    @property
    def file_permissions_mode(self) -> int:  # type: ignore[override]
        return 0o640  # applicants' papers: not for every account on the server

    @property
    def directory_permissions_mode(self) -> int:  # type: ignore[override]
        return 0o750

    def url(self, name: str | None) -> str:
        raise ValueError("private files have no URL; use the attachment download view")


def private_storage() -> PrivateStorage:
    """The storage of ``Attachment.file`` (a callable, so migrations do not freeze a path)."""
    return PrivateStorage()
