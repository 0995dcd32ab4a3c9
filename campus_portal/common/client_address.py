"""The real client address behind the university's HTTPS reverse proxy.

Why: behind a proxy every request arrives from the proxy's address, so anything counted "per
address" — failed sign-ins, the /verify/ quota, the security log — would count the whole
campus as one client, and one person could lock everybody out. The proxy names the client in
``X-Forwarded-For``; but anybody can send that header, so it is believed only when the request
comes *from* a configured trusted proxy (``TRUSTED_PROXIES``, addresses or networks).

The middleware runs first and puts the client address into ``REMOTE_ADDR``, so that every
later reader (allauth's rate limits, the audit log, the kiosk, /verify/) sees the same address
without knowing about proxies. The proxy's own address is kept in ``META["PROXY_ADDR"]``.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def _parse(address: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    address = address.strip()
    if address.startswith("[") and "]" in address:  # "[::1]:443"
        address = address[1 : address.index("]")]
    elif address.count(":") == 1:  # "10.0.0.1:443"
        address = address.split(":", 1)[0]
    try:
        return ipaddress.ip_address(address)
    except ValueError:
        return None


def _trusted(address: str, networks: Iterable[Network]) -> bool:
    parsed = _parse(address)
    return parsed is not None and any(parsed in network for network in networks)


def client_address_resolve(*, remote_addr: str, forwarded_for: str, trusted: Iterable[str]) -> str:
    """The client's address: ``remote_addr`` unless it is a trusted proxy, in which case the
    right-most ``X-Forwarded-For`` entry that is not itself a trusted proxy (proxies append, so
    entries left of the first untrusted one may be forged by the client)."""
    networks = _networks(tuple(trusted))
    if not networks or not forwarded_for or not _trusted(remote_addr, networks):
        return remote_addr
    hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _trusted(hop, networks):
            parsed = _parse(hop)
            return str(parsed) if parsed is not None else remote_addr
    # Every hop is a proxy of ours: the left-most one is the closest we know to the client.
    parsed = _parse(hops[0]) if hops else None
    return str(parsed) if parsed is not None else remote_addr


def client_address(request: HttpRequest) -> str:
    """The address counted for ``request`` (after the middleware: ``REMOTE_ADDR``)."""
    return request.META.get("REMOTE_ADDR", "") or ""


class ClientAddressMiddleware:
    """Replace ``REMOTE_ADDR`` by the client's address when a trusted proxy forwarded it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        remote = request.META.get("REMOTE_ADDR", "") or ""
        resolved = client_address_resolve(
            remote_addr=remote,
            forwarded_for=request.META.get("HTTP_X_FORWARDED_FOR", ""),
            trusted=settings.TRUSTED_PROXIES,
        )
        if resolved != remote:
            request.META["PROXY_ADDR"] = remote
            request.META["REMOTE_ADDR"] = resolved
        return self.get_response(request)
