"""Reads about accounts for other parts of the platform."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from campus_portal.accounts.models import CampusIdentity, RoleAssignment

logger = logging.getLogger(__name__)

# How long an account's roles and campus identity may be served from the shared cache. Every
# change through the models (role assign/revoke, identity link, the admin) drops the entry at
# once and again at commit (``account_facts_forget``); the TTL only bounds what a change made
# past the models (a queryset ``update()``, raw SQL) could leave behind.
FACTS_TTL_SECONDS = 300


@dataclass(frozen=True)
class AccountFacts:
    """What every signed-in request asks about its user: role grants and campus identity."""

    grants: frozenset[tuple[str, str]]
    person_uid: str  # "" for none


def _facts_key(user_id: int) -> str:
    return f"accounts:facts:v1:{user_id}"


def _joined_marker(user) -> str:
    # An account id can come back (a rolled-back test, a restored database): an entry counts
    # only for the account that was created at the same instant as the one asking.
    joined = getattr(user, "date_joined", None)
    return joined.isoformat() if joined else ""


def account_facts(user) -> AccountFacts:
    """The user's grants and campus identity: once per user object (request) and, between
    requests, from the shared cache, sparing two queries on every signed-in request.

    The cache is filled only outside a transaction, from committed rows: a role added in a
    transaction that later rolls back can never be cached.
    """
    cached = getattr(user, "_campus_facts", None)
    if cached is not None:
        return cached
    key, marker = _facts_key(user.pk), _joined_marker(user)
    stored = _cache_call(cache.get, key)
    if stored is not None and stored[0] == marker:
        facts = AccountFacts(grants=frozenset(map(tuple, stored[1])), person_uid=stored[2])
    else:
        facts = _facts_load(user.pk)
        if not connections[DEFAULT_DB_ALIAS].in_atomic_block:
            entry = (marker, sorted(facts.grants), facts.person_uid)
            _cache_call(cache.set, key, entry, FACTS_TTL_SECONDS)
    user._campus_facts = facts
    return facts


def _cache_call(method, *args):
    """A cache outage costs the two queries again, never the request (as for sessions)."""
    try:
        return method(*args)
    except Exception:
        logger.warning("account facts cache unavailable", exc_info=True)
        return None


def _facts_load(user_id: int) -> AccountFacts:
    pairs = RoleAssignment.objects.filter(user_id=user_id).values_list("role", "office_code")
    uid = CampusIdentity.objects.filter(user_id=user_id).values_list("person_uid", flat=True)
    return AccountFacts(grants=frozenset(pairs), person_uid=uid.first() or "")


def account_facts_forget(user_id: int | None, user=None) -> None:
    """Drop the cached facts after a role or identity change: now, and once more when the
    change commits (a request may have cached the old rows in between)."""
    for name in ("_campus_facts", "_campus_scope"):
        if user is not None and hasattr(user, name):
            delattr(user, name)
    if user_id is None:
        return
    key = _facts_key(user_id)
    # Not swallowed: a change whose stale entry could not be dropped must not commit.
    cache.delete(key)
    transaction.on_commit(lambda: _cache_call(cache.delete, key), using=DEFAULT_DB_ALIAS)


def person_uid_for(user) -> str | None:
    """The warehouse person behind a signed-in account, or None (local accounts, anonymous)."""
    if user is None or not user.is_authenticated:
        return None
    return account_facts(user).person_uid or None
