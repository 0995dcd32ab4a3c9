"""Each kind of configuration as plain records keyed by natural keys.

The same functions describe the source (to write the archive) and the target (to diff the
archive against): a record that compares equal is unchanged, so re-importing an archive
writes nothing. Records name offices, matters, data items and handlers by code or key, never
by database id; secrets (signing keys, tokens, passwords) and people (staff, applicants,
applications) are not configuration and are never read here.
"""

from __future__ import annotations

import base64
import hashlib

from campus_portal.applications.models import HandlerBinding
from campus_portal.catalog.models import (
    Audience,
    MatterPage,
    Office,
    SearchSynonym,
    Topic,
)
from campus_portal.config_transfer.scope import Scope
from campus_portal.dashboard.models import Target
from campus_portal.matter_config.definition import definition_from_draft
from campus_portal.matter_config.models import MatterConfiguration
from campus_portal.queueing.models import ServiceCategory
from campus_portal.results.models import OfficeSeal, ResultTemplate
from campus_portal.workdays.models import CalendarOverride
from data_warehouse.selectors import grants_active_describe

Records = dict[str, dict]

# Kinds in the order they are applied: what a record refers to comes first.
KINDS = (
    "offices",
    "audiences",
    "topics",
    "synonyms",
    "matters",
    "configurations",
    "bindings",
    "grants",
    "result_templates",
    "seals",
    "targets",
    "queue_categories",
    "calendar_overrides",
)
# Kinds that belong to the whole instance: exported (and compared) only with everything.
GLOBAL_KINDS = frozenset({"synonyms", "targets", "queue_categories", "calendar_overrides"})

MATTER_FIELDS = (
    "title",
    "slug",
    "matter_name",
    "sub_item",
    "matter_type",
    "search_keywords",
    "basis",
    "conditions",
    "process",
    "legal_time_limit",
    "promised_time_limit",
    "visits_required",
    "online_depth",
    "channels",
    "charged",
    "fee_basis",
    "result_name",
    "delivery_modes",
    "address",
    "opening_hours",
    "phone",
    "complaint_channel",
    "redress",
    "provincial_matter_code",
    "provincial_matter_url",
    "last_year_volume",
    "special_requirements",
    "special_requirements_reason",
)


def file_name(kind: str) -> str:
    return f"{kind}.json"


def matters_in_scope(scope: Scope):
    matters = MatterPage.objects.select_related("office", "deciding_office")
    if scope.everything:
        return matters
    return matters.filter(office__code__in=scope.offices) | matters.filter(code__in=scope.matters)


def offices_in_scope(scope: Scope) -> set[str]:
    if scope.everything:
        return set(Office.objects.values_list("code", flat=True))
    return set(scope.offices) | set(matters_in_scope(scope).values_list("office__code", flat=True))


def _offices(scope: Scope) -> Records:
    return {
        o.code: {"name": o.name, "phone": o.phone, "address": o.address}
        for o in Office.objects.filter(code__in=offices_in_scope(scope))
    }


def _audiences(scope: Scope) -> Records:
    return {a.code: {"name": a.name, "sort_order": a.sort_order} for a in Audience.objects.all()}


def _topics(scope: Scope) -> Records:
    return {
        t.slug: {"name": t.name, "keywords": t.keywords, "sort_order": t.sort_order}
        for t in Topic.objects.all()
    }


def _synonyms(scope: Scope) -> Records:
    return {s.term: {"canonical": s.canonical} for s in SearchSynonym.objects.all()}


def _matter(matter: MatterPage) -> dict:
    record = {name: getattr(matter, name) for name in MATTER_FIELDS}
    record["channels"] = list(matter.channels or [])
    record["delivery_modes"] = list(matter.delivery_modes or [])
    record["office"] = matter.office.code
    record["deciding_office"] = matter.deciding_office.code if matter.deciding_office else ""
    record["live"] = matter.live
    record["audiences"] = sorted(a.code for a in matter.audiences.all())
    record["topics"] = sorted(t.slug for t in matter.topics.all())
    record["materials"] = [
        {"name": m.name, "form": m.form, "copies": m.copies, "source": m.source, "notes": m.notes}
        for m in matter.materials.all()
    ]
    record["faqs"] = [{"question": f.question, "answer": f.answer} for f in matter.faqs.all()]
    return record


def _matters(scope: Scope) -> Records:
    matters = matters_in_scope(scope).prefetch_related("audiences", "topics", "materials", "faqs")
    return {m.code: _matter(m) for m in matters.order_by("code")}


