"""A reader's time zone: taken at subscription from what her browser reports (checked against the zone database),
changed on her preferences page, and never a way to change a known person's profile or subscriptions."""

import json
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.test import Client
from playwright.sync_api import sync_playwright

from subscribers import tokens
from subscribers.forms import browser_time_zone
from subscribers.models import Subscriber, SubscribeRequest, Subscription
from tests.subscribers.factories import make_list, make_subscriber, subscribe

pytestmark = pytest.mark.django_db


@pytest.fixture
def news():
    return make_list(name="MMM News", slug="news")


def _post(**fields):
    data = {"email": "new@example.org", "name": "", "language": "en", "lists": ["news"], "consent": "on"}
    data.update(fields)
    return Client().post("/subscribe/", data, REMOTE_ADDR="10.0.0.7")


def test_it_keeps_only_zone_names_the_zone_database_knows():
    assert browser_time_zone("Asia/Beirut") == "Asia/Beirut"
    assert browser_time_zone(" America/New_York ") == "America/New_York"
    assert browser_time_zone("Europe/Geneva") == ""  # not a zone: Geneva keeps Europe/Zurich's clock
    assert browser_time_zone("../../etc/passwd") == ""
    assert browser_time_zone("") == ""


def test_it_stores_the_zone_the_browser_reported_for_a_new_subscriber(news, run_after_commit):
    with run_after_commit():
        response = _post(time_zone="Asia/Beirut")

    assert response.status_code == 200
    assert Subscriber.objects.get(email="new@example.org").time_zone == "Asia/Beirut"


def test_it_subscribes_without_a_zone_when_the_browser_sent_none_or_nonsense(news, run_after_commit):
    with run_after_commit():
        response = _post(time_zone="Nowhere/Atlantis")

    assert response.status_code == 200
    assert Subscriber.objects.get(email="new@example.org").time_zone == ""


def test_it_never_changes_a_known_persons_zone_or_reactivates_her_through_a_subscribe_request(news, run_after_commit):
    person = make_subscriber("known@example.org", time_zone="Europe/Paris")
    subscribe(person, news, status="unsubscribed")
    with run_after_commit():
        _post(email="known@example.org", time_zone="America/New_York")

    person.refresh_from_db()
    assert person.time_zone == "Europe/Paris"
    assert Subscription.objects.get(subscriber=person).status == "unsubscribed"  # only her own confirmation brings her back
    assert len(mail.outbox) == 1  # the confirmation email, to her


def test_it_takes_the_zone_from_the_json_api_too(news, run_after_commit, settings):
    settings.SUBSCRIBE_CORS_ORIGINS = ["https://example.org"]
    with run_after_commit():
        response = Client().post("/api/subscribe", json.dumps(
            {"email": "api@example.org", "lists": ["news"], "consent": True, "time_zone": "Africa/Casablanca"}),
            content_type="application/json", HTTP_ORIGIN="https://example.org")

    assert response.status_code == 202
    assert Subscriber.objects.get(email="api@example.org").time_zone == "Africa/Casablanca"
    assert not SubscribeRequest.objects.exists()


def _preferences_path(person) -> str:
    return urlsplit(tokens.preferences_url(subscriber_id=person.pk)).path


def test_it_lets_her_change_her_zone_on_the_preferences_page_without_touching_her_lists(news):
    person = make_subscriber(time_zone="Europe/Paris")
    subscribe(person, news)
    url = _preferences_path(person)
    page = Client().get(url).content.decode()
    assert '<option value="Europe/Paris" selected>Europe/Paris</option>' in page

    Client().post(url, {"language": "en", "time_zone": "America/New_York", "lists": [news.pk], "save": "1"})

    person.refresh_from_db()
    assert person.time_zone == "America/New_York"
    assert Subscription.objects.get(subscriber=person).status == "active"
    Client().post(url, {"language": "en", "time_zone": "", "lists": [news.pk], "save": "1"})
    person.refresh_from_db()
    assert person.time_zone == ""  # not set: her newsletter's own zone


def test_it_refuses_a_zone_that_is_not_in_the_list_on_the_preferences_page(news):
    person = make_subscriber(time_zone="Europe/Paris")
    subscribe(person, news)

    response = Client().post(_preferences_path(person), {"language": "en", "time_zone": "Mars/Olympus",
                                                          "lists": [news.pk], "save": "1"})

    assert response.status_code == 400
    person.refresh_from_db()
    assert person.time_zone == "Europe/Paris"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_it_fills_the_hidden_field_with_the_browsers_own_zone(live_server):
    make_list(name="MMM News", slug="news")  # before Playwright starts: its event loop bars database calls here
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        page = browser.new_context(timezone_id="Asia/Beirut").new_page()
        page.goto(f"{live_server.url}/subscribe/")
        page.wait_for_function("document.querySelector('input[name=time_zone]').value !== ''")
        reported = page.input_value("input[name=time_zone]")
        page.fill("input[name=email]", "browser@example.org")
        page.check("input[value=news]")
        page.check("input[name=consent]")
        page.click("button[type=submit]")
        page.wait_for_load_state()
        browser.close()

    assert reported == "Asia/Beirut"
    stored = SubscribeRequest.objects.values_list("time_zone", flat=True).first() or Subscriber.objects.get(
        email="browser@example.org").time_zone
    assert stored == "Asia/Beirut"


def test_it_refuses_an_unknown_zone_typed_in_the_admin(admin_client):
    data = {"email": "typed@example.org", "name": "", "language": "en", "country": "", "attributes": "{}",
            "subscriptions-TOTAL_FORMS": "0", "subscriptions-INITIAL_FORMS": "0",
            "consents-TOTAL_FORMS": "0", "consents-INITIAL_FORMS": "0"}

    refused = admin_client.post("/admin/subscribers/subscriber/add/", {**data, "time_zone": "Europe/Geneva"})
    accepted = admin_client.post("/admin/subscribers/subscriber/add/", {**data, "time_zone": "Europe/Zurich"})

    assert refused.status_code == 200 and "is not a time zone name" in refused.content.decode()
    assert accepted.status_code == 302
    assert Subscriber.objects.get(email="typed@example.org").time_zone == "Europe/Zurich"
