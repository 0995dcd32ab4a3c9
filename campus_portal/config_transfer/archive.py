"""The archive: a zip of one JSON file per kind plus ``manifest.json``.

Why a checksum per file in the manifest: an archive travels by hand (USB stick, e-mail) from
the test instance to production; a truncated download or a file edited by hand must be
refused before anything is read into the database, naming the file that is wrong. The
checks on the zip itself (size before and after inflating, member count, paths) run before a
single member is decompressed, so a zip bomb or a member named ``../../settings.py`` costs
nothing.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import PurePosixPath

from django.utils.translation import gettext as _

FORMAT_NAME = "campus-portal-configuration"
# Bump when the shape of a file changes; add an upgrade step in ``UPGRADES`` for the old one.
FORMAT_VERSION = 1
PLATFORM_VERSION = "0.1.0"  # pyproject.toml [project] version
MANIFEST = "manifest.json"

MAX_ARCHIVE_BYTES = 50 * 1024 * 1024
MAX_MEMBER_BYTES = 20 * 1024 * 1024
MAX_TOTAL_BYTES = 100 * 1024 * 1024
MAX_MEMBERS = 2000
MAX_RATIO = 200  # inflated / compressed; JSON compresses ~10×, a bomb ~1000×


class ArchiveRefused(Exception):
    """The archive cannot be read; ``messages`` name the file and what is wrong."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = messages