def _configurations(scope: Scope) -> Records:
    codes = set(matters_in_scope(scope).values_list("code", flat=True))
    records = {}
    for configuration in (
        MatterConfiguration.objects.filter(matter__code__in=codes)
        .select_related("matter")
        .prefetch_related("versions")
    ):
        records[configuration.matter.code] = {
            "office": configuration.office_code,
            "draft": definition_from_draft(configuration),
            "derived": configuration.derived,
            "derivation_notes": configuration.derivation_notes,
            "versions": [
                {"number": v.number, "definition": v.definition, "published_by": v.published_by}
                for v in sorted(configuration.versions.all(), key=lambda v: v.number)
            ],
        }
    return records


def _bindings(scope: Scope) -> Records:
    codes = set(matters_in_scope(scope).values_list("code", flat=True))
    return {
        b.matter.code: {"handler": b.handler_key, "enabled": b.enabled}
        for b in HandlerBinding.objects.filter(matter__code__in=codes).select_related("matter")
    }


def grant_key(handler: str, item: str) -> str:
    return f"{handler}|{item}"


def _grants(scope: Scope) -> Records:
    # Grants are the handlers'; a scoped export carries those of the handlers its matters use.
    handlers = None
    if not scope.everything:
        handlers = {binding["handler"] for binding in _bindings(scope).values()}
    return {
        grant_key(g["handler"], g["item"]): dict(g)
        for g in grants_active_describe()
        if handlers is None or g["handler"] in handlers
    }


def template_key(office: str, kind: str, language: str, handler: str) -> str:
    return f"{office}|{kind}|{language}|{handler}"


def _result_templates(scope: Scope) -> Records:
    offices = offices_in_scope(scope)
    return {
        template_key(t.office.code, t.kind, t.language, t.handler_key): {
            "office": t.office.code,
            "kind": t.kind,
            "language": t.language,
            "handler": t.handler_key,
            "source": t.source,
        }
        for t in ResultTemplate.objects.filter(office__code__in=offices).select_related("office")
    }


def seal_png(seal: OfficeSeal) -> bytes:
    with seal.image.open("rb") as image:
        return image.read()


def _seals(scope: Scope) -> Records:
    records = {}
    for seal in OfficeSeal.objects.filter(office__code__in=offices_in_scope(scope)).select_related(
        "office"
    ):
        try:
            png = seal_png(seal)
        except (OSError, ValueError):
            continue  # its file is gone on this instance: nothing to carry
        records[seal.office.code] = {
            "office": seal.office.code,
            "sha256": hashlib.sha256(png).hexdigest(),
            "png_base64": base64.b64encode(png).decode("ascii"),
        }
    return records


def target_key(due: str, scope: str, measure: str) -> str:
    return f"{due}|{scope}|{measure}"


def _targets(scope: Scope) -> Records:
    return {
        target_key(t.due.isoformat(), t.scope, t.measure): {
            "due": t.due.isoformat(),
            "scope": t.scope,
            "measure": t.measure,
            "goal": f"{t.goal:.4f}",
            "text": t.text,
            "sort_order": t.sort_order,
        }
        for t in Target.objects.all()
    }


def _queue_categories(scope: Scope) -> Records:
    return {
        c.prefix: {
            "name": c.name,
            "description": c.description,
            "default_service_minutes": c.default_service_minutes,
            "active": c.active,
            "position": c.position,
        }
        for c in ServiceCategory.objects.all()
    }


def _calendar_overrides(scope: Scope) -> Records:
    return {
        o.date.isoformat(): {"is_working_day": o.is_working_day, "note": o.note}
        for o in CalendarOverride.objects.all()
    }


READERS = {
    "offices": _offices,
    "audiences": _audiences,
    "topics": _topics,
    "synonyms": _synonyms,
    "matters": _matters,
    "configurations": _configurations,
    "bindings": _bindings,
    "grants": _grants,
    "result_templates": _result_templates,
    "seals": _seals,
    "targets": _targets,
    "queue_categories": _queue_categories,
    "calendar_overrides": _calendar_overrides,
}


def records_read(*, scope: Scope) -> dict[str, Records]:
    """Every kind's records on this instance within ``scope``."""
    return {
        kind: READERS[kind](scope) for kind in KINDS if scope.everything or kind not in GLOBAL_KINDS
    }
