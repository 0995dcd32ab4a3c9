"""The warehouse's public write API, and the one read call plugins use.

``warehouse_read`` is the contract behind "免填、免证": a matter handler asks for catalog items
of one person for one application. It refuses — with a typed error, having read nothing — when
an item is unknown, the handler lacks a grant or the person has not consented; otherwise it
reads the values and writes the access-log entry in the same transaction, so a read without a
log entry cannot happen.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

from django.db import connections, models, transaction
from django.utils import timezone

from data_warehouse.errors import MissingConsent, MissingGrant, UnknownItem, UnknownPerson
from data_warehouse.items import RESOLVERS, Subject, fetch_rows
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
        _grants_revoke(Grant.objects.filter(handler_key=handler_key, item=item))
        return Grant.objects.create(
            handler_key=handler_key,
            item=item,
            purpose=purpose,
            granted_by=granted_by,
            unmasked=unmasked,
        )


def grant_revoke(*, handler_key: str, item_key: str) -> int:
    return _grants_revoke(Grant.objects.filter(handler_key=handler_key, item__key=item_key))


def _grants_revoke(grants) -> int:
    """Revoke the active ones one row at a time: each save sends ``post_save``, which the
    portal's security log listens to (a queryset ``update()`` would change grants unseen)."""
    now, count = timezone.now(), 0
    for grant in grants.filter(revoked_at__isnull=True):
        grant.revoked_at = now
        grant.save(update_fields=["revoked_at"])
        count += 1
    return count


def consent_record(
    *, person_uid: str, handler_key: str, application_ref: str, item_keys: list[str], purpose: str
) -> Consent:
    """Store the applicant's agreement to the listed items being read for one application."""
    item_ids, person_id = _consent_targets(item_keys, person_uid)
    # No savepoint when the caller already holds a transaction (the application's consent
    # does): nothing in here is caught and retried, so joining the caller's block keeps "both
    # or neither" and spares two round trips. The items go in with one INSERT (``set`` would
    # first read the consent's current items, of which a new consent has none).
    with transaction.atomic(using=WAREHOUSE_ALIAS, savepoint=False):
        consent = Consent.objects.create(
            person_id=person_id,
            handler_key=handler_key,
            application_ref=application_ref,
            purpose=purpose,
        )
        through = Consent.items.through
        through.objects.bulk_create(
            through(consent_id=consent.pk, dataitem_id=item_id) for item_id in item_ids
        )
    return consent


def _consent_targets(item_keys: list[str], person_uid: str) -> tuple[list[int], int]:
    """The catalog ids of ``item_keys`` and the person's id, in one query (the person as a
    subquery on each item row). Raises as ``_catalog_items`` does, then ``UnknownPerson``."""
    person = Person.objects.filter(uid=person_uid).values("pk")[:1]
    rows = {
        key: (item_id, pid)
        for key, item_id, pid in DataItem.objects.filter(key__in=item_keys)
        .annotate(person_pk=models.Subquery(person))
        .values_list("key", "pk", "person_pk")
    }
    unknown = [key for key in item_keys if key not in rows or key not in RESOLVERS]
    if unknown:
        raise UnknownItem(unknown)
    # With no items asked for there is no row to carry the person: ask for them directly.
    person_id = (
        next(iter(rows.values()))[1]
        if rows
        else Person.objects.filter(uid=person_uid).values_list("pk", flat=True).first()
    )
    if person_id is None:
        raise UnknownPerson(person_uid)
    return [item_id for item_id, _ in rows.values()], person_id


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


@dataclass(frozen=True)
class _Granted:
    """What a grant lets the handler see of one catalog item."""

    label: str
    sensitivity: str
    owner_office_code: str
    unmasked: bool


