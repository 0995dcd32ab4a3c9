"""Reads of the warehouse for people and stewards (never for plugins: they use services)."""

from __future__ import annotations

from django.db.models import QuerySet

from data_warehouse.items import RESOLVERS
from data_warehouse.models import AccessLog, DataItem


def access_log_for_person(*, person_uid: str) -> QuerySet[AccessLog]:
    """谁查看了我的数据: every read of this person's data, newest first."""
    return AccessLog.objects.filter(person__uid=person_uid)


def data_items_missing(*, keys: list[str]) -> list[str]:
    """Keys that are not readable catalog items — checked when a plugin registers."""
    known = set(DataItem.objects.filter(key__in=keys).values_list("key", flat=True))
    return [key for key in keys if key not in known or key not in RESOLVERS]
