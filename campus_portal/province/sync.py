"""Applying the provincial catalog: all or nothing, never deleting.

Everything is fetched and validated first (``client.catalog_fetch``); only a complete, valid
catalog reaches the one transaction that creates, updates and retires matters. A matter that
disappeared is retired, not deleted, so old links, hand-offs and statistics still resolve.
Every attempt leaves a ``SyncRun``; the connector state counts consecutive failures.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from campus_portal.common.page_cache import page_cache_clear
from campus_portal.province.client import Catalog, ConnectorError, catalog_fetch
from campus_portal.province.contract import ContractError, Entry
from campus_portal.province.health import backoff_delay, state_get
from campus_portal.province.models import ProvincialMatter, SyncRun
from campus_portal.province.search import provincial_index


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    retired: int = 0
    unchanged: int = 0


def catalog_apply(entries: list[Entry]) -> Counts:
    """Make the provincial matters match ``entries`` (call inside a transaction)."""
    now = timezone.now()
    counts = Counts()
    existing = {m.code: m for m in ProvincialMatter.objects.select_for_update()}
    changed: list[ProvincialMatter] = []
    seen: set[str] = set()
    for entry in entries:
        if entry.code in seen:
            raise ContractError(f"item {entry.code!r} appears twice")
        seen.add(entry.code)
        matter = existing.get(entry.code)
        if matter is None:
            matter = ProvincialMatter(code=entry.code, synced_at=now, **entry.content())
            matter.save()
            counts.created += 1
            changed.append(matter)
        elif matter.content() != entry.content() or matter.retired:
            for field, value in entry.content().items():
                setattr(matter, field, value)
            matter.retired, matter.retired_at, matter.synced_at = False, None, now
            matter.save()
            counts.updated += 1
            changed.append(matter)
        else:
            counts.unchanged += 1
    gone = [m for code, m in existing.items() if code not in seen and not m.retired]
    for matter in gone:
        matter.retired, matter.retired_at = True, now
        matter.save(update_fields=["retired", "retired_at"])
        counts.retired += 1
    provincial_index([*changed, *gone])
    ProvincialMatter.objects.filter(code__in=seen).update(synced_at=now)
    return counts


def _succeed(run: SyncRun, status: str, catalog: Catalog | None) -> None:
    state = state_get()
    state.consecutive_failures = 0
    state.last_success_at = timezone.now()
    state.last_error = ""
    state.next_attempt_at = None
    if catalog is not None:
        state.etag, state.last_modified = catalog.etag, catalog.last_modified
    state.save()
    run.status, run.finished_at = status, timezone.now()
    run.save()


def _fail(run: SyncRun, error: Exception) -> None:
    state = state_get()
    state.consecutive_failures += 1
    state.last_failure_at = timezone.now()
    state.last_error = str(error)[:2000]
    state.next_attempt_at = state.last_failure_at + backoff_delay(state.consecutive_failures)
    state.save()
    run.status, run.finished_at, run.error = SyncRun.Status.FAILED, timezone.now(), str(error)
    run.save()


def province_sync(*, force: bool = False) -> SyncRun:
    """Fetch the provincial catalog and apply it; returns the recorded run.

    ``force`` ignores the stored ETag/Last-Modified (an administrator's full re-sync).
    """
    run = SyncRun.objects.create()
    state = state_get()
    try:
        catalog = catalog_fetch(
            etag="" if force else state.etag,
            last_modified="" if force else state.last_modified,
        )
        if catalog is None:
            run.requests = 1
            _succeed(run, SyncRun.Status.NOT_MODIFIED, None)
            return run
        run.requests = catalog.requests
        with transaction.atomic():
            counts = catalog_apply([e for page in catalog.pages for e in page.entries])
    except (ConnectorError, ContractError) as error:
        _fail(run, error)
        return run
    run.created, run.updated = counts.created, counts.updated
    run.retired, run.unchanged = counts.retired, counts.unchanged
    _succeed(run, SyncRun.Status.OK, catalog)
    transaction.on_commit(page_cache_clear)
    return run
