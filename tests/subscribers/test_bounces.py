"""Bounce classes (subscribers/bounces.py, docs/bounces.md) from realistic signed Mailgun payloads and Postmark
payloads, through anymail's real tracking views; expiring soft-bounce suppressions; re-subscription after a bounce."""

import base64
import json
import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone

from subscribers import sql
from subscribers.emails import email_hash
from subscribers.models import EmailEvent, Subscription, Suppression
from subscribers.selectors import audience_subscribers
from subscribers.services import suppression_add
from tests.subscribers.factories import make_list, make_subscriber, subscribe
from tests.subscribers.test_webhooks import BASIC, _payload, _post

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _anymail(settings):
    settings.EMAIL_PROVIDER = "mailgun"
    settings.ANYMAIL = {**settings.ANYMAIL, "WEBHOOK_SECRET": BASIC, "MAILGUN_WEBHOOK_SIGNING_KEY": "key-test-signing-0123456789"}


def _status(code: int, enhanced: str, message: str, description: str = "") -> dict:
    return {"delivery-status": {"code": code, "enhanced-code": enhanced, "message": message, "description": description,
                                "attempt-no": 1, "mx-host": "mx.example.net", "session-seconds": 0.4}}


# Mailgun `failed` events as its webhooks send them (event-data.reason, severity, delivery-status).
MAILGUN_CASES = {
    "unknown user": (dict(severity="permanent", reason="bounce", **_status(
        550, "5.1.1", "5.1.1 The email account that you tried to reach does not exist. Please try double-checking the "
        "recipient's email address for typos or unnecessary spaces. https://support.google.com/mail/?p=NoSuchUser")),
        "hard", "hard_bounce"),
    "no such domain": (dict(severity="permanent", reason="bounce", **_status(
        550, "5.1.2", "5.1.2 Host or domain name not found. Name service error for name=exampel.org type=A")),
        "hard", "hard_bounce"),
    "disabled mailbox": (dict(severity="permanent", reason="bounce", **_status(
        550, "5.2.1", "5.2.1 The email account that you tried to reach is disabled.")), "hard", "hard_bounce"),
    "previously bounced": (dict(severity="permanent", reason="suppress-bounce", **_status(
        605, "", "", "Not delivering to previously bounced address")), "hard", "hard_bounce"),
    "reputation block": (dict(severity="permanent", reason="espblock", **_status(
        550, "5.7.1", "5.7.1 [203.0.113.5] Our system has detected that this message is likely unsolicited mail.")),
        "block", None),
    "DMARC rejection": (dict(severity="permanent", reason="generic", **_status(
        550, "5.7.26", "5.7.26 Unauthenticated email from example.org is not accepted due to domain's DMARC policy.")),
        "block", None),
    "policy text without enhanced code": (dict(severity="permanent", reason="generic", **_status(
        554, "", "554 Message rejected: SPF check failed for sender domain")), "block", None),
    "retries exhausted on a full mailbox": (dict(severity="permanent", reason="old", **_status(
        452, "4.2.2", "4.2.2 The email account that you tried to reach is over quota.")), "soft", None),
    "deferral": (dict(severity="temporary", reason="generic", **_status(
        421, "4.4.2", "4.4.2 Connection dropped")), "soft", None),
}


@pytest.mark.parametrize("case", list(MAILGUN_CASES))
def test_it_classes_each_mailgun_failure_and_suppresses_only_what_the_mailbox_refused(case):
    event_data, expected_class, expected_reason = MAILGUN_CASES[case]
    assert _post(_payload("failed", "reader@example.org", **event_data)).status_code == 200

    assert EmailEvent.objects.get().bounce_class == expected_class
    suppression = Suppression.objects.filter(email_hash=email_hash("reader@example.org")).first()
    assert (suppression.reason if suppression else None) == expected_reason


def test_it_suppresses_for_ever_on_a_mailgun_complaint():
    _post(_payload("complained", "angry@example.org"))
    suppression = Suppression.objects.get()
    assert (suppression.reason, suppression.expires_at) == ("complaint", None)
    assert EmailEvent.objects.get().bounce_class == "complaint"


