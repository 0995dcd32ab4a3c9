"""The dry run's diff: each object of the archive against this instance, field by field."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

CREATED, CHANGED, UNCHANGED, ONLY_HERE = "created", "changed", "unchanged", "only_here"
STATUS_LABELS = {
    CREATED: _("New"),
    CHANGED: _("Changed"),
    UNCHANGED: _("Unchanged"),
    ONLY_HERE: _("Here but not in the file (kept)"),
}
KIND_LABELS = {
    "offices": _("Offices"),
    "audiences": _("Audiences"),
    "topics": _("Topics"),
    "synonyms": _("Search synonyms"),
    "matters": _("Service guides"),
    "configurations": _("Matter configurations"),
    "bindings": _("Handler bindings"),
    "grants": _("Data grants"),
    "result_templates": _("Result document templates"),
    "seals": _("Office seals"),
    "targets": _("105号 targets"),
    "queue_categories": _("Window service categories"),
    "calendar_overrides": _("Working-day calendar"),
}


@dataclass
class Change:
    field: str
    old: str
    new: str


@dataclass
class Entry:
    kind: str
    key: str
    status: str
    changes: list[Change] = field(default_factory=list)
    note: str = ""

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])


def shown(value, limit: int = 300) -> str:
    """A value as the diff shows it (never a Python repr: no True/False, no tuples)."""
    if value is True:
        return str(_("yes"))
    if value is False:
        return str(_("no"))
    if value is None or value == "":
        return "—"
    text = (
        value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True)
    )
    return text if len(text) <= limit else text[: limit - 1] + "…"


def versions_merged(old: list[dict], new: list[dict]) -> list[dict]:
    """The target's versions kept, the archive's missing numbers added (history only grows)."""
    numbers = {v["number"] for v in old}
    return sorted(
        [*old, *(v for v in new if v["number"] not in numbers)], key=lambda v: v["number"]
    )


def record_effective(kind: str, old: dict | None, new: dict) -> dict:
    """What ``new`` becomes on this instance (configurations keep their own versions)."""
    if kind == "configurations" and old is not None:
        return {**new, "versions": versions_merged(old["versions"], new["versions"])}
    return new


def _changes(kind: str, old: dict, new: dict) -> list[Change]:
    changes = []
    for name in sorted(set(old) | set(new)):
        before, after = old.get(name), new.get(name)
        if before == after:
            continue
        if name == "versions":
            before = ", ".join(f"v{v['number']}" for v in before or [])
            after = ", ".join(f"v{v['number']}" for v in after or [])
        elif name == "png_base64":
            continue  # the checksum beside it says the same, readably
        changes.append(Change(field=name, old=shown(before), new=shown(after)))
    return changes


def diff_kind(kind: str, *, here: dict[str, dict], incoming: dict[str, dict]) -> list[Entry]:
    entries = []
    for key in sorted(incoming):
        new = incoming[key]
        old = here.get(key)
        if old is None:
            entries.append(Entry(kind, key, CREATED))
            continue
        changes = _changes(kind, old, record_effective(kind, old, new))
        entries.append(Entry(kind, key, CHANGED if changes else UNCHANGED, changes))
    entries.extend(Entry(kind, key, ONLY_HERE) for key in sorted(set(here) - set(incoming)))
    return entries
