"""/api/subscribe refuses hostile JSON bodies with a 4xx and a clear message, never a server error."""

import json

import pytest
from django.test import Client

from subscribers.json_body import MAX_DEPTH, nesting_depth
from subscribers.models import Subscriber
from tests.subscribers.factories import make_list

pytestmark = pytest.mark.django_db

ORIGIN = "https://www.makemothersmatter.org"


@pytest.fixture(autouse=True)
def _setup(settings):
    settings.SUBSCRIBE_CORS_ORIGINS = [ORIGIN]
    make_list(slug="news")


def _api(body: str):
    return Client(raise_request_exception=False).post(
        "/api/subscribe", body, content_type="application/json", HTTP_ORIGIN=ORIGIN
    )


def test_it_refuses_json_nested_too_deeply_with_a_400_that_says_so():
    for body in ("[" * 5_000 + "]" * 5_000, '{"email": ' * 1_000 + "1" + "}" * 1_000, "[" * 5_000):
        response = _api(body)
        assert response.status_code == 400
        assert "nested too deeply" in response.json()["error"]
    assert not Subscriber.objects.exists()


def test_it_refuses_a_hundred_thousand_levels_or_a_large_body_before_parsing_it():
    for body in ("[" * 100_000 + "]" * 100_000,
                 json.dumps({"email": "a@example.org", "lists": ["news"], "consent": True, "name": "x" * 20_000})):
        response = _api(body)
        assert response.status_code == 413
        assert response.json() == {"ok": False, "error": response.json()["error"]}
        assert "too large" in response.json()["error"]
    assert not Subscriber.objects.exists()


def test_it_still_accepts_an_ordinary_request_with_brackets_inside_strings(run_after_commit):
    body = json.dumps({"email": "a@example.org", "name": "[[[[{{{{" * 10, "lists": ["news"], "consent": True})
    with run_after_commit():
        response = _api(body)
    assert response.status_code == 202, response.content
    assert Subscriber.objects.get().name == "[[[[{{{{" * 10


def test_it_counts_nesting_outside_strings_only():
    assert nesting_depth('{"a": [1, {"b": "[[[[\\"[["}]}') == 3
    assert nesting_depth("[" * (MAX_DEPTH + 1)) == MAX_DEPTH + 1
