"""Confirm, unsubscribe (RFC 8058) and preference links: scanners change nothing, tokens cannot be forged."""

import re

import pytest
from django.core import mail
from django.test import Client

from subscribers import services, tokens
from subscribers.models import Subscription
from tests.subscribers.factories import make_list, make_subscriber, make_topic, subscribe

pytestmark = pytest.mark.django_db


def _path(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


@pytest.fixture
def news():
    return make_list(name="MMM News", slug="news", welcome_enabled=True, welcome_subject="Welcome!",
                     welcome_body="Thanks for joining & welcome.")


def test_it_confirms_only_on_post_never_on_get_or_head(news, run_after_commit):
    person = make_subscriber(language="fr")
    subscribe(person, news, status="pending")
    url = _path(tokens.confirm_url(subscriber_id=person.id, list_ids=[news.id]))

    page = Client().get(url)
    Client().head(url)
    assert page.status_code == 200
    assert "MMM News" in page.content.decode() and "Confirmer mon abonnement" in page.content.decode()
    assert Subscription.objects.get().status == "pending"
    assert mail.outbox == []

    with run_after_commit():
        done = Client(enforce_csrf_checks=True).post(url)
    assert done.status_code == 200
    row = Subscription.objects.get()
    assert row.status == "active" and row.confirmed_at is not None
    assert [m.subject for m in mail.outbox] == ["Welcome!"]
    welcome = mail.outbox[0]
    assert "Thanks for joining & welcome." in welcome.body
    assert welcome.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/u/" in welcome.extra_headers["List-Unsubscribe"]

    with run_after_commit():
        Client().post(url)  # a second click: idempotent, no second welcome
    assert len(mail.outbox) == 1


def test_it_applies_chosen_topics_only_when_confirmed(news, run_after_commit):
    health = make_topic("health")
    person = make_subscriber()
    subscribe(person, news, status="pending")
    url = _path(tokens.confirm_url(subscriber_id=person.id, list_ids=[news.id], topic_ids=[health.id]))
    Client().get(url)
    assert not person.topics.exists()
    with run_after_commit():
        Client().post(url)
    assert list(person.topics.all()) == [health]


def test_it_does_not_reactivate_an_unsubscribed_person_with_an_old_confirm_link(news, run_after_commit):
    person = make_subscriber("amal@example.org")
    subscribe(person, news, status="pending")
    url = _path(tokens.confirm_url(subscriber_id=person.id, list_ids=[news.id]))
    services.subscription_unsubscribe(subscriber_id=person.id, list_id=news.id, source="link")
    with run_after_commit():  # anyone types her address again: her row stays as she left it
        Client().post("/subscribe/", {"email": "amal@example.org", "lists": ["news"], "language": "en", "consent": "on"})
    assert Subscription.objects.get().status == "unsubscribed"
    with run_after_commit():
        page = Client().post(url)
    assert Subscription.objects.get().status == "unsubscribed"
    assert "This link no longer works" in page.content.decode()
    fresh = re.search(r"https?://\S+(/confirm/\S+/)", mail.outbox[-1].body).group(1)  # the new request's own email
    with run_after_commit():
        Client().post(fresh)
    assert Subscription.objects.get().status == "active"


def test_it_refuses_forged_tampered_expired_and_wrong_purpose_tokens(news, run_after_commit):
    person = make_subscriber()
    subscribe(person, news, status="pending")
    good_confirm = tokens.make_confirm_token(subscriber_id=person.id, list_ids=[news.id])
    good_unsub = tokens.make_unsubscribe_token(subscriber_id=person.id, list_id=news.id)
    other = make_subscriber()
    subscribe(other, news)
    forged_unsub = f"{other.id}.{news.id}:" + good_unsub.split(":", 1)[1]
    tampered_confirm = good_confirm[:-2] + ("AA" if not good_confirm.endswith("AA") else "BB")
    for url in (
        f"/confirm/{tampered_confirm}/",
        f"/confirm/{good_unsub}/",  # an unsubscribe token cannot confirm
        f"/u/{good_confirm}/",  # a confirm token cannot unsubscribe
        f"/u/{forged_unsub}/",
        f"/u/{other.id}.{news.id}/",
        f"/preferences/{good_unsub}/",
        "/preferences/1/",
    ):
        with run_after_commit():
            response = Client().post(url, {"List-Unsubscribe": "One-Click"})
        assert response.status_code == 400, url
    assert Subscription.objects.get(subscriber=person).status == "pending"
    assert Subscription.objects.get(subscriber=other).status == "active"


def test_it_refuses_confirm_links_older_than_seven_days(news, run_after_commit):
    import time_machine

    person = make_subscriber()
    subscribe(person, news, status="pending")
    with time_machine.travel("2026-01-01 12:00Z", tick=False):
        url = _path(tokens.confirm_url(subscriber_id=person.id, list_ids=[news.id]))
    with time_machine.travel("2026-01-08 12:01Z", tick=False), run_after_commit():
        response = Client().post(url)
    assert response.status_code == 400
    assert "This link is not valid" in response.content.decode()
    assert Subscription.objects.get().status == "pending"


def test_it_shows_the_list_on_get_and_head_without_unsubscribing(news):
    person = make_subscriber()
    subscribe(person, news)
    url = _path(tokens.unsubscribe_url(subscriber_id=person.id, list_id=news.id))
    page = Client().get(url)
    assert page.status_code == 200 and "MMM News" in page.content.decode() and "<form" in page.content.decode()
    assert Client().head(url).status_code == 200
    assert Subscription.objects.get().status == "active"


@pytest.mark.parametrize("encoding", ["urlencoded", "multipart"])
def test_it_unsubscribes_on_one_click_post_from_a_bare_client(news, encoding):
    person = make_subscriber()
    subscribe(person, news)
    url = _path(tokens.unsubscribe_url(subscriber_id=person.id, list_id=news.id))
    client = Client(enforce_csrf_checks=True)
    for _ in range(2):  # idempotent
        if encoding == "urlencoded":
            response = client.post(url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
        else:
            response = client.post(url, {"List-Unsubscribe": "One-Click"})  # the test client's default is multipart
        assert response.status_code == 200
        assert "Location" not in response
        assert response.content.decode() == "You have been unsubscribed."
        assert client.cookies == {} or not any(c.value for c in client.cookies.values())
    row = Subscription.objects.get()
    assert (row.status, row.unsubscribe_source) == ("unsubscribed", "one-click")


def test_it_unsubscribes_with_the_page_button_and_without_a_trailing_slash(news):
    person = make_subscriber()
    subscribe(person, news)
    url = _path(tokens.unsubscribe_url(subscriber_id=person.id, list_id=news.id))
    response = Client(enforce_csrf_checks=True).post(url.rstrip("/"))
    assert response.status_code == 200
    assert "You are unsubscribed" in response.content.decode()
    assert Subscription.objects.get().unsubscribe_source == "link"


def test_it_changes_nothing_of_a_logged_in_visitor_who_opens_someone_elses_link(news, admin_client):
    person = make_subscriber()
    subscribe(person, news)
    url = _path(tokens.unsubscribe_url(subscriber_id=person.id, list_id=news.id))
    admin_client.get(url)
    assert Subscription.objects.get().status == "active"


def test_it_updates_preferences_and_sends_resubscriptions_through_confirmation(news, run_after_commit):
    other = make_list(name="Lebanon chapter", slug="lebanon")
    health = make_topic("health")
    person = make_subscriber(language="en")
    subscribe(person, news)
    subscribe(person, other, status="unsubscribed")
    url = _path(tokens.preferences_url(subscriber_id=person.id))
    client = Client(enforce_csrf_checks=True)
    page = client.get(url)
    assert page.status_code == 200 and "Lebanon chapter" in page.content.decode()
    assert Subscription.objects.filter(status="active").count() == 1  # GET changed nothing
    csrf = client.cookies["csrftoken"].value

    with run_after_commit():
        response = client.post(url, {"language": "ar", "topics": [health.id], "lists": [other.id], "csrfmiddlewaretoken": csrf})
    assert response.status_code == 200
    person.refresh_from_db()
    assert person.language == "ar" and list(person.topics.all()) == [health]
    assert Subscription.objects.get(mailing_list=news).status == "unsubscribed"
    assert Subscription.objects.get(mailing_list=other).status == "unsubscribed"  # until she confirms
    assert len(mail.outbox) == 1 and "/confirm/" in mail.outbox[0].body
    assert 'dir="rtl"' in response.content.decode()
    confirm = re.search(r"https?://\S+(/confirm/\S+/)", mail.outbox[0].body).group(1)
    with run_after_commit():
        Client().post(confirm)
    assert Subscription.objects.get(mailing_list=other).status == "active"

    with run_after_commit():
        client.post(url, {"unsubscribe_all_confirmed": "1", "csrfmiddlewaretoken": csrf})
    assert set(Subscription.objects.values_list("status", flat=True)) == {"unsubscribed"}


def test_it_requires_the_csrf_token_on_the_preferences_form(news):
    person = make_subscriber()
    subscribe(person, news)
    url = _path(tokens.preferences_url(subscriber_id=person.id))
    response = Client(enforce_csrf_checks=True).post(url, {"unsubscribe_all": "1"})
    assert response.status_code == 403
    assert Subscription.objects.get().status == "active"
