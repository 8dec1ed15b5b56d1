"""RFC 8058 one-click unsubscribe from a bare HTTP client over a real socket: no cookie, no CSRF token,
no login, no redirect; the answer is 200 and the subscription ends at once."""

import http.client
from urllib.parse import urlsplit

import pytest

from subscribers import tokens
from subscribers.models import Subscription
from tests.subscribers.factories import make_list, make_subscriber, subscribe

pytestmark = pytest.mark.django_db(transaction=True)


def _raw(method: str, url: str, body: bytes = b"", content_type: str = "") -> http.client.HTTPResponse:
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    headers = {"Content-Type": content_type} if content_type else {}
    connection.request(method, parts.path, body=body, headers=headers)
    response = connection.getresponse()
    response.body = response.read()
    connection.close()
    return response


def test_it_unsubscribes_a_bare_http_client_with_one_click(live_server):
    news = make_list()
    person = make_subscriber()
    subscribe(person, news)
    url = live_server.url + urlsplit(tokens.unsubscribe_url(subscriber_id=person.id, list_id=news.id)).path

    for method in ("HEAD", "GET"):
        assert _raw(method, url).status == 200
    assert Subscription.objects.get().status == "active"

    boundary = "----one-click"
    multipart = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"List-Unsubscribe\"\r\n\r\nOne-Click\r\n"
                 f"--{boundary}--\r\n").encode()
    first = _raw("POST", url, b"List-Unsubscribe=One-Click", "application/x-www-form-urlencoded")
    again = _raw("POST", url, multipart, f"multipart/form-data; boundary={boundary}")
    for response in (first, again):
        assert response.status == 200
        assert response.getheader("Location") is None and response.getheader("Set-Cookie") is None
    assert first.body == b"You have been unsubscribed."
    assert Subscription.objects.get().status == "unsubscribed"
