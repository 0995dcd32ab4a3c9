"""Export and import of the configuration (docs/configuration-transfer.md).

``configuration_export`` writes the archive; ``configuration_import`` reads it, maps
environment-specific references, diffs it against this instance and — unless it is a dry run
or a problem is left — writes what is new or changed, all in one transaction (the warehouse's
grants in a transaction of their own alias nested inside it, so a failure rolls back both).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from campus_portal.config_transfer.applying import catalog_ready, record_write
from campus_portal.config_transfer.archive import (
    Archive,
    ArchiveRefused,
    archive_read,
    archive_write,
    json_bytes,
)
from campus_portal.config_transfer.diff import CHANGED, CREATED, Entry, diff_kind
from campus_portal.config_transfer.records import KINDS, MATTER_FIELDS, file_name, records_read
from campus_portal.config_transfer.references import Problem, mapping_apply, problems_find
from campus_portal.config_transfer.scope import Scope
from campus_portal.config_transfer.selectors import in_flight_by_matter

logger = logging.getLogger(__name__)
WAREHOUSE_ALIAS = "warehouse"


@dataclass
class ImportReport:
    filename: str
    manifest: dict
    entries: list[Entry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    applied: bool = False

    @property
    def blocking(self) -> list[Problem]:
        return [p for p in self.problems if p.blocking]

    @property
    def ok(self) -> bool:
        return not self.blocking

    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for entry in self.entries:
            counts[entry.status] = counts.get(entry.status, 0) + 1
        return counts

    def to_write(self) -> list[Entry]:
        return [e for e in self.entries if e.status in (CREATED, CHANGED)]


def configuration_export(*, scope: Scope | None = None) -> bytes:
    """The archive of everything, or of some offices' and matters' configuration."""
    scope = scope or Scope()
    files = {
        file_name(kind): json_bytes(
            {
                "kind": kind,
                "records": [{"key": key, **record} for key, record in sorted(records.items())],
            }
        )
        for kind, records in records_read(scope=scope).items()
    }
    return archive_write(files=files, scope=scope.as_manifest())


def _incoming(archive: Archive, filename: str) -> dict[str, dict[str, dict]]:
    incoming = {}
    for kind in KINDS:
        name = file_name(kind)
        if name not in archive.files:
            continue
        records = {}
        for index, record in enumerate(archive.records(name), start=1):
            key = record.pop("key", None)
            if not isinstance(key, str) or not key:
                raise ArchiveRefused(
                    [
                        _("%(file)s: %(member)s, record %(n)d has no key.")
                        % {"file": filename, "member": name, "n": index}
                    ]
                )
            records[key] = record
        incoming[kind] = records
    return incoming


def _shape_checked(incoming: dict, filename: str) -> None:
    """Every record carries the fields this format version defines (a hand-edited file
    that dropped one is refused, naming the object, instead of failing half-way)."""
    problems = []
    for kind, records in incoming.items():
        wanted = _fields_of(kind)
        for key, record in records.items():
            missing = sorted(wanted - set(record))
            if missing:
                problems.append(
                    _("%(file)s: %(member)s, object “%(key)s” lacks %(fields)s.")
                    % {
                        "file": filename,
                        "member": file_name(kind),
                        "key": key,
                        "fields": ", ".join(missing),
                    }
                )
    if problems:
        raise ArchiveRefused(problems)


FIELDS = {
    "offices": {"name", "phone", "address"},
    "audiences": {"name", "sort_order"},
    "topics": {"name", "keywords", "sort_order"},
    "synonyms": {"canonical"},
    "configurations": {"office", "draft", "derived", "derivation_notes", "versions"},
    "bindings": {"handler", "enabled"},
    "grants": {"handler", "item", "purpose", "unmasked", "granted_by"},
    "result_templates": {"office", "kind", "language", "handler", "source"},
    "seals": {"office", "sha256", "png_base64"},
    "targets": {"due", "scope", "measure", "goal", "text", "sort_order"},
    "queue_categories": {"name", "description", "default_service_minutes", "active", "position"},
    "calendar_overrides": {"is_working_day", "note"},
}


def _fields_of(kind: str) -> set[str]:
    if kind == "matters":
        return set(MATTER_FIELDS) | {
            "office",
            "deciding_office",
            "live",
            "audiences",
            "topics",
            "materials",
            "faqs",
        }
    return FIELDS[kind]


def _version_conflicts(here: dict, incoming: dict) -> list[Problem]:
    """A published version is immutable: the same number with another definition here means
    the two instances' histories forked, which no mapping can settle."""
    problems = []
    for code, record in incoming.get("configurations", {}).items():
        ours = {v["number"]: v["definition"] for v in here.get(code, {}).get("versions", [])}
        for version in record["versions"]:
            if version["number"] in ours and ours[version["number"]] != version["definition"]:
                problems.append(
                    Problem(
                        kind="versions",
                        name=f"{code} v{version['number']}",
                        used_by=[_("configuration of %(code)s") % {"code": code}],
                        message=_(
                            "Version %(n)s of %(code)s is published here with another "
                            "definition; published versions never change."
                        )
                        % {"n": version["number"], "code": code},
                    )
                )
    return problems


def _impact_notes(entries: list[Entry]) -> None:
    """Tell the importer which matters have applications in flight: they keep their version."""
    codes = [e.key for e in entries if e.kind == "configurations" and e.status == CHANGED]
    in_flight = in_flight_by_matter(codes=codes)
    for entry in entries:
        count = in_flight.get(entry.key, 0) if entry.kind == "configurations" else 0
        if count:
            entry.note = _(
                "%(n)d application(s) in flight here keep the version they started on."
            ) % {"n": count}


def configuration_import(
    *,
    data: bytes,
    filename: str,
    mapping: dict[str, dict[str, str]] | None = None,
    dry_run: bool = True,
    user=None,
) -> ImportReport:
    """Check, diff and (unless ``dry_run`` or a problem is left) import an archive.

    Raises ``ArchiveRefused`` for an archive that cannot be read; returns the report
    otherwise. Nothing is written unless every reference resolves; then everything new or
    changed is written in one transaction, or nothing is.
    """
    archive = archive_read(data=data, filename=filename)
    incoming = _incoming(archive, filename)
    _shape_checked(incoming, filename)
    incoming = mapping_apply(incoming, mapping or {})
    scope = Scope.from_manifest(archive.manifest.get("scope"))
    here = records_read(scope=scope)
    report = ImportReport(filename=filename, manifest=archive.manifest)
    for kind in KINDS:
        if kind in incoming:
            report.entries.extend(diff_kind(kind, here=here.get(kind, {}), incoming=incoming[kind]))
    report.problems = problems_find(incoming) + _version_conflicts(
        here.get("configurations", {}), incoming
    )
    _impact_notes(report.entries)
    if dry_run or not report.ok:
        return report
    with transaction.atomic(), transaction.atomic(using=WAREHOUSE_ALIAS):
        writes = report.to_write()
        if any(e.kind in ("offices", "matters") for e in writes):
            catalog_ready()
        for entry in writes:
            record_write(
                kind=entry.kind, key=entry.key, record=incoming[entry.kind][entry.key], user=user
            )
    report.applied = True
    logger.info(
        "configuration imported from %s by %s: %s",
        filename,
        getattr(user, "username", "-"),
        report.counts(),
    )
    return report
