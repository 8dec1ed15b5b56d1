"""Provider webhooks through anymail's real Mailgun tracking view, with real signed payloads."""

import base64
import hashlib
import hmac
import json
import uuid
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from subscribers.emails import email_hash
from subscribers.models import EmailEvent, Subscription, Suppression
from tests.subscribers.factories import make_list, make_subscriber, subscribe

pytestmark = pytest.mark.django_db

SIGNING_KEY = "key-test-signing-0123456789"
BASIC = "anymail:s3cret-webhook"
URL = "/anymail/mailgun/tracking/"


@pytest.fixture(autouse=True)
def _anymail(settings):
    settings.EMAIL_PROVIDER = "mailgun"  # only the configured provider's webhooks answer
    settings.ANYMAIL = {**settings.ANYMAIL, "WEBHOOK_SECRET": BASIC, "MAILGUN_WEBHOOK_SIGNING_KEY": SIGNING_KEY}


def _payload(event: str, recipient: str, *, token: str | None = None, timestamp: float = 1_760_000_000.0,
             key: str = SIGNING_KEY, message_id: str = "msg-1@mg.example.org", **event_data) -> dict:
    token = token or uuid.uuid4().hex
    ts = str(int(timestamp))
    signature = hmac.new(key.encode(), f"{ts}{token}".encode(), hashlib.sha256).hexdigest()
    data = {
        "event": event,
        "timestamp": timestamp,
        "id": uuid.uuid4().hex[:20],
        "recipient": recipient,
        "message": {"headers": {"message-id": message_id}},
        "user-variables": {"digest_id": "12", "delivery_id": "345", "list_id": event_data.pop("list_id", "")},
    }
    data.update(event_data)
    return {"signature": {"token": token, "timestamp": ts, "signature": signature}, "event-data": data}


def _post(payload: dict, auth: str | None = BASIC):
    headers = {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(auth.encode()).decode()} if auth else {}
    return Client().post(URL, json.dumps(payload), content_type="application/json", **headers)


def test_it_suppresses_at_once_on_a_hard_bounce_and_stores_the_event_with_its_digest():
    response = _post(_payload("failed", "Gone@Example.org", severity="permanent", reason="bounce",
                              **{"delivery-status": {"description": "No such mailbox", "code": 550}}))
    assert response.status_code == 200
    suppression = Suppression.objects.get()
    assert suppression.email_hash == email_hash("gone@example.org")
    assert suppression.reason == "hard_bounce"
    event = EmailEvent.objects.get()
    assert (event.event_type, event.esp_name, event.digest_id, event.delivery_id) == ("bounced", "Mailgun", 12, 345)
    assert event.recipient_hash == email_hash("gone@example.org")
    assert event.message_id == "<msg-1@mg.example.org>"


def test_it_suppresses_at_once_on_a_complaint():
    _post(_payload("complained", "angry@example.org"))
    assert Suppression.objects.get().reason == "complaint"


DAY = 86_400


def test_it_suppresses_for_90_days_after_three_soft_bounces_over_15_days_on_different_messages():
    start = 1_760_000_000
    for at, message in [(0, "m1"), (60, "m1"), (DAY, "m2")]:  # two tries of m1 count as one message
        _post(_payload("failed", "full@example.org", severity="temporary", message_id=message, timestamp=start + at))
    assert not Suppression.objects.exists()
    _post(_payload("delivered", "full@example.org", message_id="m3", timestamp=start + 2 * DAY))
    for at, message in [(3 * DAY, "m4"), (4 * DAY, "m5"), (10 * DAY, "m6")]:
        _post(_payload("failed", "full@example.org", severity="temporary", message_id=message, timestamp=start + at))
    assert not Suppression.objects.exists()  # the delivery broke the first run; the second spans only 7 days
    _post(_payload("failed", "full@example.org", severity="temporary", message_id="m7", timestamp=start + 18 * DAY,
                   **{"delivery-status": {"code": 452, "enhanced-code": "4.2.2", "message": "4.2.2 Mailbox full"}}))
    suppression = Suppression.objects.get()
    assert suppression.reason == "soft_bounce"
    assert timedelta(days=89) < suppression.expires_at - timezone.now() <= timedelta(days=90)


