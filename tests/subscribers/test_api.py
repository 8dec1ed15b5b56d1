import json

import pytest
from django.core import mail
from django.test import Client

from subscribers.models import ConsentRecord, Subscriber, SubscribeRequest, Subscription
from tests.subscribers.factories import make_list, make_subscriber, subscribe

pytestmark = pytest.mark.django_db

ORIGIN = "https://www.makemothersmatter.org"


@pytest.fixture(autouse=True)
def _cors(settings):
    settings.SUBSCRIBE_CORS_ORIGINS = [ORIGIN]


@pytest.fixture
def news():
    return make_list(name="MMM News", slug="news")


def _api(payload, origin=ORIGIN, **extra):
    body = payload if isinstance(payload, bytes | str) else json.dumps(payload)
    headers = {"HTTP_ORIGIN": origin} if origin else {}
    return Client(enforce_csrf_checks=True).post("/api/subscribe", body, content_type="application/json", **headers, **extra)


def test_it_subscribes_through_json_with_cors_for_the_configured_origin(news, run_after_commit):
    with run_after_commit():
        response = _api({"email": "Fan@Example.org", "lists": ["news"], "consent": True, "language": "fr"})
    assert response.status_code == 202
    assert response.json()["ok"] is True
    assert response["Access-Control-Allow-Origin"] == ORIGIN
    person = Subscriber.objects.get()
    assert (person.email, person.language) == ("fan@example.org", "fr")
    assert Subscription.objects.get().status == "pending"
    assert ConsentRecord.objects.get().source == "api"
    assert len(mail.outbox) == 1


def test_it_answers_preflight_requests_only_for_configured_origins(news):
    ok = Client().options("/api/subscribe", HTTP_ORIGIN=ORIGIN, HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST")
    assert ok.status_code == 204
    assert ok["Access-Control-Allow-Origin"] == ORIGIN
    assert "POST" in ok["Access-Control-Allow-Methods"]
    refused = Client().options("/api/subscribe", HTTP_ORIGIN="https://evil.example")
    assert refused.status_code == 403
    assert "Access-Control-Allow-Origin" not in refused


def test_it_refuses_posts_from_other_origins_and_stores_nothing(news):
    response = _api({"email": "a@example.org", "lists": ["news"], "consent": True}, origin="https://evil.example")
    assert response.status_code == 403
    assert not Subscriber.objects.exists()


def test_it_answers_identically_for_known_and_new_addresses(news, run_after_commit):
    subscribe(make_subscriber("known@example.org"), news)
    with run_after_commit():
        known = _api({"email": "known@example.org", "lists": ["news"], "consent": True})
    with run_after_commit():
        new = _api({"email": "new@example.org", "lists": ["news"], "consent": True})
    assert (known.status_code, known.content) == (new.status_code, new.content)


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"email": "nope", "lists": ["news"], "consent": True}, "email"),
        ({"email": "a@example.org", "lists": ["missing"], "consent": True}, "lists"),
        ({"email": "a@example.org", "consent": True}, "lists"),
        ({"email": "a@example.org", "lists": ["news"]}, "consent"),
        ({"email": "a@example.org", "lists": ["news"], "consent": True, "name": "x" * 300}, "name"),
        ({"email": "a@example.org", "lists": ["news"], "consent": True, "language": "de"}, "language"),
    ],
)
def test_it_returns_field_errors_and_stores_nothing(news, payload, field):
    response = _api(payload)
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not Subscriber.objects.exists()


def test_it_refuses_a_body_that_is_not_a_json_object(news):
    for body in (b"\xff\xfe", "[1, 2]", "email=a@example.org"):
        response = _api(body)
        assert response.status_code == 400
        assert "JSON object" in response.json()["error"]
    assert not Subscriber.objects.exists()


def test_it_limits_api_requests_per_ip(news, settings):
    settings.SUBSCRIBE_PER_IP_LIMIT = 2
    codes = [_api({"email": f"p{i}@example.org", "lists": ["news"], "consent": True}).status_code for i in range(3)]
    assert codes == [202, 202, 429]
    assert SubscribeRequest.objects.count() == 2  # only the requests let through are kept
