"""Synchronise persons and org units from the campus directory (LDAP) into the warehouse.

The directory is the system of record for *who exists*: a person or unit found there is created
or updated here, one that disappeared is retired (``active=False``) — never deleted, because
records, grants and consents elsewhere still refer to it.

Configuration is the Django setting ``WAREHOUSE_LDAP``, a dict (every key optional except
``URI``, ``PEOPLE_BASE_DN`` and ``UNITS_BASE_DN``)::

    WAREHOUSE_LDAP = {
        "URI": "ldaps://ldap.example.edu",       # one or more URIs, space separated
        "BIND_DN": "cn=warehouse,ou=apps,dc=example,dc=edu",  # empty: anonymous bind
        "BIND_PASSWORD": "...",
        "START_TLS": False,                      # StartTLS on an ldap:// connection
        "PEOPLE_BASE_DN": "ou=people,dc=example,dc=edu",
        "PEOPLE_FILTER": "(objectClass=inetOrgPerson)",
        "UNITS_BASE_DN": "ou=units,dc=example,dc=edu",
        "UNITS_FILTER": "(objectClass=organizationalUnit)",
        "PAGE_SIZE": 500,                        # RFC 2696 paged results
        "TIMEOUT": 10,                           # seconds, for connecting and for each page
        "ATTRIBUTES": {                          # merged over DEFAULT_ATTRIBUTES
            "uid": "uid",
            "name": ["displayName", "cn"],       # a list: the first attribute present wins
            "email": "mail",
            "gender": "gender",                  # None switches a field's sync off
            "id_card_number": "employeeNumber",
            "unit_code": "ou",
            "unit_name": ["description", "ou"],
            "unit_kind": "businessCategory",
        },
    }

Field semantics:

* ``uid`` and ``name`` are required: an entry without them is skipped and reported, never
  guessed. So are entries with undecodable or over-long values, and duplicate uids / unit codes.
* ``email`` is authoritative: an entry without ``mail`` clears the stored address.
* ``gender``, ``id_card_number`` and ``unit_kind`` are optional: many directories do not carry
  them, and other sources may have filled them in, so an entry *without* the attribute leaves
  the stored value alone (a new row gets ``unknown`` / empty / ``other``). Gender values such as
  ``male``/``m``/``男``/``1`` and ``female``/``f``/``女``/``2`` are understood.
* A unit's parent is the unit whose DN is its DN's parent; the units base entry itself is a
  container, not a unit.

Safety: everything is read from the directory first; only when both searches completed (every
page fetched) is anything written, in one ``transaction.atomic(using="warehouse")``. A refused
bind, an unreachable server or an error on any page raises ``LdapSyncError`` with nothing
changed, so a transient outage can never retire half the campus. For the same reason a search
that returns nothing at all while active rows exist is refused (a wrong base DN or filter looks
exactly like "everybody left").
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import ldap
import ldap.dn
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone
from ldap.controls import SimplePagedResultsControl

from data_warehouse.models import OrgUnit, Person
from data_warehouse.router import WAREHOUSE_ALIAS

logger = logging.getLogger(__name__)
LDAP_SOURCE = "ldap"  # rows this sync owns (and may retire)

DEFAULT_ATTRIBUTES: dict[str, str | list[str] | None] = {
    "uid": "uid",
    "name": ["displayName", "cn"],
    "email": "mail",
    "gender": "gender",
    "id_card_number": "employeeNumber",
    "unit_code": "ou",
    "unit_name": ["description", "ou"],
    "unit_kind": "businessCategory",
}

_GENDERS = {
    "male": Person.Gender.MALE,
    "m": Person.Gender.MALE,
    "男": Person.Gender.MALE,
    "1": Person.Gender.MALE,
    "female": Person.Gender.FEMALE,
    "f": Person.Gender.FEMALE,
    "女": Person.Gender.FEMALE,
    "2": Person.Gender.FEMALE,
}

# Bulk inserts go in batches so that SQLite's limit on query parameters is never reached.
_BATCH = 500


class LdapSyncError(Exception):
    """The directory could not be read completely (unreachable, bind refused, search failed).

    Nothing was changed in the warehouse; retrying later is safe.
    """


@dataclass(frozen=True)
class LdapSettings:
    """Where and how to read the directory; see the module docstring for the keys."""

    uri: str
    people_base_dn: str
    units_base_dn: str
    bind_dn: str = ""
    bind_password: str = ""
    start_tls: bool = False
    people_filter: str = "(objectClass=inetOrgPerson)"
    units_filter: str = "(objectClass=organizationalUnit)"
    page_size: int = 500
    timeout: float = 10.0
    attributes: Mapping[str, str | list[str] | None] = field(
        default_factory=lambda: dict(DEFAULT_ATTRIBUTES)
    )

    @classmethod
    def from_django(cls) -> LdapSettings:
        """Build from ``settings.WAREHOUSE_LDAP``; a missing required key is a setup error."""
        conf: dict[str, Any] = getattr(django_settings, "WAREHOUSE_LDAP", {}) or {}
        missing = [k for k in ("URI", "PEOPLE_BASE_DN", "UNITS_BASE_DN") if not conf.get(k)]
        if missing:
            raise ImproperlyConfigured(f"WAREHOUSE_LDAP lacks {', '.join(missing)}.")
        return cls(
            uri=conf["URI"],
            people_base_dn=conf["PEOPLE_BASE_DN"],
            units_base_dn=conf["UNITS_BASE_DN"],
            bind_dn=conf.get("BIND_DN", ""),
            bind_password=conf.get("BIND_PASSWORD", ""),
            start_tls=bool(conf.get("START_TLS", False)),
            people_filter=conf.get("PEOPLE_FILTER", cls.people_filter),
            units_filter=conf.get("UNITS_FILTER", cls.units_filter),
            page_size=int(conf.get("PAGE_SIZE", cls.page_size)),
            timeout=float(conf.get("TIMEOUT", cls.timeout)),
            attributes={**DEFAULT_ATTRIBUTES, **conf.get("ATTRIBUTES", {})},
        )


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    retired: int = 0
    unchanged: int = 0
    skipped: int = 0


@dataclass(frozen=True)
class SkippedEntry:
    dn: str
    reason: str


@dataclass
class SyncReport:
    """What one run did; ``writes`` is 0 when the directory had not changed."""

    people: Counts = field(default_factory=Counts)
    units: Counts = field(default_factory=Counts)
    skipped: list[SkippedEntry] = field(default_factory=list)

    @property
    def writes(self) -> int:
        return sum(c.created + c.updated + c.retired for c in (self.people, self.units))

    def as_dict(self) -> dict[str, Any]:
        """JSON-friendly form (Celery results, logs)."""
        return dataclasses.asdict(self)


# --- Reading the directory ---------------------------------------------------------------------


Entry = tuple[str, dict[str, list[bytes]]]


def _connect(conf: LdapSettings) -> ldap.ldapobject.LDAPObject:
    """Open and bind; every failure becomes ``LdapSyncError`` (retryable, nothing written)."""
    try:
        conn = ldap.initialize(conf.uri)
        conn.set_option(ldap.OPT_PROTOCOL_VERSION, ldap.VERSION3)
        # Referrals would be chased with an anonymous bind, returning partial data silently.
        conn.set_option(ldap.OPT_REFERRALS, 0)
        conn.set_option(ldap.OPT_NETWORK_TIMEOUT, conf.timeout)
        conn.set_option(ldap.OPT_TIMEOUT, conf.timeout)
        if conf.start_tls:
            conn.start_tls_s()
        conn.simple_bind_s(conf.bind_dn, conf.bind_password)
    except ldap.INVALID_CREDENTIALS as exc:
        raise LdapSyncError(f"The directory refused the bind as {conf.bind_dn!r}.") from exc
    except ldap.LDAPError as exc:
        raise LdapSyncError(f"Cannot reach the directory at {conf.uri}: {_describe(exc)}") from exc
    return conn


def _describe(exc: ldap.LDAPError) -> str:
    info = exc.args[0] if exc.args and isinstance(exc.args[0], dict) else {}
    return str(info.get("desc") or exc.__class__.__name__) + (
        f" ({info['info']})" if info.get("info") else ""
    )


def _paged_search(
    conn: ldap.ldapobject.LDAPObject,
    conf: LdapSettings,
    base: str,
    filterstr: str,
    attrlist: list[str],
) -> Iterator[Entry]:
    """Yield every entry, page by page; raise unless the last page was reached.

    The control is critical: a server that cannot page must refuse, rather than silently
    return only its size limit's worth of entries (which would retire everybody else).
    """
    control = SimplePagedResultsControl(criticality=True, size=conf.page_size, cookie=b"")
    try:
        while True:
            msgid = conn.search_ext(
                base, ldap.SCOPE_SUBTREE, filterstr, attrlist, serverctrls=[control]
            )
            _type, data, _msgid, controls = conn.result3(msgid, timeout=conf.timeout)
            for dn, attrs in data:
                if dn is not None:  # None: a search continuation reference, not an entry
                    yield dn, attrs
            page = [c for c in controls if c.controlType == SimplePagedResultsControl.controlType]
            if not page:
                raise LdapSyncError(f"The directory ignored paging while searching {base}.")
            if not page[0].cookie:
                return
            control.cookie = page[0].cookie
    except ldap.LDAPError as exc:
        raise LdapSyncError(f"Searching {base} failed: {_describe(exc)}") from exc


def _attr_names(conf: LdapSettings, keys: Sequence[str]) -> list[str]:
    names: list[str] = []
    for key in keys:
        names.extend(_as_list(conf.attributes.get(key)))
    return sorted(set(names))


def _as_list(value: str | list[str] | None) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def _first(attrs: dict[str, list[bytes]], names: str | list[str] | None) -> str | None:
    """First value of the first attribute present (attribute names are case-insensitive)."""
    lowered = {k.lower(): v for k, v in attrs.items()}
    for name in _as_list(names):
        values = lowered.get(name.lower())
        if values:
            text = values[0].decode("utf-8").strip()  # UnicodeDecodeError: caller skips
            if text:
                return text
    return None


def _norm_dn(dn: str) -> str:
    """Comparable form of a DN (case and spacing of ``a=b, c=d`` do not matter)."""
    return ldap.dn.dn2str(ldap.dn.str2dn(dn)).lower()


def _parent_dn(dn: str) -> str:
    return _norm_dn(ldap.dn.dn2str(ldap.dn.str2dn(dn)[1:]))


def _read_directory(conf: LdapSettings) -> tuple[list[Entry], list[Entry]]:
    conn = _connect(conf)
    try:
        units = list(
            _paged_search(
                conn,
                conf,
                conf.units_base_dn,
                conf.units_filter,
                _attr_names(conf, ["unit_code", "unit_name", "unit_kind"]),
            )
        )
        people = list(
            _paged_search(
                conn,
                conf,
                conf.people_base_dn,
                conf.people_filter,
                _attr_names(conf, ["uid", "name", "email", "gender", "id_card_number"]),
            )
        )
    finally:
        try:
            conn.unbind_s()
        except ldap.LDAPError:
            logger.debug("LDAP unbind failed", exc_info=True)
    return units, people


# --- Turning entries into field values ---------------------------------------------------------


def _limit(value: str | None, model: type, name: str) -> str | None:
    max_length = model._meta.get_field(name).max_length
    if value is not None and max_length and len(value) > max_length:
        raise ValueError(f"{name} longer than {max_length} characters")
    return value


def _person_values(conf: LdapSettings, attrs: dict[str, list[bytes]]) -> dict[str, str]:
    """Field values for one entry; ``ValueError`` (incl. bad UTF-8) means skip it."""
    amap = conf.attributes
    uid = _limit(_first(attrs, amap.get("uid")), Person, "uid")
    if not uid:
        raise ValueError(f"no {'/'.join(_as_list(amap.get('uid')))} attribute")
    name = _limit(_first(attrs, amap.get("name")), Person, "name")
    if not name:
        raise ValueError("no name attribute")
    values = {"uid": uid, "name": name}
    if amap.get("email"):
        values["email"] = _limit(_first(attrs, amap["email"]), Person, "email") or ""
    if amap.get("gender"):
        gender = _first(attrs, amap["gender"])
        if gender is not None:
            values["gender"] = _GENDERS.get(gender.lower(), Person.Gender.UNKNOWN)
    if amap.get("id_card_number"):
        id_card = _limit(_first(attrs, amap["id_card_number"]), Person, "id_card_number")
        if id_card is not None:
            values["id_card_number"] = id_card
    return values


def _unit_values(conf: LdapSettings, attrs: dict[str, list[bytes]]) -> dict[str, str]:
    amap = conf.attributes
    code = _limit(_first(attrs, amap.get("unit_code")), OrgUnit, "code")
    if not code:
        raise ValueError("no unit code attribute")
    name = _limit(_first(attrs, amap.get("unit_name")), OrgUnit, "name") or code
    values = {"code": code, "name": name}
    if amap.get("unit_kind"):
        kind = _first(attrs, amap["unit_kind"])
        if kind is not None:
            kind = kind.lower()
            values["kind"] = kind if kind in OrgUnit.Kind.values else OrgUnit.Kind.OTHER
    return values


# --- Writing -----------------------------------------------------------------------------------


def _skip(report: SyncReport, counts: Counts, dn: str, reason: str) -> None:
    counts.skipped += 1
    report.skipped.append(SkippedEntry(dn=dn, reason=reason))
    logger.warning("LDAP sync skipped %s: %s", dn, reason)


def _sync_units(conf: LdapSettings, entries: list[Entry], report: SyncReport) -> None:
    counts = report.units
    base = _norm_dn(conf.units_base_dn)
    parsed: list[tuple[str, dict[str, str]]] = []
    seen_codes: set[str] = set()
    for dn, attrs in entries:
        if _norm_dn(dn) == base:
            continue  # the container of the tree, not a unit
        try:
            values = _unit_values(conf, attrs)
        except ValueError as exc:
            _skip(report, counts, dn, str(exc))
            continue
        if values["code"] in seen_codes:
            _skip(report, counts, dn, f"duplicate unit code {values['code']!r}")
            continue
        seen_codes.add(values["code"])
        parsed.append((dn, values))

    existing = {u.code: u for u in OrgUnit.objects.select_for_update()}
    _refuse_empty("org units", seen_codes, existing)
    by_dn: dict[str, OrgUnit] = {}
    # Parents before children: a DN with fewer RDNs is never below one with more.
    for dn, values in sorted(parsed, key=lambda item: len(ldap.dn.str2dn(item[0]))):
        parent = by_dn.get(_parent_dn(dn))
        unit = existing.get(values["code"])
        if unit is None:
            unit = OrgUnit(**{"kind": OrgUnit.Kind.OTHER, **values, "source": LDAP_SOURCE})
            unit.parent = parent
            unit.save()
            counts.created += 1
        else:
            wanted = {
                **values,
                "parent_id": parent.pk if parent else None,
                "active": True,
                "source": LDAP_SOURCE,
            }
            changed = [k for k, v in wanted.items() if getattr(unit, k) != v]
            if changed:
                for k in changed:
                    setattr(unit, k, wanted[k])
                unit.save(update_fields=[k.removesuffix("_id") for k in changed])
                counts.updated += 1
            else:
                counts.unchanged += 1
        by_dn[_norm_dn(dn)] = unit

    gone = [
        u.pk
        for code, u in existing.items()
        if u.active and u.source == LDAP_SOURCE and code not in seen_codes
    ]
    for start in range(0, len(gone), _BATCH):
        OrgUnit.objects.filter(pk__in=gone[start : start + _BATCH]).update(active=False)
    counts.retired = len(gone)


def _sync_people(conf: LdapSettings, entries: list[Entry], report: SyncReport) -> None:
    counts = report.people
    existing = {p.uid: p for p in Person.objects.select_for_update()}
    seen: set[str] = set()
    new: list[Person] = []
    for dn, attrs in entries:
        try:
            values = _person_values(conf, attrs)
        except ValueError as exc:  # UnicodeDecodeError is a ValueError too
            _skip(report, counts, dn, str(exc))
            continue
        uid = values["uid"]
        if uid in seen:
            _skip(report, counts, dn, f"duplicate uid {uid!r}")
            continue
        seen.add(uid)
        person = existing.get(uid)
        if person is None:
            new.append(Person(**values, source=LDAP_SOURCE))
            continue
        wanted = {**values, "active": True, "source": LDAP_SOURCE}
        changed = [k for k, v in wanted.items() if getattr(person, k) != v]
        if changed:
            for k in changed:
                setattr(person, k, wanted[k])
            person.save(update_fields=[*changed, "updated_at"])
            counts.updated += 1
        else:
            counts.unchanged += 1

    _refuse_empty("people", seen, existing)
    Person.objects.bulk_create(new, batch_size=_BATCH)
    counts.created = len(new)

    gone = [
        p.pk
        for uid, p in existing.items()
        if p.active and p.source == LDAP_SOURCE and uid not in seen
    ]
    now = timezone.now()
    for start in range(0, len(gone), _BATCH):
        Person.objects.filter(pk__in=gone[start : start + _BATCH]).update(
            active=False, updated_at=now
        )
    counts.retired = len(gone)


def _refuse_empty(kind: str, seen: set[str], existing: Mapping[str, Any]) -> None:
    """A usable directory never has zero people or units: assume misconfiguration instead."""
    if not seen and any(row.active and row.source == LDAP_SOURCE for row in existing.values()):
        raise LdapSyncError(
            f"The directory returned no usable {kind}; refusing to retire them all "
            "(check the base DN, filter and attribute mapping)."
        )


def ldap_sync(*, settings: LdapSettings | None = None) -> SyncReport:
    """Read the whole directory, then apply it to the warehouse in one transaction.

    Raises ``LdapSyncError`` (nothing changed) when the directory cannot be read completely,
    ``ImproperlyConfigured`` when ``WAREHOUSE_LDAP`` is incomplete.
    """
    conf = settings or LdapSettings.from_django()
    unit_entries, people_entries = _read_directory(conf)
    report = SyncReport()
    with transaction.atomic(using=WAREHOUSE_ALIAS):
        _sync_units(conf, unit_entries, report)
        _sync_people(conf, people_entries, report)
    logger.info("LDAP sync done: %s", report.as_dict())
    return report
