"""Finding matters for what a user typed."""

from __future__ import annotations

from django.db.models import Count, Sum

from campus_portal.catalog.models import MatterSearchToken, SearchSynonym
from campus_portal.catalog.search.tokens import normalise, query_tokens

MAX_QUERY_LENGTH = 100


def query_variants(query: str) -> list[str]:
    """The query as typed plus one variant per synonym it contains (在学证明 → 在读证明)."""
    query = normalise(query)[:MAX_QUERY_LENGTH]
    variants = [query]
    for term, canonical in SearchSynonym.objects.values_list("term", "canonical"):
        term = normalise(term)
        if term and term in query:
            variants.append(query.replace(term, normalise(canonical)))
    return variants


def matter_scores(query: str) -> dict[int, int]:
    """Matter id → relevance for every matter matching ``query`` (all its tokens present)."""
    scores: dict[int, int] = {}
    for variant in query_variants(query):
        required = query_tokens(variant)
        if not required:
            continue
        hits = (
            MatterSearchToken.objects.filter(token__in=required)
            .values("matter_id")
            .annotate(matched=Count("token"), score=Sum("weight"))
            .filter(matched=len(required))
        )
        for hit in hits:
            matter_id = hit["matter_id"]
            scores[matter_id] = max(scores.get(matter_id, 0), hit["score"])
    return scores
