"""An unsubscribe link opened after she left offers "Changed your mind? Subscribe again": a fresh confirmation
email, never the subscription itself. Only her click on that email makes it active (subscribers.transitions)."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client

from subscribers import services, tokens
from subscribers.models import ConsentRecord, Subscription
from tests.subscribers.factories import make_list, make_subscriber, subscribe

pytestmark = pytest.mark.django_db


@pytest.fixture
def news():
    return make_list(name="MMM News", slug="news")


def _path(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def _confirm_paths() -> list[str]:
    return [re.search(r"https?://\S+(/confirm/\S+/)", m.body).group(1) for m in mail.outbox if "/confirm/" in m.body]


def _left(person, mailing_list) -> str:
    """She subscribed, confirmed and left; returns the path of her (old) unsubscribe link."""
    subscribe(person, mailing_list)
    services.subscription_unsubscribe(subscriber_id=person.id, list_id=mailing_list.id, source="link")
    return _path(tokens.unsubscribe_url(subscriber_id=person.id, list_id=mailing_list.id))


def _status() -> str:
    return Subscription.objects.get().status


def test_it_offers_to_subscribe_again_when_she_opens_an_old_unsubscribe_link(news):
    link = _left(make_subscriber("amal@example.org"), news)

    page = Client().get(link).content.decode()

    assert 'id="subscribe-again"' in page and 'name="resubscribe"' in page
    assert "Stop receiving" not in page  # she is not asked to leave a list she already left
    assert _status() == "unsubscribed"


def test_it_does_not_offer_it_to_someone_still_subscribed(news):
    person = make_subscriber("amal@example.org")
    subscribe(person, news)

    page = Client().get(_path(tokens.unsubscribe_url(subscriber_id=person.id, list_id=news.id))).content.decode()

    assert 'name="resubscribe"' not in page and "Stop receiving" in page


def test_it_sends_a_fresh_confirmation_and_activates_only_when_she_confirms_it(news, run_after_commit):
    person = make_subscriber("amal@example.org")
    link = _left(person, news)

    with run_after_commit():
        page = Client().post(link, {"resubscribe": "1"}).content.decode()

    assert "We sent you an email: confirm it" in page and "Check your inbox" in page
    assert _status() == "unsubscribed"  # asking is not subscribing
    assert ConsentRecord.objects.filter(subscriber=person, mailing_list=news).exists()  # what she agreed to, kept
    [confirm] = _confirm_paths()
    Client().get(confirm)
    assert _status() == "unsubscribed"  # opening the email's link confirms nothing either
    with run_after_commit():
        Client().post(confirm)
    assert _status() == "active"


def test_it_never_reactivates_without_her_confirmation_however_the_page_is_posted(news, run_after_commit):
    person = make_subscriber("amal@example.org")
    link = _left(person, news)

    with run_after_commit():
        for data in ({"resubscribe": "1"}, {"resubscribe": "1"}, {"resubscribe": "active"}, {"undo": "forged"},
                     {"resubscribe": "1", "undo": "forged"}, {"status": "active"}):
            Client().post(link, data)
        Client().get(link)

    assert _status() == "unsubscribed"
    assert len(_confirm_paths()) == 1  # a second ask within the window waits: one email, never more


def test_it_says_there_is_nothing_to_do_for_a_subscription_that_is_active(news, run_after_commit):
    person = make_subscriber("amal@example.org")
    subscribe(person, news)
    link = _path(tokens.unsubscribe_url(subscriber_id=person.id, list_id=news.id))

    with run_after_commit():
        page = Client().post(link, {"resubscribe": "1"}).content.decode()

    assert "nothing to do here" in page and _status() == "active" and not mail.outbox


def test_it_sends_nothing_to_an_address_suppressed_for_a_complaint(news, run_after_commit):
    person = make_subscriber("amal@example.org")
    link = _left(person, news)
    services.suppression_add(email="amal@example.org", reason="complaint")

    with run_after_commit():
        page = Client().post(link, {"resubscribe": "1"}).content.decode()

    assert "We cannot send a confirmation email" in page and not mail.outbox and _status() == "unsubscribed"


def test_it_refuses_a_forged_link(news):
    _left(make_subscriber("amal@example.org"), news)

    response = Client().post("/u/not-a-real-token/", {"resubscribe": "1"})

    assert response.status_code == 400 and _status() == "unsubscribed" and not mail.outbox


def test_it_answers_in_arabic_for_an_arabic_reader(news):
    link = _left(make_subscriber("nour@example.org", language="ar"), news)

    page = Client().get(link).content.decode()

    assert "الاشتراك من جديد" in page and 'dir="rtl"' in page