def test_it_never_suppresses_a_reader_for_blocks_however_many():
    for n in range(5):
        _post(_payload("failed", "gmail-reader@example.org", message_id=f"m{n}", timestamp=1_760_000_000 + n * 30 * 86_400,
                       **MAILGUN_CASES["reputation block"][0]))
    assert not Suppression.objects.exists()
    assert EmailEvent.objects.filter(bounce_class="block").count() == 5


# --- Postmark --------------------------------------------------------------------------------------------

def _postmark(body: dict):
    auth = "Basic " + base64.b64encode(BASIC.encode()).decode()
    return Client().post("/anymail/postmark/tracking/", json.dumps(body), content_type="application/json",
                         HTTP_AUTHORIZATION=auth)


def _postmark_bounce(kind: str, email: str, details: str, description: str, *, record: str = "Bounce", n: int = 1) -> dict:
    return {
        "RecordType": record, "ID": 4323372036854775807 + n, "Type": kind, "TypeCode": 1,
        "Name": kind, "Tag": "digest-12", "MessageID": f"883953f4-6105-42a2-a16a-77a8eac7{n:04d}",
        "Metadata": {"digest_id": "12", "delivery_id": str(340 + n)}, "ServerID": 23, "MessageStream": "broadcast",
        "Description": description, "Details": details, "Email": email, "From": "news@example.org",
        "BouncedAt": "2026-11-05T16:33:54.9070259Z", "DumpAvailable": True, "Inactive": kind == "HardBounce",
        "CanActivate": True, "Subject": "April news", "Content": "",
    }


@pytest.fixture
def _postmark_settings(settings):
    settings.EMAIL_PROVIDER = "postmark"


@pytest.mark.usefixtures("_postmark_settings")
@pytest.mark.parametrize(("body", "expected_class", "expected_reason"), [
    (_postmark_bounce("HardBounce", "gone@example.org", "smtp;550 5.1.1 The email account that you tried to reach does "
                      "not exist.", "The server was unable to deliver your message (ex: unknown user, mailbox not found)."),
     "hard", "hard_bounce"),
    (_postmark_bounce("HardBounce", "gone@example.org", "smtp;550 5.7.1 Service unavailable; client [203.0.113.5] "
                      "blocked using Spamhaus", "The server was unable to deliver your message."), "block", None),
    (_postmark_bounce("Blocked", "gone@example.org", "", "ISP block: the receiving server refused mail from this IP."),
     "block", None),
    (_postmark_bounce("Transient", "gone@example.org", "smtp;451 4.3.0 Temporary failure",
                      "The server could not temporarily deliver your message."), "soft", None),
    (_postmark_bounce("SpamComplaint", "gone@example.org", "", "The subscriber explicitly marked this message as spam.",
                      record="SpamComplaint"), "complaint", "complaint"),
], ids=["hard bounce", "5.7.1 in a hard bounce", "blocked", "transient", "complaint"])
def test_it_classes_postmark_bounces_the_same_way(body, expected_class, expected_reason):
    assert _postmark(body).status_code == 200

    assert EmailEvent.objects.get().bounce_class == expected_class
    suppression = Suppression.objects.filter(email_hash=email_hash("gone@example.org")).first()
    assert (suppression.reason if suppression else None) == expected_reason


# --- Expiry ------------------------------------------------------------------------------------------------

def test_it_mails_a_soft_bounced_reader_again_once_her_suppression_expires():
    news = make_list()
    person = make_subscriber("full@example.org")
    subscribe(person, news)
    recent = make_subscriber("recent@example.org")
    subscribe(recent, news)
    start = int(timezone.now().timestamp()) - 120 * 86_400
    full_mailbox = MAILGUN_CASES["retries exhausted on a full mailbox"][0]
    for address, days_ago in (("full@example.org", 100), ("recent@example.org", 0)):
        # three messages over 16 days; the third one `days_ago`: with the default 90-day expiry, lapsed or in force
        with time_machine.travel(timezone.now() - timedelta(days=days_ago), tick=False):
            for n, day in enumerate((0, 8, 16)):
                _post(_payload("failed", address, message_id=f"{address}-{n}", timestamp=start + day * 86_400,
                               **full_mailbox))
    assert Suppression.objects.filter(reason="soft_bounce").count() == 2

    # planning and the batch recheck read the same rule (the ORM query and the SQL compiled from it)
    assert list(audience_subscribers(list_id=news.id)) == [person]
    assert sql.suppression_reason(email_hash=person.email_hash) is None
    assert sql.suppression_reason(email_hash=recent.email_hash) == "soft_bounce"


