"""Reads of the warehouse for people and stewards (never for plugins: they use services)."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q, QuerySet

from data_warehouse.items import RESOLVERS
from data_warehouse.models import AccessLog, DataItem, Grant, Person, StaffRecord, StudentRecord


def access_log_for_person(*, person_uid: str) -> QuerySet[AccessLog]:
    """谁查看了我的数据: every read of this person's data, newest first."""
    return AccessLog.objects.filter(person__uid=person_uid)


def data_items_missing(*, keys: list[str]) -> list[str]:
    """Keys that are not readable catalog items — checked when a plugin registers."""
    known = set(DataItem.objects.filter(key__in=keys).values_list("key", flat=True))
    return [key for key in keys if key not in known or key not in RESOLVERS]


def record_as_of(
    *, model: type[StudentRecord] | type[StaffRecord], person_uid: str, at: datetime
) -> StudentRecord | StaffRecord | None:
    """The version of a person's record that was valid at ``at`` (to explain old documents)."""
    return (
        model.objects.filter(person__uid=person_uid, valid_from__lte=at)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=at))
        .first()
    )


def data_item_labels(*, keys: set[str] | list[str]) -> dict[str, str]:
    """Display labels for catalog item keys (a key no longer in the catalog shows as itself)."""
    labels = dict(DataItem.objects.filter(key__in=list(keys)).values_list("key", "label"))
    return {key: labels.get(key, key) for key in keys}


def data_items_describe(*, keys: list[str]) -> list[dict[str, str]]:
    """Label, owning office and sensitivity of each key, in the given order (consent screens)."""
    items = {
        item.key: item
        for item in DataItem.objects.filter(key__in=keys).only(
            "key", "label", "owner_office_code", "sensitivity"
        )
    }
    return [
        {
            "key": key,
            "label": items[key].label if key in items else key,
            "office_code": items[key].owner_office_code if key in items else "",
            "sensitivity": items[key].get_sensitivity_display() if key in items else "",
        }
        for key in keys
    ]


def grants_active_keys(*, handler_key: str) -> set[str]:
    """Item keys ``handler_key`` holds an active grant for (a configuration's lint asks)."""
    return set(
        Grant.objects.filter(handler_key=handler_key, revoked_at__isnull=True).values_list(
            "item__key", flat=True
        )
    )


def data_items_labelled() -> dict[str, str]:
    """Every readable catalog item's label by key (the matter designer's list to pick from)."""
    labels = dict(DataItem.objects.values_list("key", "label"))
    return {key: labels[key] for key in RESOLVERS if key in labels}


def staff_member_active(*, person_uid: str, statuses: tuple[str, ...]) -> bool:
    """Whether the warehouse holds an active person with a current staff record whose
    employment status is one of ``statuses`` (the portal passes its setting in: the warehouse
    knows records, not what the portal's rules call "active").

    Named assignees (a budget holder) must pass this: a student, a retired person or a number
    nobody holds does not."""
    if not person_uid:
        return False
    return StaffRecord.objects.filter(
        person__uid=person_uid,
        person__active=True,
        valid_to__isnull=True,
        employment_status__in=list(statuses),
    ).exists()


def person_name(*, person_uid: str) -> str:
    """The person's name as the warehouse holds it ("" when unknown): how a reader is named
    on someone's "谁查看了我的数据" page when their account has no name of its own."""
    if not person_uid:
        return ""
    return Person.objects.filter(uid=person_uid).values_list("name", flat=True).first() or ""


def grants_active_describe() -> list[dict[str, object]]:
    """Every active grant by natural keys (handler key, item key): what a configuration
    archive carries (campus_portal.config_transfer), never a database id."""
    return [
        {
            "handler": handler,
            "item": item,
            "purpose": purpose,
            "unmasked": unmasked,
            "granted_by": granted_by,
        }
        for handler, item, purpose, unmasked, granted_by in Grant.objects.filter(
            revoked_at__isnull=True
        )
        .order_by("handler_key", "item__key")
        .values_list("handler_key", "item__key", "purpose", "unmasked", "granted_by")
    ]
