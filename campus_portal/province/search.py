"""Provincial matters in catalog search, with the catalog's own tokeniser.

Same tokens and the same "all query tokens present" rule as campus matters
(campus_portal/catalog/search/), so 户口, hukou and hk find both kinds alike.
"""

from __future__ import annotations

from collections.abc import Iterable

from campus_portal.catalog.search.query import token_scores
from campus_portal.catalog.search.tokens import weighted_tokens
from campus_portal.province.models import ProvincialMatter, ProvincialMatterToken

NAME_WEIGHT = 10
DEPARTMENT_WEIGHT = 3
OTHER_WEIGHT = 1


def _fields(matter: ProvincialMatter) -> list[tuple[str, int]]:
    return [
        (matter.name, NAME_WEIGHT),
        (matter.code, NAME_WEIGHT),
        (matter.department, DEPARTMENT_WEIGHT),
        (" ".join(matter.audiences), OTHER_WEIGHT),
    ]


def provincial_index(matters: Iterable[ProvincialMatter]) -> None:
    """Replace the tokens of ``matters``: current ones are indexed, retired ones removed."""
    matters = list(matters)
    ProvincialMatterToken.objects.filter(matter__in=[m.pk for m in matters]).delete()
    ProvincialMatterToken.objects.bulk_create(
        ProvincialMatterToken(matter=matter, token=token, weight=weight)
        for matter in matters
        if not matter.retired
        for token, weight in weighted_tokens(_fields(matter)).items()
    )


def provincial_scores(query: str) -> dict[int, int]:
    """Provincial matter id → relevance, for current matters having every query token (the
    catalog's scoring rule; retired matters have no tokens)."""
    return token_scores(ProvincialMatterToken.objects.all(), query)
