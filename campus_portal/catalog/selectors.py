"""Reading the catalog (HackSoft style: selectors read, services write).

Everything the portal pages, the REST API and the exports show about matters comes through
here, so that "published", "high-frequency" and "matches a search" mean one thing everywhere.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet

from campus_portal.catalog.models import Audience, MatterPage, Office, Topic
from campus_portal.catalog.online import online_condition
from campus_portal.catalog.search.query import matter_scores

# Matters per page of results on the portal (the API has its own limit/offset).
RESULTS_PAGE_SIZE = 20
# Share of last year's applications the high-frequency list must cover (浙教人〔2018〕105号).
HIGH_FREQUENCY_SHARE = Decimal("0.80")


def matter_queryset() -> QuerySet[MatterPage]:
    """Published matters with what list views need, in one query plus prefetches."""
    return (
        MatterPage.objects.live()
        .select_related("office")
        .prefetch_related("audiences", "topics")
        .order_by("code")
    )


class MatterResults(Sequence[MatterPage]):
    """Matching matters in result order, loaded a slice at a time.

    A broad query (证明) matches hundreds of matters; finding and ordering them costs a few
    milliseconds, loading each as a page with its office and audiences costs far more. So the
    order is kept as ids and only the slice a page or an API response shows is loaded. Django's
    Paginator and DRF's pagination both work on it (``len`` and slicing).
    """

    def __init__(self, ids: list[int]) -> None:
        self.ids = ids

    def __len__(self) -> int:
        return len(self.ids)

    def count(self) -> int:  # type: ignore[override]  # what paginators call on querysets
        return len(self.ids)

    def __getitem__(self, index):  # type: ignore[override]
        if isinstance(index, int):
            return self[index : index + 1][0] if index >= 0 else self[len(self) + index]
        ids = self.ids[index]
        loaded = matter_queryset().in_bulk(ids)
        return [loaded[pk] for pk in ids if pk in loaded]


def matter_search(
    *,
    q: str = "",
    audience: str = "",
    office_code: str = "",
    topic: str = "",
    online: bool = False,
) -> MatterResults:
    """Published matters filtered by audience code, office code and topic slug, and searched.

    ``online`` keeps only the matters that take online applications (``catalog.online``).
    With a query, the best matches come first (then the most used); without one, the catalog
    order (matter code).
    """
    matters = _matters_filtered(
        audience=audience, office_code=office_code, topic=topic, online=online
    )
    if not q.strip():
        return MatterResults(list(matters.order_by("code").values_list("pk", flat=True)))
    scores = matter_scores(q)
    if not scores:
        return MatterResults([])
    found = matters.filter(pk__in=scores.keys()).values_list("pk", "last_year_volume", "code")
    ranked = sorted(found, key=lambda hit: (-scores[hit[0]], -hit[1], hit[2]))
    return MatterResults([pk for pk, _, _ in ranked])


def _matters_filtered(
    *, audience: str, office_code: str, topic: str, online: bool
) -> QuerySet[MatterPage]:
    matters = MatterPage.objects.live()
    if audience:
        matters = matters.filter(audiences__code=audience)
    if office_code:
        matters = matters.filter(office__code__iexact=office_code)
    if topic:
        matters = matters.filter(topics__slug=topic)
    if online:
        matters = matters.filter(online_condition())
    return matters


def matter_search_online_count(*, results: MatterResults, filters: Mapping[str, Any]) -> int:
    """How many of ``results`` (``matter_search(**filters)``) take online applications.

    One count query: over the filters alone when browsing, over the matched ids for a search
    (the scoring is not run twice).
    """
    if filters.get("online"):
        return len(results)
    if (filters.get("q") or "").strip():
        return MatterPage.objects.filter(online_condition(), pk__in=results.ids).count()
    return _matters_filtered(
        audience=filters.get("audience") or "",
        office_code=filters.get("office_code") or "",
        topic=filters.get("topic") or "",
        online=True,
    ).count()


def matter_list(**filters: str | bool) -> list[MatterPage]:
    """Every match of :func:`matter_search`, loaded (for short lists: an office, a report)."""
    return list(matter_search(**filters)[:])


def matter_get(*, code: str) -> MatterPage | None:
    """A published matter by its own code, or by the code of a power item it bundles."""
    code = code.strip().upper()
    matter = matter_queryset().filter(code__iexact=code).first()
    if matter is None:
        matter = matter_queryset().filter(power_items__code__iexact=code).first()
    return matter


@dataclass(frozen=True)
class Facet:
    value: str
    label: str
    count: int


def catalog_facets() -> dict[str, list[Facet]]:
    """Counts of published matters per audience, office and topic, for the browse sidebar."""
    live = Q(matters__live=True)
    return {
        "audiences": [
            Facet(a.code, a.name, a.n)
            for a in Audience.objects.annotate(n=Count("matters", filter=live))
            .filter(n__gt=0)
            .order_by("sort_order", "code")
        ],
        "offices": [
            Facet(o.code, o.name, o.n)
            for o in Office.objects.annotate(n=Count("matters", filter=live))
            .filter(n__gt=0)
            .order_by("code")
        ],
        "topics": [
            Facet(t.slug, t.name, t.n)
            for t in Topic.objects.annotate(n=Count("matters", filter=live))
            .filter(n__gt=0)
            .order_by("sort_order", "slug")
        ],
    }


def online_matter_ids(*, matter_ids: Sequence[int]) -> set[int]:
    """Which of ``matter_ids`` take online applications (one query, to mark a page of results)."""
    if not matter_ids:
        return set()
    return set(
        MatterPage.objects.filter(online_condition(), pk__in=list(matter_ids)).values_list(
            "pk", flat=True
        )
    )


# Query-string parameters of the catalog home (anything else is not carried into links).
BROWSE_PARAMETERS = ("q", "audience", "office", "topic", "online")


def catalog_browse_context(*, params: Mapping[str, str]) -> dict[str, object]:
    """Template context of the catalog home for the given query-string parameters."""
    filters = {
        "q": (params.get("q") or "").strip()[:100],
        "audience": (params.get("audience") or "").strip(),
        "office_code": (params.get("office") or "").strip(),
        "topic": (params.get("topic") or "").strip(),
        "online": params.get("online") == "1",
    }
    results = matter_search(**filters)
    page = Paginator(results, RESULTS_PAGE_SIZE).get_page(params.get("page"))
    kept = {key: value for key, value in params.items() if key in BROWSE_PARAMETERS and value}
    if not filters["online"]:
        kept.pop("online", None)
    return {
        "matters": page.object_list,
        "page_obj": page,
        "result_count": len(results),
        "query_string": urlencode(kept),
        "facets": catalog_facets(),
        "filters": filters,
        "is_filtered": any(filters.values()),
        "high_frequency_codes": high_frequency_codes(),
        "online_matter_ids": online_matter_ids(matter_ids=[m.pk for m in page.object_list]),
        # The online filter toggles on the current query and filters, never replacing them.
        "online_facet": {
            "count": matter_search_online_count(results=results, filters=filters),
            "active": filters["online"],
            "query_string": urlencode(
                {**kept, "online": "1"} if not filters["online"] else _without(kept, "online")
            ),
        },
    }


def _without(params: Mapping[str, str], key: str) -> dict[str, str]:
    return {name: value for name, value in params.items() if name != key}


def pareto_head(counts: Mapping[object, int], *, share: Decimal = HIGH_FREQUENCY_SHARE) -> set:
    """Keys of the high-frequency head of ``counts`` (高频事项: the first 80 % of the volume).

    The rule, exactly: a key belongs to the head when its count is positive and the keys with a
    *strictly greater* count cover less than ``share`` of the total. Equal counts are therefore
    decided together — all matters tied at the 80 % boundary are in, none is cut by the
    accident of its code — and a head that reaches exactly 80 % stops there. ``counts`` holds
    one aggregated number per matter (a few hundred), never application rows.
    """
    total = sum(counts.values())
    if total <= 0:
        return set()
    tied = Counter(counts.values())  # count → how many keys have it
    greater: dict[int, int] = {}  # count → volume of the keys with a strictly greater count
    running = 0
    for count in sorted(tied, reverse=True):
        greater[count] = running
        running += count * tied[count]
    return {key for key, count in counts.items() if count > 0 and greater[count] < share * total}


def high_frequency_codes(share: Decimal = HIGH_FREQUENCY_SHARE) -> set[str]:
    """Codes of the high-frequency matters by last year's imported volumes (see ``pareto_head``).

    The dashboard (campus_portal.dashboard.selectors) applies the same rule to the platform's
    own application counts once it has a year of them.
    """
    volumes = dict(MatterPage.objects.live().values_list("code", "last_year_volume"))
    return pareto_head(volumes, share=share)