@lru_cache(maxsize=32)
def _authorize_sql(item_count: int) -> str:
    """The grant, catalog and consent check of a read as one statement (built once per size).

    One row per granted item of the active person, with whether they consented to it for this
    application; ``_authorize`` accepts the read only when every asked item comes back granted
    and consented, and otherwise leaves the explanation to ``_authorize_explained``.
    """
    consent, through = Consent._meta.db_table, Consent.items.through._meta.db_table
    keys = ", ".join(["%s"] * item_count)
    # Only identifiers from the models' metadata are interpolated; every value is a parameter.
    return (
        'SELECT p."id", d."key", d."label", d."sensitivity", d."owner_office_code", g."unmasked", '  # noqa: S608
        f'EXISTS (SELECT 1 FROM "{through}" ci JOIN "{consent}" c ON c."id" = ci."consent_id" '
        'WHERE ci."dataitem_id" = d."id" AND c."person_id" = p."id" AND c."handler_key" = %s '
        'AND c."application_ref" = %s AND c."withdrawn_at" IS NULL) '
        f'FROM "{Person._meta.db_table}" p '
        f'JOIN "{Grant._meta.db_table}" g ON g."handler_key" = %s AND g."revoked_at" IS NULL '
        f'JOIN "{DataItem._meta.db_table}" d ON d."id" = g."item_id" '
        f'WHERE p."uid" = %s AND p."active" AND d."key" IN ({keys})'
    )


def _authorize(
    person_uid: str, keys: list[str], handler_key: str, application_ref: str
) -> tuple[int, dict[str, _Granted]]:
    """The person's id and the grants of a permitted read; raises the typed error otherwise.

    The common case — everything granted and consented — costs one round trip; a refusal is
    explained by the slower ORM path, so the errors and their order stay as documented.
    """
    rows = fetch_rows(
        _authorize_sql(len(keys)), [handler_key, application_ref, handler_key, person_uid, *keys]
    )
    granted = {
        key: _Granted(label, sensitivity, owner, bool(unmasked))
        for _, key, label, sensitivity, owner, unmasked, consented in rows
        if consented
    }
    if rows and len(granted) == len(keys) and all(key in RESOLVERS for key in keys):
        return rows[0][0], granted
    return _authorize_explained(person_uid, keys, handler_key, application_ref)


def _authorize_explained(
    person_uid: str, keys: list[str], handler_key: str, application_ref: str
) -> tuple[int, dict[str, _Granted]]:
    """The checks one by one, raising the error that explains why a read is refused."""
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
    return person_id, {
        key: _Granted(g.item.label, g.item.sensitivity, g.item.owner_office_code, g.unmasked)
        for key, g in grants.items()
    }


