import re

import pytest
from django.core import mail
from django.test import Client

from subscribers.models import ConsentRecord, Subscriber, Subscription, Suppression
from subscribers.services import suppression_add
from tests.subscribers.factories import make_list, make_subscriber, make_topic, subscribe

pytestmark = pytest.mark.django_db

CSRF_INPUT = re.compile(rb'<input type="hidden" name="csrfmiddlewaretoken" value="[^"]+">')


@pytest.fixture
def news():
    return make_list(name="MMM News", slug="news", from_name="Make Mothers Matter", from_email="news@mmm.org")


def _post(client, **fields):
    data = {"email": "new@example.org", "name": "", "language": "en", "lists": ["news"], "consent": "on"}
    data.update(fields)
    return client.post("/subscribe/", data, REMOTE_ADDR=fields.pop("ip", "10.0.0.1"))


def test_it_serves_the_subscribe_form_at_the_root_and_at_subscribe(news):
    for url in ("/", "/subscribe/"):
        response = Client().get(url)
        assert response.status_code == 200
        body = response.content.decode()
        assert 'name="email"' in body and 'name="consent"' in body and 'name="website"' in body
        assert "MMM News" in body


def test_it_shows_the_form_in_french_and_in_arabic_right_to_left(news):
    fr = Client().get("/subscribe/?lang=fr").content.decode()
    assert '<html lang="fr" dir="ltr">' in fr
    assert "Adresse e-mail" in fr
    ar = Client().get("/subscribe/", HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert '<html lang="ar" dir="rtl">' in ar
    assert "اشترك" in ar


def test_it_creates_a_pending_subscription_records_consent_and_mails_a_confirmation(news, run_after_commit):
    health = make_topic("health")
    with run_after_commit():
        response = _post(Client(), email=" New@Example.org ", name="Bot Spam http://spam.example", topics=["health"],
                         HTTP_USER_AGENT="Firefox")
    assert response.status_code == 200
    person = Subscriber.objects.get()
    assert (person.email, person.name) == ("new@example.org", "Bot Spam http://spam.example")  # kept, never mailed
    assert list(person.topics.all()) == [health]
    assert Subscription.objects.get().status == "pending"
    consent = ConsentRecord.objects.get()
    assert (consent.source, consent.ip_address, consent.mailing_list, consent.version) == ("form", "10.0.0.1", news, "2026-11-1")
    assert "unsubscribe at any time" in consent.text
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new@example.org"]
    assert "/confirm/" in message.body and "MMM News" in message.body
    # nothing the requester typed reaches the email
    assert "Bot Spam" not in message.body and "spam.example" not in message.subject + message.body


def test_it_answers_byte_identically_for_new_pending_active_and_unsubscribed_addresses(news, run_after_commit):
    subscribe(make_subscriber("active@example.org"), news)
    subscribe(make_subscriber("pending@example.org"), news, status="pending")
    subscribe(make_subscriber("gone@example.org"), news, status="unsubscribed")
    suppression_add(email="bounced@example.org", reason="hard_bounce")
    suppression_add(email="angry@example.org", reason="complaint")
    bodies = set()
    for email in ("new@example.org", "active@example.org", "pending@example.org", "gone@example.org", "bounced@example.org",
                  "angry@example.org"):
        with run_after_commit():
            response = _post(Client(), email=email)
        assert response.status_code == 200
        bodies.add(CSRF_INPUT.sub(b"", response.content))
    assert len(bodies) == 1
    # mail went only where there was something to confirm and nobody suppressed but for bouncing (docs/bounces.md)
    assert sorted(m.to[0] for m in mail.outbox) == ["bounced@example.org", "gone@example.org", "new@example.org",
                                                    "pending@example.org"]
    assert Subscription.objects.get(subscriber__email="gone@example.org").status == "unsubscribed"
    assert not Subscriber.objects.filter(email="angry@example.org").exists()


def test_it_sends_one_confirmation_for_fifty_requests_for_one_address(news, run_after_commit, settings):
    settings.SUBSCRIBE_PER_IP_LIMIT = 1000
    for i in range(50):
        with run_after_commit():
            response = _post(Client(), email="Repeat@example.org" if i % 2 else "repeat@example.org")
        assert response.status_code == 200
    assert len(mail.outbox) == 1
    assert Subscriber.objects.count() == 1


def test_it_limits_requests_per_ip_across_processes_through_redis(news, settings):
    settings.SUBSCRIBE_PER_IP_LIMIT = 3
    codes = [_post(Client(), email=f"p{i}@example.org").status_code for i in range(5)]
    assert codes == [200, 200, 200, 429, 429]
    assert _post(Client(), email="other@example.org", ip="10.0.0.2").status_code == 200


def test_it_ignores_bots_that_fill_the_honeypot_but_answers_the_same(news, run_after_commit):
    with run_after_commit():
        bot = _post(Client(), email="bot@example.org", website="http://spam.example")
    with run_after_commit():
        person = _post(Client(), email="person@example.org")
    assert bot.content == person.content
    assert not Subscriber.objects.filter(email="bot@example.org").exists()
    assert [m.to for m in mail.outbox] == [["person@example.org"]]


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"email": "not-an-address"}, "Enter a valid email address."),
        ({"email": "a" * 250 + "@example.org"}, "at most 254 characters"),
        ({"name": "n" * 201}, "at most 200 characters"),
        ({"lists": ["no-such-list"]}, "no-such-list is not a newsletter you can subscribe to."),
        ({"lists": []}, "Choose at least one newsletter."),
        ({"consent": ""}, "Please tick the box"),
        ({"name": "Eve\r\nBcc: victim@example.org"}, "line breaks"),
        ({"topics": ["nope"]}, "nope is not a known interest."),
    ],
)
def test_it_refuses_bad_input_with_a_clear_error_and_stores_nothing(news, run_after_commit, fields, error):
    with run_after_commit():
        response = _post(Client(), **fields)
    assert response.status_code == 400
    assert error in response.content.decode()
    assert not Subscriber.objects.exists() and not Subscription.objects.exists() and not ConsentRecord.objects.exists()
    assert mail.outbox == []


