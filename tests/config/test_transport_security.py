import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.transport_security import HSTS_DEFAULT_SECONDS, transport_security
from tests.support.processes import ROOT

_HTTPS = "https://news.example.org"


def _decide(site_url: str = _HTTPS, *, ssl_redirect: bool = False, behind_proxies: bool = False):
    return transport_security(
        site_url, hsts_seconds=HSTS_DEFAULT_SECONDS, ssl_redirect=ssl_redirect, behind_proxies=behind_proxies
    )


def _apply(settings, decision) -> None:
    for name, value in {
        "SESSION_COOKIE_SECURE": decision.https,
        "CSRF_COOKIE_SECURE": decision.https,
        "SECURE_HSTS_SECONDS": decision.hsts_seconds,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": decision.hsts_include_subdomains,
        "SECURE_HSTS_PRELOAD": decision.hsts_preload,
        "SECURE_SSL_REDIRECT": decision.ssl_redirect,
        "SECURE_PROXY_SSL_HEADER": decision.proxy_ssl_header,
    }.items():
        setattr(settings, name, value)


def test_it_asks_for_https_for_a_year_on_this_host_only_when_site_url_is_https():
    decision = _decide()

    assert decision.https is True
    assert decision.hsts_seconds == 365 * 24 * 3600
    assert decision.hsts_include_subdomains is False
    assert decision.hsts_preload is False


def test_it_sends_no_hsts_for_a_plain_http_site():
    decision = _decide("http://127.0.0.1:8000")

    assert decision.https is False
    assert decision.hsts_seconds == 0


def test_it_refuses_an_ssl_redirect_for_a_site_that_is_not_https():
    with pytest.raises(ImproperlyConfigured, match="SECURE_SSL_REDIRECT"):
        transport_security("http://127.0.0.1:8000", hsts_seconds=0, ssl_redirect=True, behind_proxies=False)


def test_it_reads_hsts_and_redirect_from_the_environment():
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.SECURE_HSTS_SECONDS, settings.SECURE_HSTS_INCLUDE_SUBDOMAINS, settings.SECURE_SSL_REDIRECT)"
    )
    environment = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "VAR_DIR": "/tmp/publisher-settings-test",
        "SITE_URL": _HTTPS,
        "SECURE_HSTS_SECONDS": "600",
        "SECURE_SSL_REDIRECT": "1",
    }
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["600", "False", "True"]


@pytest.mark.django_db
def test_it_sends_strict_transport_security_over_https(client, settings):
    _apply(settings, _decide())

    response = client.get("/subscribe/", secure=True)

    assert response.headers["Strict-Transport-Security"] == f"max-age={HSTS_DEFAULT_SECONDS}"


@pytest.mark.django_db
def test_it_believes_x_forwarded_proto_only_from_a_trusted_proxy(client, settings):
    _apply(settings, _decide(ssl_redirect=True, behind_proxies=True))
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]

    from_proxy = client.get("/subscribe/", HTTP_X_FORWARDED_PROTO="https", REMOTE_ADDR="10.1.2.3")
    from_client = client.get("/subscribe/", HTTP_X_FORWARDED_PROTO="https", REMOTE_ADDR="203.0.113.9")

    assert from_proxy.status_code == 200
    assert "Strict-Transport-Security" in from_proxy.headers
    assert from_client.status_code == 301
    assert from_client.headers["Location"].startswith("https://")


@pytest.mark.django_db(transaction=True)
def test_it_answers_health_probes_over_plain_http_when_redirecting(client, settings):
    settings.SECURE_SSL_REDIRECT = True

    assert client.get("/subscribe/").status_code == 301
    assert client.get("/healthz").status_code in (200, 503)
