"""Environment-specific references: what the archive names that this instance may lack.

An office, a data item, a handler or a font exists on the test instance and perhaps not here.
Such a reference is never imported broken: it is listed as a problem, and a mapping (a JSON
file, or the choices on the import screen) says what it is called here:

    {"offices": {"XB": "JWC"}, "data_items": {"student.college": "student.school"},
     "handlers": {"plugins.old": "config.generic"}, "fonts": {"FangSong": "Noto Serif CJK SC"}}

Staff are people, not configuration: a step office with nobody to work in it is a warning.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from campus_portal.accounts.models import RoleAssignment
from campus_portal.accounts.roles import Role
from campus_portal.catalog.models import Office
from campus_portal.plugin_api import registry
from data_warehouse.selectors import data_items_labelled

MAPPING_KINDS = ("offices", "data_items", "handlers", "fonts")
FONT_FAMILY = re.compile(r"font-family\s*:\s*([^;}\"]+(?:\"[^\"]*\"[^;}]*)*)", re.IGNORECASE)
GENERIC_FONTS = {"serif", "sans-serif", "monospace", "cursive", "fantasy", "system-ui"}


class MappingRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Problem:
    """One reference this instance lacks; ``kind`` is a key of the mapping."""

    kind: str
    name: str
    used_by: list[str] = field(default_factory=list)
    blocking: bool = True
    message: str = ""


def mapping_parse(*, data: bytes, filename: str) -> dict[str, dict[str, str]]:
    """A mapping file's contents, or ``MappingRefused`` naming the file and the entry."""
    try:
        mapping = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as error:
        raise MappingRefused(
            _("%(file)s is not valid JSON: %(error)s") % {"file": filename, "error": error}
        ) from error
    if not isinstance(mapping, dict):
        raise MappingRefused(_("%(file)s must be a JSON object.") % {"file": filename})
    cleaned = {}
    for kind, entries in mapping.items():
        if kind not in MAPPING_KINDS:
            raise MappingRefused(
                _("%(file)s: unknown section “%(kind)s” (allowed: %(allowed)s).")
                % {"file": filename, "kind": kind, "allowed": ", ".join(MAPPING_KINDS)}
            )
        if not isinstance(entries, dict) or not all(
            isinstance(k, str) and isinstance(v, str) and v for k, v in entries.items()
        ):
            raise MappingRefused(
                _("%(file)s: “%(kind)s” must map names to names.")
                % {"file": filename, "kind": kind}
            )
        cleaned[kind] = dict(entries)
    return cleaned


def fonts_installed() -> set[str]:
    """Font families this machine has (fontconfig), which WeasyPrint can embed."""
    fc_list = shutil.which("fc-list")
    families = set(GENERIC_FONTS)
    if fc_list:
        # A fixed command, no shell, no input of the archive's.
        listing = subprocess.run(  # noqa: S603
            [fc_list, ":", "family"], capture_output=True, text=True, timeout=30, check=False
        ).stdout
        for line in listing.splitlines():
            families.update(name.strip() for name in line.split(",") if name.strip())
    return {name.lower() for name in families}


def template_fonts(source: str) -> set[str]:
    """Font families a template's CSS names."""
    fonts = set()
    for declaration in FONT_FAMILY.findall(source):
        for name in declaration.split(","):
            name = name.strip().strip("'\"").strip()
            if name and "{" not in name:
                fonts.add(name)
    return fonts


def _var_rename(value, renames: dict[str, str]):
    """A JSON-logic rule with ``data.<old>`` variables renamed."""
    if isinstance(value, dict):
        return {
            k: (
                _var_name(v, renames)
                if k == "var" and isinstance(v, str)
                else _var_rename(v, renames)
            )
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_var_rename(v, renames) for v in value]
    return value


def _var_name(name: str, renames: dict[str, str]) -> str:
    if name.startswith("data."):
        key = name.removeprefix("data.")
        return "data." + renames.get(key, key)
    return name


def _definition_map(definition: dict, offices: dict, items: dict) -> dict:
    definition = dict(definition)
    definition["data_needs"] = [items.get(k, k) for k in definition.get("data_needs", [])]
    definition["steps"] = [
        {**s, "office": offices.get(s.get("office", ""), s.get("office", ""))}
        for s in definition.get("steps", [])
    ]
    decision = dict(definition.get("decision") or {})
    if decision.get("rule"):
        decision["rule"] = _var_rename(decision["rule"], items)
    definition["decision"] = decision
    return definition


