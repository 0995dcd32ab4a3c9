"""Writing a matter's search tokens (only live matters are in the index)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection, transaction

from campus_portal.catalog.models import MatterPage, MatterSearchToken
from campus_portal.catalog.search.tokens import weighted_tokens

# How much a match in each field counts; the name matters most.
NAME_WEIGHT = 10
SUB_ITEM_WEIGHT = 6
KEYWORD_WEIGHT = 5
OFFICE_WEIGHT = 3
OTHER_WEIGHT = 1


def _matter_fields(matter: MatterPage) -> list[tuple[str, int]]:
    return [
        (matter.matter_name, NAME_WEIGHT),
        (matter.sub_item, SUB_ITEM_WEIGHT),
        (matter.code, NAME_WEIGHT),
        (matter.search_keywords, KEYWORD_WEIGHT),
        (matter.office.name, OFFICE_WEIGHT),
        (" ".join(topic.name for topic in matter.topics.all()), OTHER_WEIGHT),
        (matter.result_name, OTHER_WEIGHT),
    ]


@transaction.atomic
def matter_index(matters: Iterable[MatterPage]) -> None:
    """Replace the tokens of ``matters``: live ones are indexed, others removed."""
    matters = list(matters)
    MatterSearchToken.objects.filter(matter__in=[m.pk for m in matters]).delete()
    rows = [
        (matter.pk, token, weight)
        for matter in matters
        if matter.live
        for token, weight in weighted_tokens(_matter_fields(matter)).items()
    ]
    # ~150 rows a matter: a plain executemany is several times faster than building model
    # instances for bulk_create, and the table has no signals or defaults to honour.
    table = connection.ops.quote_name(MatterSearchToken._meta.db_table)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} (matter_id, token, weight) VALUES (%s, %s, %s)",  # noqa: S608
            rows,
        )


def matter_unindex(matter_ids: Iterable[int]) -> None:
    MatterSearchToken.objects.filter(matter_id__in=list(matter_ids)).delete()


def catalog_reindex() -> int:
    """Rebuild the whole index (after changing how tokens are made); returns matters indexed."""
    matters = list(MatterPage.objects.live().select_related("office").prefetch_related("topics"))
    with transaction.atomic():
        MatterSearchToken.objects.all().delete()
        matter_index(matters)
    return len(matters)