def test_it_replaces_an_expired_suppression_with_the_next_one():
    with time_machine.travel(timezone.now() - timedelta(days=100), tick=False):
        suppression_add(email="full@example.org", reason="soft_bounce")
    Suppression.objects.update(expires_at=timezone.now() - timedelta(days=10))
    _post(_payload("failed", "full@example.org", **MAILGUN_CASES["unknown user"][0]))
    row = Suppression.objects.get()
    assert (row.reason, row.expires_at) == ("hard_bounce", None)


# --- Re-subscription -----------------------------------------------------------------------------------------

def _confirm_paths() -> list[str]:
    return [re.search(r"https?://\S+(/confirm/\S+/)", m.body).group(1) for m in mail.outbox if "/confirm/" in m.body]


def _request(email: str, lists: list[str]):
    data = {"email": email, "name": "", "language": "en", "lists": lists, "consent": "on"}
    return Client().post("/subscribe/", data, REMOTE_ADDR="10.0.0.7")


@pytest.mark.parametrize("status", ["active", "unsubscribed"])
def test_it_lifts_a_bounce_suppression_only_when_she_confirms_a_new_link(run_after_commit, status):
    news = make_list(slug="news")
    person = make_subscriber("back@example.org")
    subscribe(person, news, status=status)
    _post(_payload("failed", "back@example.org", **MAILGUN_CASES["unknown user"][0]))
    assert Suppression.objects.get().reason == "hard_bounce"
    mail.outbox.clear()

    with run_after_commit():
        assert _request("back@example.org", ["news"]).status_code == 200
    [path] = _confirm_paths()
    assert mail.outbox[0].to == ["back@example.org"]
    # the request, and scanners fetching the link, lift nothing
    assert Suppression.objects.exists()
    page = Client().get(path)
    assert page.status_code == 200 and b"<form" in page.content
    assert Suppression.objects.exists() and not audience_subscribers(list_id=news.id).exists()

    with run_after_commit():
        Client().post(path)
    assert not Suppression.objects.exists()
    assert Subscription.objects.get().status == "active"
    assert list(audience_subscribers(list_id=news.id)) == [person]


def test_it_never_lifts_a_bounce_with_a_link_made_before_the_bounce(run_after_commit):
    news = make_list(slug="news")
    person = make_subscriber("old-link@example.org")
    subscribe(person, news, status="pending")
    with run_after_commit():
        _request("old-link@example.org", ["news"])
    [old_path] = _confirm_paths()
    _post(_payload("failed", "old-link@example.org", **MAILGUN_CASES["disabled mailbox"][0]))

    with run_after_commit():
        Client().post(old_path)
    assert Suppression.objects.get().reason == "hard_bounce"
    assert not audience_subscribers(list_id=news.id).exists()


@pytest.mark.parametrize("reason", ["complaint", "manual", "rejected"])
def test_it_sends_nothing_and_lifts_nothing_for_a_suppression_no_confirmation_can_lift(run_after_commit, reason):
    news = make_list(slug="news")
    person = make_subscriber("kept-out@example.org")
    subscribe(person, news, status="unsubscribed")
    suppression_add(email="kept-out@example.org", reason=reason)
    before = Subscription.objects.values("status", "unsubscribed_at").get()

    with run_after_commit():
        response = _request("kept-out@example.org", ["news"])
    assert response.status_code == 200
    assert mail.outbox == []
    assert Suppression.objects.get().reason == reason
    assert Subscription.objects.values("status", "unsubscribed_at").get() == before


def test_it_keeps_a_complaint_that_arrived_after_a_bounce_when_she_confirms(run_after_commit):
    news = make_list(slug="news")
    person = make_subscriber("both@example.org")
    subscribe(person, news)
    _post(_payload("failed", "both@example.org", **MAILGUN_CASES["unknown user"][0]))
    with run_after_commit():
        _request("both@example.org", ["news"])
    [path] = _confirm_paths()
    _post(_payload("complained", "both@example.org"))  # a late complaint about an earlier digest

    with run_after_commit():
        Client().post(path)
    assert Suppression.objects.get().reason == "complaint"
    assert not audience_subscribers(list_id=news.id).exists()
