"""Finding matters for what a user typed."""

from __future__ import annotations

from django.db.models import Count, QuerySet, Sum

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


def token_scores(tokens: QuerySet, query: str) -> dict[int, int]:
    """Id → relevance for every indexed object having all the tokens of ``query`` (or of one of
    its synonym variants): the one scoring rule of campus and provincial search.

    ``tokens`` are rows of a token index with ``matter_id``, ``token`` and ``weight``
    (``MatterSearchToken``, ``province.ProvincialMatterToken``); the relevance is the sum of
    the matched tokens' weights, the best over the variants."""
    scores: dict[int, int] = {}
    for variant in query_variants(query):
        required = query_tokens(variant)
        if not required:
            continue
        hits = (
            tokens.filter(token__in=required)
            .values("matter_id")
            .annotate(matched=Count("token"), score=Sum("weight"))
            .filter(matched=len(required))
        )
        for hit in hits:
            matter_id = hit["matter_id"]
            scores[matter_id] = max(scores.get(matter_id, 0), hit["score"])
    return scores


def matter_scores(query: str) -> dict[int, int]:
    """Matter id → relevance for every matter matching ``query`` (all its tokens present)."""
    return token_scores(MatterSearchToken.objects.all(), query)
