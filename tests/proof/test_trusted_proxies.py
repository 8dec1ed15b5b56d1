"""Per-client limits behind a reverse proxy: X-Forwarded-For counts only when a trusted proxy wrote it."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, RequestFactory

from config.client_ip import client_ip
from subscribers.models import MailingList, SubscribeRequest
from tests.support.organisations import default_organisation

pytestmark = pytest.mark.django_db


def _request(remote: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_it_ignores_x_forwarded_for_unless_proxies_are_trusted(settings):
    settings.TRUSTED_PROXIES = []
    assert client_ip(_request("198.51.100.7", "203.0.113.1")) == "198.51.100.7"


def test_it_takes_the_address_the_outermost_trusted_proxy_saw(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8", "192.0.2.10"]
    # The client claims 1.2.3.4; the edge proxy (192.0.2.10) saw 203.0.113.5; an inner proxy (10.1.1.1) forwarded.
    assert client_ip(_request("10.1.1.1", "1.2.3.4, 203.0.113.5, 192.0.2.10")) == "203.0.113.5"
    assert client_ip(_request("10.1.1.1", "2001:db8::5")) == "2001:db8::5"


def test_it_keeps_remote_addr_when_the_request_did_not_come_through_a_trusted_proxy(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_ip(_request("198.51.100.7", "203.0.113.1")) == "198.51.100.7"


def test_it_never_guesses_from_a_garbled_or_missing_header(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_ip(_request("10.1.1.1", "not-an-address")) == "10.1.1.1"
    assert client_ip(_request("10.1.1.1")) == "10.1.1.1"
    assert client_ip(_request("10.1.1.1", "10.2.2.2")) == "10.1.1.1"


def test_it_refuses_a_trusted_proxy_setting_that_is_not_an_address(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8", "proxy.example.org"]
    with pytest.raises(ImproperlyConfigured):
        client_ip(_request("10.1.1.1", "203.0.113.1"))


def test_it_limits_each_client_behind_the_proxy_not_everybody_together(settings):
    MailingList.objects.create(name="MMM News", slug="news", from_name="MMM", from_email="news@mmm.org",
                              organisation=default_organisation())
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    settings.SUBSCRIBE_PER_IP_LIMIT = 3

    def subscribe(n: int, forwarded: str) -> int:
        form = {"email": f"p{n}@example.org", "name": "", "language": "en", "lists": ["news"], "consent": "on"}
        return Client().post("/subscribe/", form, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded).status_code

    first = [subscribe(n, "203.0.113.1") for n in range(5)]
    # Another client behind the same proxy is not locked out by the first one's requests.
    second = [subscribe(n, f"1.1.1.{n}, 203.0.113.2") for n in range(5, 8)]

    assert first == [200, 200, 200, 429, 429]
    assert second == [200, 200, 200]
    assert SubscribeRequest.objects.count() == 6  # only the requests let through are kept
