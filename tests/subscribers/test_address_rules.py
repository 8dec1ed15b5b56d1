"""Only addresses on public DNS domains get in, through the form, the JSON API and CSV imports alike."""

import json

import pytest
from django.test import Client

from subscribers.address_rules import NOT_PUBLIC_MESSAGE, public_domain_problem
from subscribers.forms import SubscribeForm
from subscribers.imports import ImportFailed, subscribers_import
from subscribers.models import Subscriber
from tests.subscribers.factories import make_list

pytestmark = pytest.mark.django_db

ORIGIN = "https://www.makemothersmatter.org"
NOT_PUBLIC = [
    "x@localhost",
    "x@LOCALHOST.",
    "x@[127.0.0.1]",
    "x@[IPv6:::1]",
    "x@intranet",
    "x@printer.local",
    "x@db.localhost",
    "x@metadata.google.internal",
    "x@nas.lan",
    "x@router.home.arpa",
    "x@mail.test",
    "x@nowhere.invalid",
    "x@hidden.onion",
    "x@1.0.0.127.in-addr.arpa",
]
PUBLIC = ["x@example.org", "x@example.com", "x@example.net", "x@mail.makemothersmatter.org", "x@localhost.org",
          "x@test.org", "x@sub.local-news.fr"]


@pytest.fixture
def news():
    return make_list(slug="news", name="News")


@pytest.mark.parametrize("email", NOT_PUBLIC)
def test_it_names_the_problem_for_domains_that_are_not_public(email):
    assert public_domain_problem(email) == str(NOT_PUBLIC_MESSAGE)


@pytest.mark.parametrize("email", PUBLIC)
def test_it_accepts_public_domains_including_the_example_ones(email):
    assert public_domain_problem(email) == ""


@pytest.mark.parametrize("email", ["x@localhost", "x@[127.0.0.1]", "x@printer.local", "x@nas.lan"])
def test_it_refuses_non_public_domains_in_the_subscribe_form(news, email):
    form = SubscribeForm({"email": email, "language": "en", "lists": ["news"], "consent": "on"})
    assert not form.is_valid()
    assert form.errors["email"] == ["Use an address on a public internet domain (this one cannot receive our emails)."]
    assert SubscribeForm({"email": "x@example.org", "language": "en", "lists": ["news"], "consent": "on"}).is_valid()


def test_it_refuses_non_public_domains_through_the_api_and_stores_nothing(news, settings):
    settings.SUBSCRIBE_CORS_ORIGINS = [ORIGIN]
    for email in ("x@localhost", "x@[127.0.0.1]"):
        response = Client().post("/api/subscribe", json.dumps({"email": email, "lists": ["news"], "consent": True}),
                                 content_type="application/json", HTTP_ORIGIN=ORIGIN)
        assert response.status_code == 400
        assert response.json()["errors"]["email"] == [str(NOT_PUBLIC_MESSAGE)]
    assert not Subscriber.objects.exists()


def test_it_reports_non_public_domains_as_invalid_rows_in_an_import(news):
    data = b"email\nok@example.org\nme@localhost\nme@[10.0.0.1]\nme@files.internal\n"
    with pytest.raises(ImportFailed) as failed:
        subscribers_import(data=data, list_slug="news")
    invalid = [(row.line, row.outcome, row.reason) for row in failed.value.report.rows]
    assert [(line, outcome) for line, outcome, _reason in invalid] == [(3, "invalid"), (4, "invalid"), (5, "invalid")]
    assert all(str(NOT_PUBLIC_MESSAGE) in reason for _line, _outcome, reason in invalid)
    assert not Subscriber.objects.exists()

    report = subscribers_import(data=data, list_slug="news", skip_invalid=True)
    assert list(Subscriber.objects.values_list("email", flat=True)) == ["ok@example.org"]
    assert report.count("added") == 1 and report.count("invalid") == 3
