"""Fetching a feed URL that an editor typed, without letting it reach inside our network.

Every hop (the URL and each redirect, at most MAX_REDIRECTS) is resolved once with getaddrinfo; if any
resolved address is not a public one (loopback, private, link-local, multicast, reserved, unspecified,
or such an address embedded in IPv6), the fetch is refused before any connection. The connection then
goes to the vetted address itself, with the name only in the Host header and TLS SNI/certificate check,
so a DNS answer that changes between check and connect (rebinding) cannot redirect it.
FEED_FETCH_TIMEOUT bounds the whole fetch (resolution, connects, redirects, headers and body) and
FEED_FETCH_MAX_BYTES bounds the body. Only http and https on ports 80 and 443 are fetched;
FEED_FETCH_ALLOWED_HOSTS lists intranet hosts or networks that are allowed although private, on any port.

Errors carry neutral text for the editor: never the server's answer, banner or a resolved address, so
the feed form cannot be used to read internal services or to tell open ports from closed ones.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import threading
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.utils.translation import gettext, gettext_lazy

MAX_REDIRECTS = 5
_REDIRECTS = {301, 302, 303, 307, 308}
_CHUNK = 64 * 1024
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_WEB_PORTS = {80, 443}


class FeedFetchError(Exception):
    """A fetch that did not produce a document; str() is the neutral text shown to editors."""

    message = gettext_lazy("The feed could not be fetched.")

    def __init__(self, message: str = ""):
        super().__init__(message or str(self.message))


class FeedAddressNotAllowed(FeedFetchError):
    message = gettext_lazy("The feed could not be fetched: its address is not allowed.")


class FeedTooSlow(FeedFetchError):
    message = gettext_lazy("The feed could not be fetched: it took too long.")


class FeedTooLarge(FeedFetchError):
    message = gettext_lazy("The feed could not be fetched: it is too large.")


class FeedUnreachable(FeedFetchError):
    message = gettext_lazy("The feed could not be fetched: its server could not be reached.")


class FeedAnsweredError(FeedFetchError):
    message = gettext_lazy("The feed could not be fetched: it answered with an error.")

    def __init__(self, status: int):
        self.status = status
        super().__init__(gettext("The feed could not be fetched: it answered with an error (HTTP %(status)s).")
                         % {"status": status})


@dataclass(frozen=True)
class FetchedFeed:
    status: int  # 200-299, or 304 to a conditional request
    headers: dict[str, str]  # lower-cased names
    content: bytes
    url: str  # after redirects


def feed_fetch(url: str, headers: dict[str, str]) -> FetchedFeed:
    """GET `url` under the rules above; raises a FeedFetchError subclass (answers >= 400 included)."""
    deadline = _Deadline(settings.FEED_FETCH_TIMEOUT)
    for _hop in range(MAX_REDIRECTS + 1):
        target = _Target.parse(url)
        addresses = _vetted_addresses(target, deadline)
        status, response_headers, content = _get(target, addresses, headers, deadline)
        location = response_headers.get("location")
        if status in _REDIRECTS and location:
            url = urljoin(url, location.strip())
            headers = {k: v for k, v in headers.items() if k.lower() not in {"if-none-match", "if-modified-since"}}
            continue
        if status >= 400 or (status >= 300 and status != 304):
            raise FeedAnsweredError(status)
        return FetchedFeed(status=status, headers=response_headers, content=content, url=url)
    raise FeedFetchError(gettext("The feed could not be fetched: it redirects too many times."))


def address_is_public(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """True for an address on the public internet; IPv6 forms carrying an IPv4 address are judged by it."""
    if ip.version == 6:
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is None and ip in _NAT64:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None and not address_is_public(embedded):
            return False
    return ip.is_global and not (
        ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast or ip.is_reserved or ip.is_unspecified
    )


# --- the pieces ----------------------------------------------------------------------------------------


class _Deadline:
    def __init__(self, seconds: float):
        self.at = time.monotonic() + seconds

    def remaining(self) -> float:
        left = self.at - time.monotonic()
        if left <= 0:
            raise FeedTooSlow()
        return left


@dataclass(frozen=True)
class _Target:
    scheme: str
    host: str  # lower-cased name or IP literal, without brackets
    port: int
    path: str  # path and query, never the fragment

    @classmethod
    def parse(cls, url: str) -> _Target:
        try:
            parts = urlsplit(url.strip())
            port = parts.port
        except ValueError:
            raise FeedAddressNotAllowed() from None
        scheme = parts.scheme.lower()
        if scheme not in ("http", "https") or not parts.hostname:
            raise FeedAddressNotAllowed()
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        return cls(scheme, parts.hostname.lower().rstrip("."), port or (443 if scheme == "https" else 80), path)

    @property
    def host_header(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        default = 443 if self.scheme == "https" else 80
        return host if self.port == default else f"{host}:{self.port}"


def _allow_list() -> tuple[set[str], list[ipaddress.IPv4Network | ipaddress.IPv6Network]]:
    names, networks = set(), []
    for entry in settings.FEED_FETCH_ALLOWED_HOSTS:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError:
            names.add(entry.strip().lower().rstrip("."))
    return names, networks


def _vetted_addresses(target: _Target, deadline: _Deadline) -> list[tuple]:
    """The getaddrinfo results for the target, all of them allowed; raises FeedAddressNotAllowed otherwise."""
    infos = _resolve(target, deadline)
    names, networks = _allow_list()
    all_listed = True
    for *_, sockaddr in infos:
        ip = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
        if target.host in names or any(ip in network for network in networks if network.version == ip.version):
            continue
        all_listed = False
        if not address_is_public(ip):
            raise FeedAddressNotAllowed()
    # Other ports only for allow-listed hosts: a public host's SMTP or Redis port is no feed either.
    if target.port not in _WEB_PORTS and not all_listed:
        raise FeedAddressNotAllowed()
    return infos


def _resolve(target: _Target, deadline: _Deadline) -> list[tuple]:
    """getaddrinfo has no timeout of its own: it runs in a daemon thread so the deadline holds."""
    outcome: dict[str, object] = {}

    def lookup() -> None:
        try:
            outcome["infos"] = socket.getaddrinfo(target.host, target.port, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError) as exc:
            outcome["error"] = exc

    thread = threading.Thread(target=lookup, name="feed-dns", daemon=True)
    thread.start()
    thread.join(deadline.remaining())
    if thread.is_alive():
        raise FeedTooSlow()
    if "error" in outcome or not outcome.get("infos"):
        raise FeedUnreachable()
    return list(outcome["infos"])


def _tls_context() -> ssl.SSLContext:
    """The system's trust store, certificate and host name checked (the name, not the pinned address)."""
    return ssl.create_default_context()


