"""The warehouse's public write API, and the one read call plugins use.

``warehouse_read`` is the contract behind "免填、免证": a matter handler asks for catalog items
of one person for one application. It refuses — with a typed error, having read nothing — when
an item is unknown, the handler lacks a grant or the person has not consented; otherwise it
reads the values and writes the access-log entry in the same transaction, so a read without a
log entry cannot happen.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from data_warehouse.errors import MissingConsent, MissingGrant, UnknownItem, UnknownPerson
from data_warehouse.items import RESOLVERS, Subject
from data_warehouse.masking import mask_value
from data_warehouse.models import (
    AccessLog,
    Consent,
    DataItem,
    Grant,
    Person,
    StaffRecord,
    StudentRecord,
)
from data_warehouse.router import WAREHOUSE_ALIAS


@dataclass(frozen=True)
class ItemValue:
    key: str
    label: str
    value: object  # masked unless the grant allows the full value
    masked: bool
    source: str
    as_of: datetime | None
    owner_office_code: str


def _catalog_items(keys: list[str]) -> dict[str, DataItem]:
    items = {item.key: item for item in DataItem.objects.filter(key__in=keys)}
    unknown = [key for key in keys if key not in items or key not in RESOLVERS]
    if unknown:
        raise UnknownItem(unknown)
    return items


def grant_create(
    *, handler_key: str, item_key: str, purpose: str, granted_by: str, unmasked: bool = False
) -> Grant:
    """A steward grants a handler one item (re-granting replaces the active grant)."""
    item = _catalog_items([item_key])[item_key]
    with transaction.atomic(using=WAREHOUSE_ALIAS):
        Grant.objects.filter(handler_key=handler_key, item=item, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        return Grant.objects.create(
            handler_key=handler_key,
            item=item,
            purpose=purpose,
            granted_by=granted_by,
            unmasked=unmasked,
        )


def grant_revoke(*, handler_key: str, item_key: str) -> int:
    return Grant.objects.filter(
        handler_key=handler_key, item__key=item_key, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())


def consent_record(
    *, person_uid: str, handler_key: str, application_ref: str, item_keys: list[str], purpose: str
) -> Consent:
    """Store the applicant's agreement to the listed items being read for one application."""
    items = _catalog_items(item_keys)
    person = Person.objects.filter(uid=person_uid).first()
    if person is None:
        raise UnknownPerson(person_uid)
    with transaction.atomic(using=WAREHOUSE_ALIAS):
        consent = Consent.objects.create(
            person=person,
            handler_key=handler_key,
            application_ref=application_ref,
            purpose=purpose,
        )
        consent.items.set(items.values())
    return consent


def _consented_keys(
    person_uid: str, handler_key: str, application_ref: str
) -> tuple[int, set[str]]:
    """The person's id and the items they consented to, in one query on the common path."""
    rows = list(
        Consent.items.through.objects.filter(
            consent__person__uid=person_uid,
            consent__person__active=True,
            consent__handler_key=handler_key,
            consent__application_ref=application_ref,
            consent__withdrawn_at__isnull=True,
        ).values_list("consent__person_id", "dataitem__key")
    )
    if rows:
        return rows[0][0], {key for _, key in rows}
    person_id = (
        Person.objects.filter(uid=person_uid, active=True).values_list("pk", flat=True).first()
    )
    if person_id is None:
        raise UnknownPerson(person_uid)
    return person_id, set()


def warehouse_read(
    *,
    person_uid: str,
    item_keys: list[str],
    handler_key: str,
    application_ref: str,
    purpose: str,
    actor: str,
) -> dict[str, ItemValue]:
    """Read catalog items of one person for one application (see the module docstring)."""
    keys = list(dict.fromkeys(item_keys))
    with transaction.atomic(using=WAREHOUSE_ALIAS):
        # The grants carry their catalog items: one query answers both questions on the
        # common path; the catalog is consulted separately only to explain a refusal.
        grants = {
            grant.item.key: grant
            for grant in Grant.objects.filter(
                handler_key=handler_key, item__key__in=keys, revoked_at__isnull=True
            ).select_related("item")
        }
        ungranted = [key for key in keys if key not in grants]
        if ungranted:
            _catalog_items(ungranted)  # raises UnknownItem for keys not in the catalog
            raise MissingGrant(handler_key, ungranted)
        if any(key not in RESOLVERS for key in keys):
            raise UnknownItem([key for key in keys if key not in RESOLVERS])
        person_id, consented = _consented_keys(person_uid, handler_key, application_ref)
        unconsented = [key for key in keys if key not in consented]
        if unconsented:
            raise MissingConsent(person_uid, application_ref, unconsented)
        subject = Subject.load(person_id, kinds={key.split(".", 1)[0] for key in keys})
        person = subject.person
        values = {}
        for key in keys:
            resolved = RESOLVERS[key](subject)
            grant = grants[key]
            item = grant.item
            shown = mask_value(resolved.value, item.sensitivity, unmasked=grant.unmasked)
            values[key] = ItemValue(
                key=key,
                label=item.label,
                value=shown,
                masked=shown != resolved.value,
                source=resolved.source,
                as_of=resolved.as_of,
                owner_office_code=item.owner_office_code,
            )
        AccessLog.objects.create(
            actor=actor,
            handler_key=handler_key,
            person=person,
            items=keys,
            purpose=purpose,
            application_ref=application_ref,
        )
    return values


RecordModel = type[StudentRecord] | type[StaffRecord]


def record_change(
    *, model: RecordModel, person_uid: str, source: str, at: datetime | None = None, **fields
) -> StudentRecord | StaffRecord:
    """Record a new version of a person's student or staff record, keeping the old one.

    The current version is closed (``valid_to = at``) and a new one starts at ``at``; fields not
    given are carried over. Nothing is written when nothing changed, so re-importing the same
    source data adds no history.
    """
    at = at or timezone.now()
    with transaction.atomic(using=WAREHOUSE_ALIAS):
        person = Person.objects.select_for_update().filter(uid=person_uid).first()
        if person is None:
            raise UnknownPerson(person_uid)
        current = model.objects.filter(person=person, valid_to__isnull=True).first()
        if current is not None:
            carried = {
                f.attname: getattr(current, f.attname)
                for f in model._meta.concrete_fields
                if f.attname not in {"id", "person_id", "valid_from", "valid_to", "source"}
            }
            new_values = {**carried, **_attnames(model, fields)}
            if all(carried[name] == value for name, value in new_values.items()):
                return current
            current.valid_to = at
            current.save(update_fields=["valid_to"])
        else:
            new_values = _attnames(model, fields)
        return model.objects.create(person=person, valid_from=at, source=source, **new_values)


def _attnames(model: RecordModel, fields: dict[str, object]) -> dict[str, object]:
    """Foreign keys given as objects become their ``<name>_id`` values."""
    values = {}
    for name, value in fields.items():
        field = model._meta.get_field(name)
        if field.is_relation and hasattr(value, "pk"):
            values[field.attname] = value.pk
        else:
            values[field.attname] = value
    return values
