"""The address a request came from, for per-client limits and consent records.

By default only `REMOTE_ADDR` counts: `X-Forwarded-For` is written by the client, so trusting it would let
anyone pick a fresh address for every request. Behind a reverse proxy every request has the proxy's
address, and the per-client limits would then apply to everybody together; `TRUSTED_PROXIES` (addresses
or networks of the proxies in front of the app) makes the app read `X-Forwarded-For` from the right,
skipping the trusted proxies' own entries, so the address taken is the one the outermost trusted proxy
saw. Entries to the left of it are whatever the client claimed and are never used.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    try:
        return tuple(ipaddress.ip_network(proxy.strip(), strict=False) for proxy in proxies if proxy.strip())
    except ValueError as exc:
        raise ImproperlyConfigured(f"TRUSTED_PROXIES holds something that is not an address or network: {exc}") from None


def _trusted(address: str, networks) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def from_trusted_proxy(request: HttpRequest) -> bool:
    """Whether the request's immediate peer is one of TRUSTED_PROXIES, whose forwarding headers we believe."""
    remote = request.META.get("REMOTE_ADDR") or ""
    networks = _networks(tuple(settings.TRUSTED_PROXIES))
    return bool(networks) and _trusted(remote, networks)


def client_ip(request: HttpRequest) -> str | None:
    """REMOTE_ADDR, or behind trusted proxies the nearest address in X-Forwarded-For that is not one of them."""
    remote = request.META.get("REMOTE_ADDR") or None
    if remote is None or not from_trusted_proxy(request):
        return remote
    networks = _networks(tuple(settings.TRUSTED_PROXIES))
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    for hop in reversed(hops):
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            return remote  # a garbled header from our own proxy chain: keep the proxy's address, never a guess
        if not _trusted(hop, networks):
            return hop
    return remote
