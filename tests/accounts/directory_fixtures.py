"""A campus directory for sign-in tests: the warehouse test LDIF plus passwords and groups.

Imported by tests/accounts/conftest.py and the browser test so both use one slapd per test
process. Each test gets a pristine directory, ACCOUNTS_LDAP pointing at it, and its own
in-memory cache: allauth counts failed sign-ins (and used TOTP codes) in the cache, and a
per-test cache keeps tests from limiting each other without clearing the file cache that
other test processes share.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from tests.data_warehouse.ldap_fixtures import (
    PEOPLE_BASE,
    CampusSlapd,
    group_add,
    password_set,
    reset_directory,
    start_slapd,
)

STUDENT = "2023010101"  # 张晓明, no groups
TEACHER = "T1001"  # 李老师, office staff of JWC through a group
WINDOW = "T1002"  # 欧阳明月, window staff through a group
PASSWORD = "Campus-pw-2023"

STAFF_GROUP = "jwc-staff"
WINDOW_GROUP = "service-hall"
UNMAPPED_GROUP = "chess-club"


def person_dn(uid: str) -> str:
    return f"uid={uid},{PEOPLE_BASE}"


def directory_load(server: CampusSlapd) -> dict[str, str]:
    """Reset the directory, set passwords, add groups; returns {group cn: DN}."""
    reset_directory(server)
    for uid in (STUDENT, TEACHER, WINDOW):
        password_set(server, person_dn(uid), PASSWORD)
    return {
        STAFF_GROUP: group_add(server, STAFF_GROUP, [person_dn(TEACHER)]),
        WINDOW_GROUP: group_add(server, WINDOW_GROUP, [person_dn(WINDOW)]),
        UNMAPPED_GROUP: group_add(server, UNMAPPED_GROUP, [person_dn(TEACHER), person_dn(STUDENT)]),
    }


def accounts_ldap(server: CampusSlapd, groups: dict[str, str], **overrides) -> dict:
    """An ACCOUNTS_LDAP setting for ``server``, as settings.py builds it from the environment."""
    from tests.data_warehouse.ldap_fixtures import GROUPS_BASE

    config = {
        "URI": server.ldap_uri,
        "BIND_DN": server.root_dn,
        "BIND_PASSWORD": server.root_pw,
        "START_TLS": False,
        "USER_BASE_DN": PEOPLE_BASE,
        "USER_FILTER": "(uid=%(user)s)",
        "GROUP_BASE_DN": GROUPS_BASE,
        "ROLE_MAP": {
            groups[STAFF_GROUP]: "office_staff:JWC",
            # Spelled differently from what slapd returns: matching must not depend on it.
            groups[WINDOW_GROUP].upper().replace(",", ", "): "window_staff",
        },
        "TIMEOUT": 3,
    }
    config.update(overrides)
    return config


@pytest.fixture(scope="session")
def sign_in_slapd() -> Iterator[CampusSlapd]:
    server = start_slapd()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def fresh_cache(settings) -> None:
    """A private in-memory cache for this test (rate limits, used TOTP codes)."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"accounts-{uuid.uuid4().hex}",
        }
    }


@pytest.fixture
def campus_directory(sign_in_slapd: CampusSlapd, settings, fresh_cache) -> dict[str, str]:
    """A pristine directory and ACCOUNTS_LDAP pointing at it; returns the group DNs."""
    groups = directory_load(sign_in_slapd)
    settings.ACCOUNTS_LDAP = accounts_ldap(sign_in_slapd, groups)
    return groups


@pytest.fixture
def directory_down(settings, fresh_cache) -> None:
    """ACCOUNTS_LDAP pointing at a port nobody listens on (the discard port)."""
    settings.ACCOUNTS_LDAP = {
        "URI": "ldap://127.0.0.1:9",
        "BIND_DN": "cn=nobody",
        "BIND_PASSWORD": "x",
        "USER_BASE_DN": PEOPLE_BASE,
        "USER_FILTER": "(uid=%(user)s)",
        "GROUP_BASE_DN": "",
        "ROLE_MAP": {},
        "TIMEOUT": 2,
    }