@lru_cache(maxsize=1)
def _access_log_insert() -> tuple[str, tuple[models.Field, ...]]:
    """The access-log INSERT and its fields, built once: the ORM's per-call compilation of
    ``AccessLog.objects.create`` cost more than the insert itself. An insert only, so the
    log stays append-only."""
    names = (
        "actor",
        "handler_key",
        "person",
        "items",
        "purpose",
        "application_ref",
        "at",
        "kind",
        "reader_name",
        "reader_office",
        "reader_role",
        "day",
        "view_of",
    )
    fields = tuple(AccessLog._meta.get_field(name) for name in names)
    columns = ", ".join(f'"{field.column}"' for field in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f'INSERT INTO "{AccessLog._meta.db_table}" ({columns}) VALUES ({marks})'  # noqa: S608
    return sql, fields


def _log_access(**values: object) -> None:
    """Write the access-log entry of a read (inside the read's transaction)."""
    sql, fields = _access_log_insert()
    connection = connections[WAREHOUSE_ALIAS]
    params = [
        field.get_db_prep_save(values[field.attname], connection=connection) for field in fields
    ]
    fetch_rows(sql, params)


def _reader_fields(reader: Mapping[str, str] | None) -> dict[str, str]:
    reader = reader or {}
    return {
        "reader_name": str(reader.get("name", ""))[:150],
        "reader_office": str(reader.get("office", ""))[:150],
        "reader_role": str(reader.get("role", ""))[:100],
    }


def access_view_record(
    *,
    person_uid: str,
    actor: str,
    items: list[str],
    purpose: str,
    application_ref: str,
    reader: Mapping[str, str],
    on: date,
    view_of: str = "application",
) -> None:
    """Log that ``actor`` (not the person) looked at the person's data kept with an
    application — the snapshot a workbench page shows, an attachment, a window's form.

    One row per reader × application × day (``on``, the portal's local date) and per thing
    opened (``view_of``: "application" or "attachment:<id>"): a page refreshed fifty times is
    one row, the invoice downloaded too is a second, and the next day's look is another.
    Unknown persons are not logged (there is nobody to show it to).
    """
    person_id = Person.objects.filter(uid=person_uid).values_list("pk", flat=True).first()
    if person_id is None:
        return
    entry = AccessLog(
        actor=actor[:150],
        handler_key="",
        person_id=person_id,
        items=list(dict.fromkeys(items)),
        purpose=purpose[:200],
        application_ref=application_ref[:64],
        kind=AccessLog.Kind.VIEW,
        day=on,
        view_of=view_of[:100],
        **_reader_fields(reader),
    )
    # The partial unique constraint (``access_view_once_a_day``) drops the day's repeats.
    AccessLog.objects.bulk_create([entry], ignore_conflicts=True)


#: At most this many persons are logged for one steward screen (a page of a listing).
STEWARD_VIEW_LIMIT = 100


def access_steward_views_record(
    *,
    shown: Mapping[int, list[str]],
    actor: str,
    reader: Mapping[str, str],
    purpose: str,
    view_of: str,
    on: date,
) -> None:
    """Log that a steward (or administrator) saw these persons' data in an admin screen:
    ``shown`` maps each person's id to the item keys on the screen.

    Only what the screen rendered is passed in (one entry's inspect view, one page), so this
    is one bounded ``INSERT … ON CONFLICT DO NOTHING``: one row per reader × person × screen
    × day (``access_view_once_a_day`` with an empty application). The reader's own data
    (``reader["person_uid"]``) is not logged — nobody else looked at it.
    """
    own_uid = reader.get("person_uid", "")
    own_ids = set()
    if own_uid:
        own_ids = set(Person.objects.filter(uid=own_uid).values_list("pk", flat=True))
    entries = [
        AccessLog(
            actor=actor[:150],
            handler_key="",
            person_id=person_id,
            items=list(dict.fromkeys(items)),
            purpose=purpose[:200],
            application_ref="",
            kind=AccessLog.Kind.VIEW,
            day=on,
            view_of=view_of[:100],
            **_reader_fields(reader),
        )
        for person_id, items in list(shown.items())[:STEWARD_VIEW_LIMIT]
        if person_id not in own_ids
    ]
    if entries:
        AccessLog.objects.bulk_create(entries, ignore_conflicts=True)


def warehouse_read(
    *,
    person_uid: str,
    item_keys: list[str],
    handler_key: str,
    application_ref: str,
    purpose: str,
    actor: str,
    reader: Mapping[str, str] | None = None,
) -> dict[str, ItemValue]:
    """Read catalog items of one person for one application (see the module docstring).

    ``reader`` names who asked, as the person should read it on their "谁查看了我的数据"
    page — ``{"name": …, "office": …, "role": …}`` (the portal passes its own names in; the
    warehouse knows no accounts or offices).

    A permitted read is three statements in one transaction: the grant/consent check, the
    person with their current records, and the access-log insert.
    """
    keys = list(dict.fromkeys(item_keys))
    # The check reads nothing personal and writes nothing, so it runs before the transaction:
    # a refusal then leaves a caller's transaction usable, and the read-and-log block below
    # can join the caller's transaction without a savepoint (two round trips fewer).
    person_id, granted = _authorize(person_uid, keys, handler_key, application_ref)
    with transaction.atomic(using=WAREHOUSE_ALIAS, savepoint=False):
        subject = Subject.load(person_id, kinds={key.split(".", 1)[0] for key in keys})
        values = {}
        for key in keys:
            resolved = RESOLVERS[key](subject)
            item = granted[key]
            shown = mask_value(resolved.value, item.sensitivity, unmasked=item.unmasked)
            values[key] = ItemValue(
                key=key,
                label=item.label,
                value=shown,
                masked=shown != resolved.value,
                source=resolved.source,
                as_of=resolved.as_of,
                owner_office_code=item.owner_office_code,
            )
        _log_access(
            actor=actor,
            handler_key=handler_key,
            person_id=person_id,
            items=keys,
            purpose=purpose,
            application_ref=application_ref,
            at=timezone.now(),
            kind=AccessLog.Kind.READ,
            day=None,
            view_of="",
            **_reader_fields(reader),
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