def test_it_unsubscribes_from_the_list_the_provider_reports():
    news, other = make_list(), make_list()
    person = make_subscriber("reader@example.org")
    subscribe(person, news)
    subscribe(person, other)
    _post(_payload("unsubscribed", "reader@example.org", list_id=str(news.id)))
    assert Subscription.objects.get(mailing_list=news).status == "unsubscribed"
    assert Subscription.objects.get(mailing_list=news).unsubscribe_source == "provider"
    assert Subscription.objects.get(mailing_list=other).status == "active"
    _post(_payload("unsubscribed", "reader@example.org"))  # no list named: leave everything
    assert Subscription.objects.get(mailing_list=other).status == "unsubscribed"


def test_it_finds_the_list_from_the_digest_when_the_message_names_no_list():
    from newsletter.models import Digest

    news, other = make_list(), make_list()
    person = make_subscriber("reader@example.org")
    subscribe(person, news)
    subscribe(person, other)
    digest = Digest.objects.create(mailing_list=news, subject="April news")
    payload = _payload("unsubscribed", "reader@example.org")
    payload["event-data"]["user-variables"]["digest_id"] = str(digest.id)
    _post(payload)
    assert Subscription.objects.get(mailing_list=news).status == "unsubscribed"
    assert Subscription.objects.get(mailing_list=other).status == "active"


def test_it_stores_the_same_event_once_however_often_it_arrives():
    payload = _payload("opened", "fan@example.org", token="same-token")
    for _ in range(3):
        assert _post(payload).status_code == 200
    assert EmailEvent.objects.count() == 1


def test_it_counts_events_arriving_out_of_order_by_their_time():
    later_delivery = _payload("delivered", "x@example.org", message_id="m9", timestamp=1_760_000_100)
    bounces = [_payload("failed", "x@example.org", severity="temporary", message_id=f"m{n}", timestamp=1_760_000_000 + n)
               for n in range(3)]
    _post(later_delivery)
    for payload in bounces:
        _post(payload)
    assert not Suppression.objects.exists()  # the newest event is a delivery


@pytest.mark.parametrize(
    ("auth", "key"),
    [(None, SIGNING_KEY), ("anymail:wrong", SIGNING_KEY), (BASIC, "not-the-signing-key")],
)
def test_it_refuses_wrong_or_missing_credentials_and_writes_nothing(auth, key):
    response = _post(_payload("complained", "victim@example.org", key=key), auth=auth)
    assert response.status_code in (400, 401, 403)
    assert not EmailEvent.objects.exists() and not Suppression.objects.exists()


def test_it_refuses_a_body_of_the_wrong_json_type_before_reading_it():
    for body in ("null", "[1, 2]", '"text"'):
        response = Client().post(URL, body, content_type="application/json",
                                 HTTP_AUTHORIZATION="Basic " + base64.b64encode(BASIC.encode()).decode())
        assert response.status_code == 400
    assert not EmailEvent.objects.exists()


@pytest.mark.parametrize("event_data", [{}, {"event": {"nested": 1}}, {"event": ["failed"]}, {"event": "failed", "message": []}])
def test_it_answers_400_to_a_correctly_signed_but_malformed_body_and_writes_nothing(event_data):
    payload = _payload("failed", "x@example.org")
    payload["event-data"] = event_data
    response = _post(payload)
    assert response.status_code == 400
    assert not EmailEvent.objects.exists() and not Suppression.objects.exists()


def test_it_tolerates_odd_metadata_tags_and_recipient_shapes():
    payload = _payload("opened", "x@example.org")
    payload["event-data"].update({"user-variables": ["not", "a", "dict"], "tags": "digest-5", "recipient": {"a": 1}})
    assert _post(payload).status_code == 200
    event = EmailEvent.objects.get()
    assert (event.digest_id, event.recipient_hash) == (None, "")
