"""Writing the archive's records: one function per kind, each an upsert by natural key.

Only records the diff shows as new or changed reach these functions, so an unchanged guide
gets no new revision and re-importing an archive writes nothing. Nothing is deleted: what is
here and not in the file stays (the diff lists it).
"""

from __future__ import annotations

import base64
import datetime as dt
from decimal import Decimal

from campus_portal.applications.models import HandlerBinding
from campus_portal.catalog.models import (
    Audience,
    MatterFAQ,
    MatterMaterial,
    MatterPage,
    Office,
    OfficePage,
    SearchSynonym,
    Topic,
)
from campus_portal.catalog.services import catalog_home_ensure, office_ensure
from campus_portal.config_transfer.records import MATTER_FIELDS
from campus_portal.dashboard.models import Target
from campus_portal.matter_config.services import configuration_receive
from campus_portal.queueing.models import ServiceCategory
from campus_portal.results.models import ResultTemplate
from campus_portal.results.services import office_seal_set
from campus_portal.workdays.models import CalendarOverride
from data_warehouse.services import grant_create


def _office(key: str, r: dict, user) -> None:
    office = office_ensure(code=key, name=r["name"])
    if (office.phone, office.address) != (r["phone"], r["address"]):
        office.phone, office.address = r["phone"], r["address"]
        office.save(update_fields=["phone", "address"])


def _audience(key: str, r: dict, user) -> None:
    Audience.objects.update_or_create(code=key, defaults=r)


def _topic(key: str, r: dict, user) -> None:
    Topic.objects.update_or_create(slug=key, defaults=r)


def _synonym(key: str, r: dict, user) -> None:
    SearchSynonym.objects.update_or_create(term=key, defaults=r)


def _matter(key: str, r: dict, user) -> None:
    offices = {
        o.code: o for o in Office.objects.filter(code__in=[r["office"], r["deciding_office"]])
    }
    parent = OfficePage.objects.get(office=offices[r["office"]])
    matter = MatterPage.objects.filter(code=key).first()
    new = matter is None
    if new:
        matter = MatterPage(code=key)
    elif matter.get_parent().pk != parent.pk:
        # Moving reloads the page: move first, then set the archive's values.
        matter.move(parent, pos="last-child")
        matter = MatterPage.objects.get(pk=matter.pk)
    for name in MATTER_FIELDS:
        setattr(matter, name, r[name])
    matter.office = offices[r["office"]]
    matter.deciding_office = offices.get(r["deciding_office"])
    matter.audiences.set(list(Audience.objects.filter(code__in=r["audiences"])))
    matter.topics.set(list(Topic.objects.filter(slug__in=r["topics"])))
    matter.materials = [MatterMaterial(**m) for m in r["materials"]]
    matter.faqs = [MatterFAQ(**f) for f in r["faqs"]]
    if new:
        matter.live = False
        parent.add_child(instance=matter)
    revision = matter.save_revision(user=user, log_action=True)
    if r["live"]:
        revision.publish(user=user)
    elif matter.live:
        matter.unpublish(user=user)


def _configuration(key: str, r: dict, user) -> None:
    configuration_receive(
        matter=MatterPage.objects.get(code=key),
        office_code=r["office"],
        draft=r["draft"],
        derived=r["derived"],
        derivation_notes=r["derivation_notes"],
        versions=r["versions"],
    )


def _binding(key: str, r: dict, user) -> None:
    HandlerBinding.objects.update_or_create(
        matter=MatterPage.objects.get(code=key),
        defaults={"handler_key": r["handler"], "enabled": r["enabled"]},
    )


def _grant(key: str, r: dict, user) -> None:
    grant_create(
        handler_key=r["handler"],
        item_key=r["item"],
        purpose=r["purpose"],
        granted_by=r["granted_by"],
        unmasked=r["unmasked"],
    )


def _result_template(key: str, r: dict, user) -> None:
    ResultTemplate.objects.update_or_create(
        office=Office.objects.get(code=r["office"]),
        kind=r["kind"],
        language=r["language"],
        handler_key=r["handler"],
        defaults={"source": r["source"]},
    )


def _seal(key: str, r: dict, user) -> None:
    office_seal_set(
        office=Office.objects.get(code=r["office"]), png=base64.b64decode(r["png_base64"])
    )


def _target(key: str, r: dict, user) -> None:
    Target.objects.update_or_create(
        due=dt.date.fromisoformat(r["due"]),
        scope=r["scope"],
        measure=r["measure"],
        defaults={"goal": Decimal(r["goal"]), "text": r["text"], "sort_order": r["sort_order"]},
    )


def _queue_category(key: str, r: dict, user) -> None:
    ServiceCategory.objects.update_or_create(prefix=key, defaults=r)


def _calendar_override(key: str, r: dict, user) -> None:
    CalendarOverride.objects.update_or_create(date=dt.date.fromisoformat(key), defaults=r)


WRITERS = {
    "offices": _office,
    "audiences": _audience,
    "topics": _topic,
    "synonyms": _synonym,
    "matters": _matter,
    "configurations": _configuration,
    "bindings": _binding,
    "grants": _grant,
    "result_templates": _result_template,
    "seals": _seal,
    "targets": _target,
    "queue_categories": _queue_category,
    "calendar_overrides": _calendar_override,
}


def record_write(*, kind: str, key: str, record: dict, user) -> None:
    WRITERS[kind](key, record, user)


def catalog_ready() -> None:
    """An empty instance gets the catalog home the office pages hang under."""
    catalog_home_ensure()
