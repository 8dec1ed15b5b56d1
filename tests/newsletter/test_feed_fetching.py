"""Feed fetching cannot be turned against our own network (SSRF), nor held open by a hostile feed server.

Every refusal here happens before any connection; the local test servers listen on 127.0.0.1 and are
reached only where FEED_FETCH_ALLOWED_HOSTS allows them.
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from newsletter.feed_fetching import (
    FeedAddressNotAllowed,
    FeedAnsweredError,
    FeedTooLarge,
    FeedTooSlow,
    address_is_public,
    feed_fetch,
)
from newsletter.importing import feed_poll
from newsletter.models import Feed, NewsItem
from tests.newsletter.factories import make_list
from tests.newsletter.feedserver import FeedServer, rss

pytestmark = pytest.mark.django_db

ITEM = {"title": "CSW69", "link": "https://x.org/csw", "guid": "csw", "date": "Thu, 17 Apr 2025 09:00:00 GMT",
        "description": "d"}
NOT_ALLOWED = "The feed could not be fetched: its address is not allowed."
HEADERS = {"User-Agent": "test"}


class HostileServer:
    """A local server whose handler is `respond(handler, stop)`; `stop` is set when the test ends."""

    def __init__(self, respond):
        self.stop = threading.Event()
        self.requests: list[dict[str, str]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's naming)
                server.requests.append({"path": self.path, **{k.lower(): v for k, v in self.headers.items()}})
                try:
                    respond(self, server.stop)
                except OSError:
                    pass  # the client hung up, which is what these tests want

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def url(self, path: str = "/feed") -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{path}"

    def __enter__(self) -> HostileServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        self.httpd.shutdown()
        self.httpd.server_close()


def _trickle_body(handler, stop):
    handler.send_response(200)
    handler.send_header("Content-Type", "application/rss+xml")
    handler.end_headers()
    for byte in rss(ITEM).encode():
        if stop.wait(0.2):
            return
        handler.wfile.write(bytes([byte]))
        handler.wfile.flush()


def _trickle_headers(handler, stop):
    handler.wfile.write(b"HTTP/1.1 200 OK\r\n")
    for _ in range(1000):
        if stop.wait(0.2):
            return
        handler.wfile.write(b"X: y\r\n")
        handler.wfile.flush()


def _redirect_to(location):
    def respond(handler, stop):
        handler.send_response(302)
        handler.send_header("Location", location)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    return respond


def _error_with_banner(handler, stop):
    body = b"SECRET-BANNER redis_version:7.2 internal-db.corp 10.1.2.3"
    handler.send_response(500, "SECRET-BANNER reason")
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


def _resolving(monkeypatch, answers: dict[str, list[str]]):
    """Make getaddrinfo answer `answers[host]` (a list of IPs); counts the lookups per host."""
    real = socket.getaddrinfo
    calls: dict[str, int] = {}

    def fake(host, port, *args, **kwargs):
        if host not in answers:
            return real(host, port, *args, **kwargs)
        calls[host] = calls.get(host, 0) + 1
        result = []
        for ip in answers[host] if isinstance(answers[host], list) else answers[host](calls[host]):
            family = socket.AF_INET6 if ":" in ip else socket.AF_INET
            sockaddr = (ip, port, 0, 0) if family == socket.AF_INET6 else (ip, port)
            result.append((family, socket.SOCK_STREAM, 6, "", sockaddr))
        return result

    monkeypatch.setattr(socket, "getaddrinfo", fake)
    return calls


# --- addresses --------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [
    "http://127.0.0.1/feed", "http://127.1.2.3:8080/feed", "http://[::1]/feed", "http://10.0.0.5/feed",
    "http://172.16.3.4/feed", "http://192.168.1.1/feed", "http://169.254.169.254/latest/meta-data/",
    "http://[fe80::1]/feed", "http://0.0.0.0/feed", "http://[::]/feed", "http://224.0.0.1/feed",
    "http://240.0.0.1/feed", "http://100.64.0.1/feed", "http://[::ffff:127.0.0.1]/feed",
    "http://[::ffff:169.254.169.254]/feed", "http://[fc00::1]/feed", "http://[2002:7f00:1::]/feed",
    "http://[64:ff9b::a00:1]/feed", "http://localhost/feed", "http://2130706433/feed",
])  # fmt: skip
def test_it_refuses_loopback_private_link_local_multicast_reserved_and_mapped_addresses(url):
    with pytest.raises(FeedAddressNotAllowed) as refused:
        feed_fetch(url, HEADERS)

    assert str(refused.value) == NOT_ALLOWED


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/feed", "gopher://127.0.0.1:6379/_INFO",
                                 "http:///feed", "http://example.org:99999/feed"])
def test_it_refuses_schemes_other_than_http_and_https_and_broken_urls(url):
    with pytest.raises(FeedAddressNotAllowed):
        feed_fetch(url, HEADERS)


def test_it_judges_public_addresses_public_and_the_rest_not():
    assert address_is_public(ipaddress.ip_address("93.184.216.34"))
    assert address_is_public(ipaddress.ip_address("2606:2800:220:1:248:1893:25c8:1946"))
    assert not address_is_public(ipaddress.ip_address("::ffff:10.0.0.1"))
    assert not address_is_public(ipaddress.ip_address("198.18.0.1"))


def test_it_refuses_a_host_name_that_resolves_to_a_private_address(monkeypatch):
    _resolving(monkeypatch, {"feeds.example.org": ["10.0.0.7"]})

    with pytest.raises(FeedAddressNotAllowed):
        feed_fetch("https://feeds.example.org/rss", HEADERS)


def test_it_refuses_a_host_name_when_any_of_its_addresses_is_private(monkeypatch):
    _resolving(monkeypatch, {"feeds.example.org": ["93.184.216.34", "127.0.0.1"]})

    with pytest.raises(FeedAddressNotAllowed):
        feed_fetch("http://feeds.example.org/rss", HEADERS)


def test_it_stores_nothing_and_sends_no_request_when_a_registered_feed_points_inside(settings):
    settings.FEED_FETCH_ALLOWED_HOSTS = []
    with FeedServer() as server:
        feed = Feed.objects.create(mailing_list=make_list(), url=server.serve("/rss", rss(ITEM)))

        result = feed_poll(feed_id=feed.id)

    feed.refresh_from_db()
    assert result.error == feed.last_error == NOT_ALLOWED
    assert server.requests == [] and NewsItem.objects.count() == 0


def test_it_refuses_a_public_host_on_a_port_other_than_80_and_443(monkeypatch):
    calls = _resolving(monkeypatch, {"feeds.example.org": ["93.184.216.34"]})

    for port in (25, 6379, 8080):
        with pytest.raises(FeedAddressNotAllowed) as refused:
            feed_fetch(f"http://feeds.example.org:{port}/rss", HEADERS)
        assert str(refused.value) == NOT_ALLOWED

    assert calls == {"feeds.example.org": 3}  # refused after resolving, before any connection


# --- redirects ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("location", ["http://169.254.169.254/latest/meta-data/", "http://[::1]:6379/",
                                      "http://10.0.0.1/admin", "file:///etc/passwd"])
def test_it_refuses_a_redirect_from_an_allowed_server_to_an_inside_address(settings, location):
    settings.FEED_FETCH_ALLOWED_HOSTS = ["127.0.0.1"]
    with HostileServer(_redirect_to(location)) as server:
        with pytest.raises(FeedAddressNotAllowed):
            feed_fetch(server.url(), HEADERS)

    assert len(server.requests) == 1


def test_it_refuses_a_public_looking_host_that_redirects_to_the_metadata_address(settings, monkeypatch):
    settings.FEED_FETCH_ALLOWED_HOSTS = ["public.example"]
    _resolving(monkeypatch, {"public.example": ["127.0.0.1"]})
    with HostileServer(_redirect_to("http://169.254.169.254/latest/meta-data/")) as server:
        port = server.httpd.server_address[1]
        feed = Feed.objects.create(mailing_list=make_list(), url=f"http://public.example:{port}/feed")

        result = feed_poll(feed_id=feed.id)

    assert len(server.requests) == 1 and server.requests[0]["host"] == f"public.example:{port}"
    assert result.error == NOT_ALLOWED and NewsItem.objects.count() == 0


def test_it_rechecks_every_hop_of_a_redirect_chain(settings, monkeypatch):
    settings.FEED_FETCH_ALLOWED_HOSTS = ["127.0.0.1", "allowed.example"]
    calls = _resolving(monkeypatch, {"allowed.example": ["127.0.0.1"], "inside.example": ["192.168.0.10"]})
    with HostileServer(_redirect_to("http://inside.example/feed")) as server:
        port = server.httpd.server_address[1]
        with pytest.raises(FeedAddressNotAllowed):
            feed_fetch(f"http://allowed.example:{port}/feed", HEADERS)

    assert calls == {"allowed.example": 1, "inside.example": 1}


def test_it_follows_at_most_five_redirects(settings):
    settings.FEED_FETCH_ALLOWED_HOSTS = ["127.0.0.1"]
    with HostileServer(_redirect_to("/again")) as server:
        with pytest.raises(Exception, match="redirects too many times"):
            feed_fetch(server.url(), HEADERS)

    assert len(server.requests) == 6


def test_it_follows_a_redirect_to_an_allowed_address_and_imports_the_feed(feed_server):
    new_url = feed_server.serve("/new", rss(ITEM))
    with HostileServer(_redirect_to(new_url)) as old:
        feed = Feed.objects.create(mailing_list=make_list(), url=old.url("/old"))

        result = feed_poll(feed_id=feed.id)

    assert result.error == "" and result.created == 1


# --- DNS rebinding --------------------------------------------------------------------------------------


def test_it_connects_to_the_address_it_checked_with_the_feeds_host_name(feed_server, monkeypatch, settings):
    settings.FEED_FETCH_ALLOWED_HOSTS = ["127.0.0.1"]
    # The first answer is the allowed server; any later lookup (a connection resolving again) would be inside.
    calls = _resolving(monkeypatch, {"rebind.example": lambda n: ["127.0.0.1"] if n == 1 else ["10.9.9.9"]})
    url = feed_server.serve("/rss", rss(ITEM)).replace("127.0.0.1", "rebind.example")

    fetched = feed_fetch(url, HEADERS)

    port = feed_server.httpd.server_address[1]
    assert fetched.status == 200 and b"CSW69" in fetched.content
    assert calls == {"rebind.example": 1}
    assert feed_server.requests[-1]["host"] == f"rebind.example:{port}"


def test_it_allows_a_listed_intranet_host_name_or_network(feed_server, monkeypatch, settings):
    _resolving(monkeypatch, {"intranet.example": ["127.0.0.1"]})
    url = feed_server.serve("/rss", rss(ITEM))

    settings.FEED_FETCH_ALLOWED_HOSTS = ["intranet.example"]
    by_name = feed_fetch(url.replace("127.0.0.1", "intranet.example"), HEADERS)
    settings.FEED_FETCH_ALLOWED_HOSTS = ["127.0.0.0/8"]
    by_network = feed_fetch(url, HEADERS)

    assert by_name.status == by_network.status == 200
    settings.FEED_FETCH_ALLOWED_HOSTS = ["intranet.example"]
    with pytest.raises(FeedAddressNotAllowed):
        feed_fetch(url, HEADERS)  # the name is allowed, not its address under another name


# --- hostile servers ----------------------------------------------------------------------------------


@pytest.mark.parametrize("respond", [_trickle_body, _trickle_headers], ids=["body", "headers"])
def test_it_gives_up_on_a_server_that_trickles_bytes_within_the_total_deadline(settings, respond):
    settings.FEED_FETCH_ALLOWED_HOSTS = ["127.0.0.1"]
    settings.FEED_FETCH_TIMEOUT = 1
    with HostileServer(respond) as server:
        with pytest.raises(FeedTooSlow) as slow:
            feed_fetch(server.url(), HEADERS)

    assert str(slow.value) == "The feed could not be fetched: it took too long."


def test_it_records_a_trickling_feed_as_too_slow_and_imports_nothing(settings):
    settings.FEED_FETCH_ALLOWED_HOSTS = ["127.0.0.1"]
    settings.FEED_FETCH_TIMEOUT = 1
    with HostileServer(_trickle_body) as server:
        feed = Feed.objects.create(mailing_list=make_list(), url=server.url())
        result = feed_poll(feed_id=feed.id)

    assert result.error == "The feed could not be fetched: it took too long."
    assert NewsItem.objects.count() == 0


def test_it_stops_reading_a_body_beyond_the_size_cap(settings):
    settings.FEED_FETCH_ALLOWED_HOSTS = ["127.0.0.1"]
    settings.FEED_FETCH_MAX_BYTES = 4096
    sent = []

    def endless(handler, stop):  # no Content-Length: the cap must hold while reading
        handler.send_response(200)
        handler.end_headers()
        while not stop.is_set() and len(sent) < 10_000:
            handler.wfile.write(b"x" * 1024)
            sent.append(1)

    with HostileServer(endless) as server:
        with pytest.raises(FeedTooLarge) as large:
            feed_fetch(server.url(), HEADERS)

    assert str(large.value) == "The feed could not be fetched: it is too large."


def test_it_refuses_a_declared_length_over_the_cap_without_reading(feed_server, settings):
    settings.FEED_FETCH_MAX_BYTES = 1024
    url = feed_server.serve("/big", b"x" * 5000)

    with pytest.raises(FeedTooLarge):
        feed_fetch(url, HEADERS)


def test_it_shows_editors_neutral_text_never_the_servers_answer_or_an_address(settings, monkeypatch):
    settings.FEED_FETCH_ALLOWED_HOSTS = ["127.0.0.1"]
    _resolving(monkeypatch, {"inside.example": ["10.1.2.3"]})
    with HostileServer(_error_with_banner) as server:
        answered = Feed.objects.create(mailing_list=make_list(), url=server.url())
        inside = Feed.objects.create(mailing_list=answered.mailing_list, url="http://inside.example/feed")
        closed = Feed.objects.create(mailing_list=answered.mailing_list, url="http://127.0.0.1:1/feed")

        errors = [feed_poll(feed_id=feed.id).error for feed in (answered, inside, closed)]

    assert errors == [
        "The feed could not be fetched: it answered with an error (HTTP 500).",
        NOT_ALLOWED,
        "The feed could not be fetched: its server could not be reached.",
    ]
    for error in errors:
        assert "SECRET" not in error and "10.1.2.3" not in error and "127.0.0.1" not in error
        assert "Error" not in error and "refused" not in error.lower()


def test_it_raises_an_answered_error_carrying_the_status(feed_server):
    with pytest.raises(FeedAnsweredError) as answered:
        feed_fetch(feed_server.url("/missing"), HEADERS)

    assert answered.value.status == 404


# --- TLS ----------------------------------------------------------------------------------------------


def _certificates(tmp_path, name: str):
    """A throwaway CA and a server certificate for `name`; returns (ca_path, cert_path, key_path)."""
    from datetime import UTC, datetime, timedelta

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = datetime.now(UTC)
    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "test CA")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(1).not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=1))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True).sign(ca_key, hashes.SHA256()))
    cert = (x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)]))
            .issuer_name(ca_name).public_key(key.public_key()).serial_number(2)
            .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
            .sign(ca_key, hashes.SHA256()))
    paths = tmp_path / "ca.pem", tmp_path / "cert.pem", tmp_path / "key.pem"
    paths[0].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths[1].write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    paths[2].write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return paths


@pytest.fixture
def tls_feed_server(tmp_path, monkeypatch, settings):
    """An HTTPS feed server on 127.0.0.1 with a certificate for feeds.test, trusted by the fetcher; records SNI."""
    from newsletter import feed_fetching

    ca_path, cert_path, key_path = _certificates(tmp_path, "feeds.test")
    client = ssl.create_default_context(cafile=str(ca_path))
    monkeypatch.setattr(feed_fetching, "_tls_context", lambda: client)
    settings.FEED_FETCH_ALLOWED_HOSTS = ["127.0.0.1"]
    server_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_context.load_cert_chain(str(cert_path), str(key_path))
    names: list[str | None] = []
    server_context.sni_callback = lambda sock, name, ctx: names.append(name)
    with FeedServer() as server:
        server.httpd.socket = server_context.wrap_socket(server.httpd.socket, server_side=True)
        server.sni = names
        yield server


def test_it_pins_https_to_the_checked_address_and_still_checks_the_certificate_for_the_host_name(
    tls_feed_server, monkeypatch
):
    calls = _resolving(monkeypatch, {"feeds.test": ["127.0.0.1"], "other.test": ["127.0.0.1"]})
    port = tls_feed_server.httpd.server_address[1]
    tls_feed_server.serve("/rss", rss(ITEM))

    fetched = feed_fetch(f"https://feeds.test:{port}/rss", HEADERS)
    with pytest.raises(Exception, match="could not be reached"):
        feed_fetch(f"https://other.test:{port}/rss", HEADERS)  # a certificate for another name is refused

    assert fetched.status == 200 and b"CSW69" in fetched.content
    assert tls_feed_server.sni[0] == "feeds.test" and calls["feeds.test"] == 1
    assert tls_feed_server.requests[0]["host"] == f"feeds.test:{port}"
    assert len(tls_feed_server.requests) == 1
