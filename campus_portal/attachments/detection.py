"""What a file really is, from its bytes — never from its name or the browser's claim.

The magic numbers come from the maintained ``filetype`` library (pure Python, reads the first
8 KiB). OFD, the zip-based format of Chinese electronic invoices (GB/T 33190), looks like any
zip to ``filetype``; it is recognised here only when the zip's root holds the ``OFD.xml`` entry
document and that document is an OFD one — a renamed zip of anything else stays a zip.
"""

from __future__ import annotations

import zipfile
from typing import IO

import filetype

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
OFD = "application/ofd"

#: What an upload field accepts unless it says otherwise.
DEFAULT_CONTENT_TYPES: tuple[str, ...] = (PDF, JPEG, PNG)
#: Names people know the types by (for messages).
TYPE_NAMES = {PDF: "PDF", JPEG: "JPEG", PNG: "PNG", OFD: "OFD"}
#: A file's extension for each type (the download's name is the applicant's, but we keep it
#: honest when the applicant's name said something else).
EXTENSIONS = {PDF: "pdf", JPEG: "jpg", PNG: "png", OFD: "ofd"}

_HEAD_BYTES = 8192
_OFD_ENTRY = "OFD.xml"
_OFD_MARKER = b"ofdspec.org"  # the namespace of GB/T 33190's document schema


def content_type_detect(file: IO[bytes]) -> str | None:
    """The MIME type of ``file``'s content, or None when it is not a type we can recognise.

    Leaves the file positioned at its start.
    """
    file.seek(0)
    head = file.read(_HEAD_BYTES)
    file.seek(0)
    kind = filetype.guess(head) if head else None
    if kind is None:
        return None
    if kind.mime == "application/zip" and _is_ofd(file):
        return OFD
    return kind.mime


def _is_ofd(file: IO[bytes]) -> bool:
    try:
        with zipfile.ZipFile(file) as package:
            if _OFD_ENTRY not in package.namelist():
                return False
            with package.open(_OFD_ENTRY) as entry:
                return _OFD_MARKER in entry.read(4096)  # bounded: no zip bomb gets unpacked
    except (zipfile.BadZipFile, OSError, RuntimeError, ValueError):
        return False
    finally:
        file.seek(0)


def type_names(content_types: tuple[str, ...] | list[str]) -> str:
    return ", ".join(TYPE_NAMES.get(content_type, content_type) for content_type in content_types)