def mapping_apply(incoming: dict[str, dict], mapping: dict[str, dict[str, str]]) -> dict:
    """The archive's records with every mapped reference renamed (a new dict)."""
    offices = mapping.get("offices", {})
    items = mapping.get("data_items", {})
    handlers = mapping.get("handlers", {})
    fonts = mapping.get("fonts", {})
    office = lambda code: offices.get(code, code)  # noqa: E731
    out = {kind: dict(records) for kind, records in incoming.items()}
    # A mapped office is this instance's own: its record in the archive is not imported.
    out["offices"] = {k: v for k, v in out.get("offices", {}).items() if k not in offices}
    out["matters"] = {
        code: {**r, "office": office(r["office"]), "deciding_office": office(r["deciding_office"])}
        for code, r in out.get("matters", {}).items()
    }
    out["configurations"] = {
        code: {
            **r,
            "office": office(r["office"]),
            "draft": _definition_map(r["draft"], offices, items),
            "versions": [
                {**v, "definition": _definition_map(v["definition"], offices, items)}
                for v in r["versions"]
            ],
        }
        for code, r in out.get("configurations", {}).items()
    }
    out["bindings"] = {
        code: {**r, "handler": handlers.get(r["handler"], r["handler"])}
        for code, r in out.get("bindings", {}).items()
    }
    grants = {}
    for r in out.get("grants", {}).values():
        r = {
            **r,
            "handler": handlers.get(r["handler"], r["handler"]),
            "item": items.get(r["item"], r["item"]),
        }
        grants[f"{r['handler']}|{r['item']}"] = r
    out["grants"] = grants
    templates = {}
    for r in out.get("result_templates", {}).values():
        source = r["source"]
        for old, new in fonts.items():
            source = source.replace(old, new)
        r = {
            **r,
            "office": office(r["office"]),
            "handler": handlers.get(r["handler"], r["handler"]),
            "source": source,
        }
        templates[f"{r['office']}|{r['kind']}|{r['language']}|{r['handler']}"] = r
    out["result_templates"] = templates
    out["seals"] = {
        office(k): {**r, "office": office(r["office"])} for k, r in out.get("seals", {}).items()
    }
    return out


def _add(problems: dict, kind: str, name: str, used_by: str, **extra) -> None:
    problem = problems.setdefault((kind, name), Problem(kind=kind, name=name, **extra))
    if used_by not in problem.used_by:
        problem.used_by.append(used_by)


def problems_find(incoming: dict[str, dict]) -> list[Problem]:
    """Every reference of the (mapped) archive that neither it nor this instance provides."""
    problems: dict[tuple[str, str], Problem] = {}
    offices = set(incoming.get("offices", {})) | set(Office.objects.values_list("code", flat=True))
    items = set(data_items_labelled())
    handlers = {h.key for h in registry}
    for code, r in incoming.get("matters", {}).items():
        for ref in (r["office"], r["deciding_office"]):
            if ref and ref not in offices:
                _add(problems, "offices", ref, _("matter %(code)s") % {"code": code})
    staffed = set(
        RoleAssignment.objects.filter(role__in=[Role.OFFICE_STAFF, Role.OFFICE_HEAD]).values_list(
            "office_code", flat=True
        )
    )
    for code, r in incoming.get("configurations", {}).items():
        where = _("configuration of %(code)s") % {"code": code}
        if r["office"] not in offices:
            _add(problems, "offices", r["office"], where)
        for definition in [r["draft"], *(v["definition"] for v in r["versions"])]:
            for key in definition.get("data_needs", []):
                if key not in items:
                    _add(problems, "data_items", key, where)
            for step in definition.get("steps", []):
                ref = step.get("office")
                if ref and ref not in offices:
                    _add(problems, "offices", ref, where)
                elif ref and ref not in staffed:
                    _add(problems, "staff", ref, where, blocking=False)
    for code, r in incoming.get("bindings", {}).items():
        if r["handler"] not in handlers:
            _add(problems, "handlers", r["handler"], _("matter %(code)s") % {"code": code})
    for key, r in incoming.get("grants", {}).items():
        if r["item"] not in items:
            _add(problems, "data_items", r["item"], _("grant %(key)s") % {"key": key})
    installed = None
    for key, r in incoming.get("result_templates", {}).items():
        where = _("result template %(key)s") % {"key": key}
        if r["office"] not in offices:
            _add(problems, "offices", r["office"], where)
        fonts = template_fonts(r["source"])
        if fonts:
            installed = fonts_installed() if installed is None else installed
            for font in fonts:
                if font.lower() not in installed:
                    _add(problems, "fonts", font, where)
    for key, r in incoming.get("seals", {}).items():
        if r["office"] not in offices:
            _add(problems, "offices", r["office"], _("seal of %(office)s") % {"office": key})
    return sorted(problems.values(), key=lambda p: (not p.blocking, p.kind, p.name))


def choices_for(kind: str) -> list[tuple[str, str]]:
    """What a problem of ``kind`` may be mapped to here (the import screen's choices)."""
    if kind == "offices":
        return [(o.code, str(o)) for o in Office.objects.all()]
    if kind == "data_items":
        return [(k, f"{k}（{label}）") for k, label in sorted(data_items_labelled().items())]
    if kind == "handlers":
        return sorted((h.key, h.key) for h in registry)
    if kind == "fonts":
        return [
            (f, f)
            for f in (
                "WenQuanYi Micro Hei",
                "Noto Sans CJK SC",
                "Noto Serif CJK SC",
                "sans-serif",
                "serif",
            )
        ]
    return []
