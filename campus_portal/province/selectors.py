"""Reading provincial matters for the catalog pages."""

from __future__ import annotations

from django.db.models import QuerySet

from campus_portal.province.models import ProvincialMatter, SyncRun
from campus_portal.province.search import provincial_scores


def provincial_current() -> QuerySet[ProvincialMatter]:
    return ProvincialMatter.objects.filter(retired=False).order_by("code")


def provincial_search(*, q: str = "", audience_name: str = "") -> list[ProvincialMatter]:
    """Current provincial matters matching the query (best first) and audience tag."""
    if q.strip():
        scores = provincial_scores(q)
        matters = sorted(
            provincial_current().filter(pk__in=scores.keys()),
            key=lambda m: (-scores[m.pk], m.code),
        )
    else:
        matters = list(provincial_current())
    if audience_name:
        matters = [m for m in matters if audience_name in m.audiences]
    return matters


def provincial_get(*, code: str) -> ProvincialMatter | None:
    """A provincial matter by code, retired ones included (old links keep resolving)."""
    return ProvincialMatter.objects.filter(code=code.strip()).first()


def sync_runs_recent(limit: int = 20) -> list[SyncRun]:
    return list(SyncRun.objects.all()[:limit])