@dataclass
class Archive:
    manifest: dict
    files: dict[str, bytes] = field(default_factory=dict)  # member name → bytes

    def records(self, name: str) -> list[dict]:
        """The records of one kind's JSON file (empty when the archive has none)."""
        if name not in self.files:
            return []
        try:
            document = json.loads(self.files[name].decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as error:
            raise ArchiveRefused(
                [_("%(file)s is not valid JSON: %(error)s") % {"file": name, "error": error}]
            ) from error
        records = document.get("records") if isinstance(document, dict) else None
        if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
            raise ArchiveRefused([_("%(file)s has no list of records.") % {"file": name}])
        return records


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def archive_write(*, files: dict[str, bytes], scope: dict) -> bytes:
    """The zip bytes: ``files`` and a manifest listing each with its checksum."""
    manifest = {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "platform_version": PLATFORM_VERSION,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "scope": scope,
        "files": {
            name: {"sha256": _digest(data), "bytes": len(data)} for name, data in files.items()
        },
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as package:
        package.writestr(MANIFEST, json_bytes(manifest))
        for name, data in sorted(files.items()):
            package.writestr(name, data)
    return buffer.getvalue()


def json_bytes(document: object) -> bytes:
    """Human-readable, stable JSON: sorted keys, indented, Chinese as is (diffable in git)."""
    return (json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()


def _member_name_safe(name: str) -> bool:
    path = PurePosixPath(name)
    return not (
        name.startswith(("/", "\\"))
        or "\\" in name
        or ".." in path.parts
        or (path.parts and ":" in path.parts[0])
        or "\x00" in name
    )


def _zip_checked(data: bytes, filename: str) -> zipfile.ZipFile:
    """Refuse what is not a sound zip before inflating anything."""
    if len(data) > MAX_ARCHIVE_BYTES:
        raise ArchiveRefused(
            [
                _("%(file)s is larger than %(mb)d MB.")
                % {"file": filename, "mb": MAX_ARCHIVE_BYTES // 2**20}
            ]
        )
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ArchiveRefused(
            [_("%(file)s is not a configuration archive (not a zip file).") % {"file": filename}]
        )
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
        members = package.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise ArchiveRefused(
            [_("%(file)s is damaged: %(error)s") % {"file": filename, "error": error}]
        ) from error
    problems = []
    if len(members) > MAX_MEMBERS:
        problems.append(_("%(file)s has too many files.") % {"file": filename})
    total = 0
    for member in members:
        if not _member_name_safe(member.filename):
            problems.append(
                _("%(file)s: the path “%(name)s” leads outside the archive.")
                % {"file": filename, "name": member.filename}
            )
            continue
        total += member.file_size
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > MAX_MEMBER_BYTES or (
            member.file_size > 1_000_000 and ratio > MAX_RATIO
        ):
            problems.append(
                _("%(file)s: “%(name)s” inflates to %(size)d bytes (a zip bomb?).")
                % {"file": filename, "name": member.filename, "size": member.file_size}
            )
    if total > MAX_TOTAL_BYTES:
        problems.append(_("%(file)s inflates to more than the allowed size.") % {"file": filename})
    if problems:
        raise ArchiveRefused(problems)
    return package


def _read_member(package: zipfile.ZipFile, name: str, filename: str) -> bytes:
    try:
        with package.open(name) as member:
            # Never trust the declared size: read one byte past the limit at most.
            data = member.read(MAX_MEMBER_BYTES + 1)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise ArchiveRefused(
            [
                _("%(file)s: “%(name)s” is damaged: %(error)s")
                % {"file": filename, "name": name, "error": error}
            ]
        ) from error
    if len(data) > MAX_MEMBER_BYTES:
        raise ArchiveRefused(
            [_("%(file)s: “%(name)s” is larger than declared.") % {"file": filename, "name": name}]
        )
    return data


def _manifest_checked(raw: bytes, filename: str) -> dict:
    try:
        manifest = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise ArchiveRefused(
            [
                _("%(file)s: manifest.json is not valid JSON: %(error)s")
                % {"file": filename, "error": error}
            ]
        ) from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT_NAME:
        raise ArchiveRefused(
            [_("%(file)s is not a configuration archive of this platform.") % {"file": filename}]
        )
    version = manifest.get("format_version")
    if not isinstance(version, int) or version < 1:
        raise ArchiveRefused(
            [
                _("%(file)s: unknown format version “%(version)s”.")
                % {"file": filename, "version": version}
            ]
        )
    if version > FORMAT_VERSION:
        raise ArchiveRefused(
            [
                _(
                    "%(file)s was written in format version %(theirs)s (platform %(platform)s); "
                    "this platform (%(ours_platform)s) reads format versions up to %(ours)s. "
                    "Upgrade this platform first."
                )
                % {
                    "file": filename,
                    "theirs": version,
                    "platform": manifest.get("platform_version", "?"),
                    "ours": FORMAT_VERSION,
                    "ours_platform": PLATFORM_VERSION,
                }
            ]
        )
    if not isinstance(manifest.get("files"), dict):
        raise ArchiveRefused([_("%(file)s: the manifest lists no files.") % {"file": filename}])
    return manifest


def archive_read(*, data: bytes, filename: str) -> Archive:
    """The checked archive, upgraded to the current format, or ``ArchiveRefused``."""
    package = _zip_checked(data, filename)
    names = {member.filename for member in package.infolist() if not member.is_dir()}
    if MANIFEST not in names:
        raise ArchiveRefused(
            [_("%(file)s has no manifest.json: not a configuration archive.") % {"file": filename}]
        )
    manifest = _manifest_checked(_read_member(package, MANIFEST, filename), filename)
    archive = Archive(manifest=manifest)
    problems = []
    for name, entry in manifest["files"].items():
        if not isinstance(entry, dict) or not _member_name_safe(str(name)):
            problems.append(
                _("%(file)s: the manifest entry “%(name)s” is invalid.")
                % {"file": filename, "name": name}
            )
            continue
        if name not in names:
            problems.append(
                _("%(file)s: “%(name)s” is in the manifest but missing (truncated archive?).")
                % {"file": filename, "name": name}
            )
            continue
        content = _read_member(package, name, filename)
        if _digest(content) != entry.get("sha256"):
            problems.append(
                _("%(file)s: “%(name)s” does not match its checksum (changed or damaged).")
                % {"file": filename, "name": name}
            )
            continue
        archive.files[name] = content
    unlisted = sorted(names - set(manifest["files"]) - {MANIFEST})
    for name in unlisted:
        problems.append(
            _("%(file)s: “%(name)s” is not listed in the manifest (added by hand?).")
            % {"file": filename, "name": name}
        )
    if problems:
        raise ArchiveRefused(problems)
    for step in UPGRADES[manifest["format_version"] - 1 :]:
        step(archive)
    return archive


# UPGRADES[n - 1] turns format n into n + 1 (in place). Format 1 is the first: nothing yet.
UPGRADES: list = []
