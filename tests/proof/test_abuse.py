"""Abuse: a bot hammering the subscribe form for one victim, people probing for addresses, forged links,
forged provider webhooks, and password guessing on the admin login."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import uuid

import pytest
from django.contrib.auth import get_user_model
from django.core import mail, signing
from django.core.cache import cache
from django.test import Client

from subscribers import tokens
from subscribers.emails import email_hash
from subscribers.models import ConsentRecord, EmailEvent, MailingList, Subscriber, SubscribeRequest, Subscription, Suppression
from subscribers.services import subscriber_erase, suppression_add
from tests.support.organisations import default_organisation

pytestmark = pytest.mark.django_db

CSRF_INPUT = re.compile(rb'<input type="hidden" name="csrfmiddlewaretoken" value="[^"]+">')


@pytest.fixture
def news():
    return MailingList.objects.create(name="MMM News", slug="news", from_name="Make Mothers Matter", from_email="news@mmm.org",
                                      organisation=default_organisation())


def _form(email: str, ip: str, **extra) -> dict:
    return {"email": email, "name": "", "language": "en", "lists": ["news"], "consent": "on", **extra}


def test_it_sends_one_confirmation_for_1000_requests_for_one_victim_from_1000_addresses(news, run_after_commit):
    victim_spellings = ["victim@example.org", "Victim@Example.org", " VICTIM@example.ORG "]
    statuses = set()
    client = Client()  # one client, many addresses: a new Client would load every middleware again
    with run_after_commit():
        for i in range(1000):
            ip = f"10.{i // 250}.{i % 250}.{1 + i % 7}"
            forwarded = f"198.51.100.{i % 250}"  # a header anyone can set: it must not matter
            email = victim_spellings[i % 3]
            if i % 2:
                response = client.post("/subscribe/", _form(email, ip), REMOTE_ADDR=ip, HTTP_X_FORWARDED_FOR=forwarded)
            else:
                body = json.dumps({"email": email, "lists": ["news"], "consent": True})
                response = client.post("/api/subscribe", body, content_type="application/json", REMOTE_ADDR=ip,
                                       HTTP_X_FORWARDED_FOR=forwarded)
            statuses.add(response.status_code)
    assert statuses <= {200, 202}
    assert [m.to for m in mail.outbox] == [["victim@example.org"]]
    assert Subscriber.objects.count() == 1 and Subscription.objects.get().status == "pending"
    assert ConsentRecord.objects.count() == 1  # one consent per email actually sent, not one per request
    # ... and the next one may go only an hour later: the window's key lives in Redis for 3,600 seconds
    key = cache.make_key(f"ratelimit:confirm-mail:{email_hash('victim@example.org')}:{news.id}")
    assert 3500 < cache._cache.get_client(key).ttl(key) <= 3600


def test_it_limits_one_client_address_whatever_x_forwarded_for_claims(news, settings):
    settings.SUBSCRIBE_PER_IP_LIMIT = 5
    codes = [
        Client().post("/subscribe/", _form(f"p{i}@example.org", "10.9.9.9"), REMOTE_ADDR="10.9.9.9",
                      HTTP_X_FORWARDED_FOR=f"203.0.113.{i}").status_code
        for i in range(8)
    ]
    assert codes == [200] * 5 + [429] * 3
    assert SubscribeRequest.objects.count() == 5  # only the requests let through are kept


def test_it_gives_no_hint_whether_an_address_is_known_suppressed_or_erased(news, run_after_commit):
    known = Subscriber.objects.create(email="active@example.org")
    Subscription.objects.create(subscriber=known, mailing_list=news, status="active")
    suppression_add(email="complained@example.org", reason="complaint")
    erased = Subscriber.objects.create(email="erased@example.org")
    subscriber_erase(subscriber_id=erased.id)
    addresses = ["fresh@example.org", "active@example.org", "complained@example.org", "erased@example.org"]
    form_bodies, api_answers = set(), set()
    for n, email in enumerate(addresses):
        with run_after_commit():
            form = Client().post("/subscribe/", _form(email, "10.0.0.1"), REMOTE_ADDR=f"10.0.1.{n}")
            api = Client().post("/api/subscribe", json.dumps({"email": email, "lists": ["news"], "consent": True}),
                                content_type="application/json", REMOTE_ADDR=f"10.0.2.{n}")
        form_bodies.add((form.status_code, CSRF_INPUT.sub(b"", form.content)))
        api_answers.add((api.status_code, api.content))
    assert len(form_bodies) == 1 and len(api_answers) == 1
    # mail went only to the new address and to the erased person coming back through her own opt-in
    assert sorted(m.to[0] for m in mail.outbox) == ["erased@example.org", "fresh@example.org"]


def test_it_refuses_links_signed_with_another_secret_or_for_another_purpose(news, run_after_commit, settings):
    person = Subscriber.objects.create(email="person@example.org")
    Subscription.objects.create(subscriber=person, mailing_list=news, status="pending")
    real = {
        "confirm": tokens.make_confirm_token(subscriber_id=person.id, list_ids=[news.id]),
        "u": tokens.make_unsubscribe_token(subscriber_id=person.id, list_id=news.id),
        "preferences": tokens.make_preferences_token(subscriber_id=person.id),
    }
    with _other_secret(settings):
        stolen_key = {
            "confirm": tokens.make_confirm_token(subscriber_id=person.id, list_ids=[news.id]),
            "u": tokens.make_unsubscribe_token(subscriber_id=person.id, list_id=news.id),
            "preferences": tokens.make_preferences_token(subscriber_id=person.id),
        }
    # the same ids signed with the right key but Django's default salt (another purpose)
    plain = signing.Signer().sign(f"{person.id}.{news.id}")
    attempts = [f"/{path}/{stolen_key[path]}/" for path in real]
    attempts += [f"/{path}/{real[other]}/" for path in real for other in real if other != path]
    attempts += [f"/u/{plain}/", f"/preferences/{signing.Signer().sign(str(person.id))}/",
                 f"/confirm/{signing.dumps({'s': person.id, 'l': [news.id]})}/"]
    for url in attempts:
        with run_after_commit():
            response = Client().post(url, {"List-Unsubscribe": "One-Click", "unsubscribe_all": "1", "language": "fr"})
        assert response.status_code == 400, url
    person.refresh_from_db()
    assert Subscription.objects.get().status == "pending" and person.language == "en"
    assert mail.outbox == []


class _other_secret:
    """Sign with a key the site does not hold (an attacker's guess, or a leaked old key that was rotated)."""

    def __init__(self, settings):
        self.settings = settings

    def __enter__(self):
        self.saved = self.settings.SECRET_KEY
        self.settings.SECRET_KEY = "an-attackers-guess-of-the-secret-key-0123456789"

    def __exit__(self, *exc):
        self.settings.SECRET_KEY = self.saved


# --- Provider webhooks ------------------------------------------------------------------------------

SIGNING_KEY = "key-proof-signing-0123456789"
BASIC = "anymail:proof-webhook-secret"


def _mailgun_event(event: str, recipient: str, *, key: str = SIGNING_KEY, timestamp: int = 1_760_000_000) -> dict:
    token = uuid.uuid4().hex
    signature = hmac.new(key.encode(), f"{timestamp}{token}".encode(), hashlib.sha256).hexdigest()
    return {
        "signature": {"token": token, "timestamp": str(timestamp), "signature": signature},
        "event-data": {"event": event, "timestamp": timestamp, "id": uuid.uuid4().hex[:20], "recipient": recipient,
                       "severity": "permanent", "message": {"headers": {"message-id": "m@mg.example.org"}}},
    }


def _auth(credentials: str | None) -> dict:
    return {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(credentials.encode()).decode()} if credentials else {}


def test_it_changes_nothing_for_unsigned_wrongly_signed_or_tampered_webhooks_of_any_provider(news, settings):
    settings.ANYMAIL = {**settings.ANYMAIL, "WEBHOOK_SECRET": BASIC, "MAILGUN_WEBHOOK_SIGNING_KEY": SIGNING_KEY}
    reader = Subscriber.objects.create(email="reader@example.org")
    Subscription.objects.create(subscriber=reader, mailing_list=news, status="active")
    tampered = _mailgun_event("failed", "someone-else@example.org")
    tampered["event-data"]["recipient"] = "reader@example.org"  # the signature covers the token, the body is replayed
    tampered["signature"]["timestamp"] = "1760000001"
    attempts = [
        ("/anymail/mailgun/tracking/", _mailgun_event("complained", "reader@example.org"), None),
        ("/anymail/mailgun/tracking/", _mailgun_event("complained", "reader@example.org"), "anymail:guess"),
        ("/anymail/mailgun/tracking/", _mailgun_event("complained", "reader@example.org", key="key-guess"), BASIC),
        ("/anymail/mailgun/tracking/", tampered, BASIC),
        ("/anymail/postmark/tracking/", {"RecordType": "SpamComplaint", "Email": "reader@example.org", "ID": 1}, None),
        ("/anymail/postmark/tracking/", {"RecordType": "SpamComplaint", "Email": "reader@example.org", "ID": 2}, "x:y"),
        ("/anymail/resend/tracking/", {"type": "email.complained", "data": {"to": ["reader@example.org"]}}, None),
        ("/anymail/brevo/tracking/", {"event": "spam", "email": "reader@example.org"}, "anymail:nope"),
    ]
    for url, payload, credentials in attempts:
        settings.EMAIL_PROVIDER = url.split("/")[2]  # each provider's own checks, as when it is the configured one
        response = Client().post(url, json.dumps(payload), content_type="application/json", **_auth(credentials))
        assert response.status_code in (400, 401, 403), (url, credentials, response.status_code)
    assert not EmailEvent.objects.exists() and not Suppression.objects.exists()
    assert Subscription.objects.get().status == "active"


def test_it_ignores_unauthenticated_webhooks_when_no_webhook_secret_is_configured(news, settings):
    """A deployment that forgot WEBHOOK_SECRET must not act on forged complaints (anymail only warns)."""
    settings.ANYMAIL = {key: value for key, value in settings.ANYMAIL.items() if key != "WEBHOOK_SECRET"}
    settings.EMAIL_PROVIDER = "postmark"
    reader = Subscriber.objects.create(email="reader@example.org")
    Subscription.objects.create(subscriber=reader, mailing_list=news, status="active")
    payload = {"RecordType": "SpamComplaint", "Email": "reader@example.org", "ID": 42, "MessageID": "x",
               "BouncedAt": "2026-11-20T10:00:00Z", "Metadata": {}, "Tag": ""}
    Client().post("/anymail/postmark/tracking/", json.dumps(payload), content_type="application/json")
    assert not Suppression.objects.exists() and not EmailEvent.objects.exists()


# --- Admin login ------------------------------------------------------------------------------------


def _login(client: Client, username: str, password: str, ip: str = "10.1.1.1"):
    return client.post("/admin/login/?next=/admin/", {"username": username, "password": password}, REMOTE_ADDR=ip)


def _logged_in(response) -> bool:
    return response.status_code == 302 and response["Location"] == "/admin/"


def test_it_locks_an_account_after_five_wrong_passwords_even_for_the_right_one():
    get_user_model().objects.create_superuser("editor", "editor@example.org", "the-right-password-42")
    assert _logged_in(_login(Client(), "editor", "the-right-password-42"))
    for n in range(5):
        response = _login(Client(), "Editor", f"guess-{n}", ip=f"10.2.0.{n}")  # several addresses, any case
        assert response.status_code == 200 and "correct username and password" in response.content.decode()
    locked = _login(Client(), "editor", "the-right-password-42", ip="10.3.3.3")
    assert not _logged_in(locked)
    assert "correct username and password" in locked.content.decode()  # the same answer: no hint of the lock
    get_user_model().objects.create_superuser("other", "other@example.org", "other-password-42")
    assert _logged_in(_login(Client(), "other", "other-password-42", ip="10.3.3.3"))  # only that account is locked


def test_it_locks_out_one_address_guessing_many_usernames(settings):
    settings.LOGIN_LOCKOUT_IP_FAILURES = 10
    get_user_model().objects.create_superuser("editor", "editor@example.org", "the-right-password-42")
    for n in range(10):
        _login(Client(), f"user{n}", "123456", ip="10.6.6.6")
    assert not _logged_in(_login(Client(), "editor", "the-right-password-42", ip="10.6.6.6"))
    assert _logged_in(_login(Client(), "editor", "the-right-password-42", ip="10.7.7.7"))


def test_it_unlocks_when_the_window_ends_and_a_success_clears_the_count(settings):
    from django.core.cache import cache

    from config import login_lockout

    get_user_model().objects.create_superuser("editor", "editor@example.org", "the-right-password-42")
    for n in range(4):
        _login(Client(), "editor", f"guess-{n}")
    assert _logged_in(_login(Client(), "editor", "the-right-password-42"))  # success clears the username's count
    for n in range(4):
        _login(Client(), "editor", f"guess-{n}")
    assert _logged_in(_login(Client(), "editor", "the-right-password-42"))
    for n in range(5):
        _login(Client(), "editor", f"guess-{n}")
    assert not _logged_in(_login(Client(), "editor", "the-right-password-42"))
    cache.delete_many([key for key, _limit in login_lockout._keys(None, "editor")])  # what the TTL does after 15 minutes
    assert _logged_in(_login(Client(), "editor", "the-right-password-42"))
