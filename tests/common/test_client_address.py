"""The client address: X-Forwarded-For only from a trusted proxy (TRUSTED_PROXIES)."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from campus_portal.common.client_address import client_address_resolve

TRUSTED = ["10.0.0.5", "10.8.0.0/16"]


@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        ("203.0.113.7", "", "203.0.113.7"),  # no proxy
        ("203.0.113.7", "1.2.3.4", "203.0.113.7"),  # forged by a client: ignored
        ("10.0.0.5", "198.51.100.20", "198.51.100.20"),  # through our proxy
        # The client may prepend anything; the proxy appends the address it saw.
        ("10.0.0.5", "1.2.3.4, 198.51.100.20", "198.51.100.20"),
        # Two of our proxies in a row (network entry).
        ("10.0.0.5", "198.51.100.20, 10.8.3.4", "198.51.100.20"),
        ("10.0.0.5", "not-an-address", "10.0.0.5"),
        ("10.0.0.5", "[2001:db8::1]:443", "2001:db8::1"),
    ],
)
def test_resolve(remote, forwarded, expected):
    assert (
        client_address_resolve(remote_addr=remote, forwarded_for=forwarded, trusted=TRUSTED)
        == expected
    )


def test_no_trusted_proxy_configured_means_the_peer_is_the_client():
    assert (
        client_address_resolve(remote_addr="10.0.0.5", forwarded_for="1.2.3.4", trusted=[])
        == "10.0.0.5"
    )


@pytest.mark.django_db
def test_the_verify_quota_is_per_client_behind_the_proxy(settings):
    """/verify/'s quota of unknown numbers counts the real client, not the proxy."""
    settings.TRUSTED_PROXIES = ["10.0.0.5"]
    settings.RESULTS_VERIFY_RATE_LIMIT = "3/600"
    cache.clear()
    proxy = Client(REMOTE_ADDR="10.0.0.5")
    for index in range(4):
        last = proxy.get(f"/verify/NO-SUCH-{index}/", HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert last.status_code == 429
    other = proxy.get("/verify/NO-SUCH-X/", HTTP_X_FORWARDED_FOR="198.51.100.20")
    assert other.status_code == 404