class _PinnedConnection(http.client.HTTPConnection):
    """Connects to one vetted sockaddr; TLS (when `tls` is given) is checked against the URL's host name."""

    def __init__(self, target: _Target, info: tuple, timeout: float, tls: ssl.SSLContext | None):
        super().__init__(target.host, target.port, timeout=timeout)
        self._info = info
        self._tls = tls
        self._server_name = target.host
        self.raw_socket: socket.socket | None = None

    def connect(self) -> None:
        family, type_, proto, _canonname, sockaddr = self._info
        sock = socket.socket(family, type_, proto)
        self.raw_socket = sock
        sock.settimeout(self.timeout)
        sock.connect(sockaddr)
        if self._tls is not None:
            sock = self._tls.wrap_socket(sock, server_hostname=self._server_name)
            self.raw_socket = sock
        self.sock = sock


def _get(target: _Target, infos: list[tuple], headers: dict[str, str], deadline: _Deadline):
    tls = _tls_context() if target.scheme == "https" else None
    request_headers = {**headers, "Host": target.host_header, "Accept-Encoding": "identity", "Connection": "close"}
    for number, info in enumerate(infos):
        connection = _PinnedConnection(target, info, timeout=deadline.remaining(), tls=tls)
        watchdog = _Watchdog(connection, deadline)
        try:
            try:
                connection.connect()
            except (OSError, ssl.SSLError):
                if watchdog.fired:
                    raise FeedTooSlow() from None
                if number == len(infos) - 1:
                    raise FeedUnreachable() from None
                continue
            return _exchange(connection, target, request_headers, deadline, watchdog)
        finally:
            watchdog.cancel()
            connection.close()
    raise FeedUnreachable()


def _exchange(connection: _PinnedConnection, target: _Target, headers: dict[str, str], deadline: _Deadline, watchdog):
    limit = settings.FEED_FETCH_MAX_BYTES
    try:
        connection.request("GET", target.path, headers=headers)
        response = connection.getresponse()
        response_headers = {name.lower(): value for name, value in response.getheaders()}
        if response.status in _REDIRECTS or response.status >= 400 or response.status == 304:
            return response.status, response_headers, b""  # the body of an error is never read or shown
        declared = response_headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise FeedTooLarge()
        chunks, size = [], 0
        while True:
            deadline.remaining()
            chunk = response.read(_CHUNK)
            if watchdog.fired:
                raise FeedTooSlow()
            if not chunk:
                break
            size += len(chunk)
            if size > limit:
                raise FeedTooLarge()
            chunks.append(chunk)
        return response.status, response_headers, b"".join(chunks)
    except FeedFetchError:
        raise
    except (OSError, http.client.HTTPException, ssl.SSLError, ValueError):
        if watchdog.fired:
            raise FeedTooSlow() from None
        raise FeedUnreachable() from None


class _Watchdog:
    """Shuts the connection's socket down at the deadline: a server trickling bytes (each read within the
    socket timeout) would otherwise hold the fetch open for ever."""

    def __init__(self, connection: _PinnedConnection, deadline: _Deadline):
        self.fired = False
        self._connection = connection
        self._timer = threading.Timer(max(deadline.at - time.monotonic(), 0), self._fire)
        self._timer.daemon = True
        self._timer.start()

    def _fire(self) -> None:
        self.fired = True
        sock = self._connection.raw_socket
        if sock is not None:
            try:
                # The plain socket's shutdown, also under TLS: it wakes the blocked read without touching SSL state.
                socket.socket.shutdown(sock, socket.SHUT_RDWR)
            except OSError:
                pass

    def cancel(self) -> None:
        self._timer.cancel()