def test_it_does_not_offer_or_accept_private_lists(news, run_after_commit):
    make_list(name="Board only", slug="board", is_public=False)
    assert "Board only" not in Client().get("/subscribe/").content.decode()
    response = _post(Client(), lists=["board"])
    assert response.status_code == 400
    assert not Subscriber.objects.exists()


def test_it_leaves_an_existing_subscribers_profile_alone(news, run_after_commit):
    other = make_list(slug="other")
    person = make_subscriber("known@example.org", name="Real Name", language="fr")
    subscribe(person, news)
    with run_after_commit():
        _post(Client(), email="known@example.org", name="Someone Else", language="ar", lists=["news", "other"])
    person.refresh_from_db()
    assert (person.name, person.language) == ("Real Name", "fr")
    assert Subscription.objects.get(subscriber=person, mailing_list=other).status == "pending"
    assert Subscription.objects.get(subscriber=person, mailing_list=news).status == "active"
    assert len(mail.outbox) == 1 and "Le lien" in mail.outbox[0].body  # in her own language


def test_it_lets_an_erased_person_come_back_only_through_her_own_confirmation(news, run_after_commit):
    suppression_add(email="back@example.org", reason="erased")
    with run_after_commit():
        _post(Client(), email="back@example.org")
    assert len(mail.outbox) == 1
    assert Suppression.objects.filter(reason="erased").exists()  # still suppressed until she confirms
    url = re.search(r"http://\S+/confirm/\S+/", mail.outbox[0].body).group(0)
    path = url.split("://", 1)[1].split("/", 1)[1]
    with run_after_commit():
        Client().post("/" + path)
    assert not Suppression.objects.exists()
    assert Subscription.objects.get().status == "active"
