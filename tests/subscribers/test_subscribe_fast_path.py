"""The subscribe and one-click paths as they run at volume: choices kept a few seconds per process, upserts
instead of get_or_create, one-statement one-click, one Redis round trip per limit. Same answers as before."""

import json

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client

from config.redis_client import shared_client
from subscribers import ratelimit, subscribe_requests, tokens
from subscribers.models import ConsentRecord, MailingList, Subscriber, SubscribeRequest, Subscription, Topic
from tests.subscribers.factories import make_list, make_subscriber, make_topic, subscribe
from tests.support.concurrency import run_together

pytestmark = pytest.mark.django_db


@pytest.fixture
def news():
    return make_list(name="MMM News", slug="news")


def _post(**fields):
    data = {"email": "new@example.org", "name": "", "language": "en", "lists": ["news"], "consent": "on"}
    data.update(fields)
    return Client().post("/subscribe/", data, REMOTE_ADDR="10.0.0.1")


def _api(**fields):
    body = {"email": "new@example.org", "lists": ["news"], "consent": True, **fields}
    return Client().post("/api/subscribe", json.dumps(body), content_type="application/json", REMOTE_ADDR="10.0.0.1")


def test_it_accepts_a_list_made_public_after_the_choices_were_read(news, run_after_commit):
    assert Client().get("/subscribe/").status_code == 200  # reads and keeps the choices
    make_list(name="Weekly", slug="weekly")
    with run_after_commit():
        response = _post(lists=["weekly"])
    assert response.status_code == 200
    assert Subscription.objects.get().mailing_list.slug == "weekly"
    assert len(mail.outbox) == 1


@pytest.mark.parametrize("send", [_post, _api])
def test_it_applies_nothing_for_a_list_made_private_after_the_choices_were_read(news, run_after_commit, send):
    assert Client().get("/subscribe/").status_code == 200
    MailingList.objects.filter(pk=news.pk).update(is_public=False)
    with run_after_commit():
        response = send()
    assert response.status_code in (200, 202)  # the answer is decided before the worker reads the lists again
    assert not Subscriber.objects.exists() and not Subscription.objects.exists() and not ConsentRecord.objects.exists()
    assert mail.outbox == [] and not SubscribeRequest.objects.exists()


def test_it_leaves_out_a_topic_deleted_after_the_choices_were_read(news, run_after_commit):
    make_topic("health")
    assert Client().get("/subscribe/").status_code == 200
    Topic.objects.filter(slug="health").delete()
    with run_after_commit():
        response = _post(topics=["health"])
    assert response.status_code == 200
    assert not Subscriber.objects.get().topics.exists() and Subscription.objects.get().status == "pending"
    assert len(mail.outbox) == 1


def test_it_passes_a_known_subscribers_topics_only_through_her_confirmation(news, run_after_commit):
    health = make_topic("health")
    person = make_subscriber("known@example.org")
    with run_after_commit():
        assert _api(email="known@example.org", topics=["health"]).status_code == 202
    assert list(person.topics.all()) == []
    body = mail.outbox[0].body
    path = "/" + body.split("/confirm/", 1)[1].split()[0]
    with run_after_commit():
        Client().post("/confirm" + path)
    assert list(person.topics.all()) == [health]


def test_it_gives_a_new_subscriber_her_topics_at_once(news, run_after_commit):
    health, rights = make_topic("health"), make_topic("rights")
    with run_after_commit():
        assert _post(topics=["health", "rights", "health"]).status_code == 200
    assert set(Subscriber.objects.get().topics.all()) == {health, rights}


def test_it_leaves_an_unsubscribed_list_unsubscribed_and_only_mails_her_a_confirmation(news, run_after_commit):
    other = make_list(slug="other")
    person = make_subscriber("known@example.org")
    subscribe(person, news)
    subscribe(person, other, status="unsubscribed")
    with run_after_commit():
        _post(email="known@example.org", lists=["news", "other", "other"])
    statuses = dict(Subscription.objects.values_list("mailing_list__slug", "status"))
    assert statuses == {"news": "active", "other": "unsubscribed"}  # anyone can type her address
    assert list(ConsentRecord.objects.values_list("mailing_list__slug", flat=True)) == ["other"]
    assert [m.to for m in mail.outbox] == [["known@example.org"]]


@pytest.mark.django_db(transaction=True)
def test_it_creates_one_subscriber_and_one_subscription_when_requests_for_a_new_address_race(settings):
    settings.SUBSCRIBE_PER_IP_LIMIT = 1000
    make_list(name="MMM News", slug="news")
    answers = [_post(email="race@example.org").status_code for _ in range(4)]
    assert answers == [200] * 4 and SubscribeRequest.objects.count() == 4
    run_together(lambda: subscribe_requests.subscribe_requests_apply_due(limit=1), times=4)  # four workers decide them
    assert not SubscribeRequest.objects.exists()
    assert Subscriber.objects.filter(email="race@example.org").count() == 1
    assert Subscription.objects.get().status == "pending"
    assert ConsentRecord.objects.count() == 1  # one confirmation window, so one consent


def test_it_unsubscribes_on_one_click_with_a_single_statement(news, django_assert_num_queries):
    person = make_subscriber(language="fr")
    subscribe(person, news)
    path = "/u/" + tokens.make_unsubscribe_token(subscriber_id=person.id, list_id=news.id) + "/"
    with django_assert_num_queries(1):
        first = Client().post(path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    again = Client().post(path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    assert first.status_code == again.status_code == 200
    assert first.content == again.content == "Vous êtes désabonné·e.".encode()  # in her language, both times
    row = Subscription.objects.get()
    assert (row.status, row.unsubscribe_source) == ("unsubscribed", "one-click")
    assert row.unsubscribed_at is not None


def test_it_answers_one_click_for_a_subscription_that_does_not_exist_without_changing_anything(news):
    person = make_subscriber()
    subscribe(person, news)
    other = make_list()
    path = "/u/" + tokens.make_unsubscribe_token(subscriber_id=person.id, list_id=other.id) + "/"
    response = Client().post(path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert Subscription.objects.get().status == "active"


def test_it_counts_each_hit_in_one_window_that_expires(settings):
    key = cache.make_key("ratelimit:count:t")
    assert [ratelimit.within_limit("t", limit=2, seconds=600) for _ in range(3)] == [True, True, False]
    client = shared_client()
    assert 590 < client.ttl(key) <= 600
    client.delete(key)  # the window ends
    assert ratelimit.within_limit("t", limit=2, seconds=600)


def test_it_gives_a_counter_that_lost_its_expiry_a_new_one():
    key = cache.make_key("ratelimit:count:stuck")
    client = shared_client()
    client.set(key, 5)  # no expiry: would block the address for ever
    assert ratelimit.within_limit("stuck", limit=10, seconds=60)
    assert 0 < client.ttl(key) <= 60


def test_it_lets_one_call_per_window_through():
    assert [ratelimit.first_in_window("once", seconds=60) for _ in range(3)] == [True, False, False]
    assert cache.get("ratelimit:once:once") == 1  # the key Django's cache would have written


def test_it_shows_the_interests_on_the_page_only_when_there_are_some(news):
    assert "Interests" not in Client().get("/subscribe/").content.decode()
    make_topic("health", "Maternal health")
    page = Client().get("/subscribe/").content.decode()
    assert "Interests" in page and 'value="health"' in page and "Maternal health" in page
