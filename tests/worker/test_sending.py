import smtplib
import uuid

import pytest
import requests
import time_machine
from anymail.exceptions import AnymailAPIError, AnymailRequestsAPIError
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection
from django.utils import timezone

from newsletter.models import Digest
from subscribers.models import Subscriber, Suppression
from subscribers.services import subscription_unsubscribe, suppression_add
from subscribers.tokens import preferences_url, unsubscribe_url
from tests.support.concurrency import run_together
from tests.worker.factories import claim_batch, make_audience, make_digest, make_list, make_variant
from worker import sql as worker_sql
from worker.models import Batch, Delivery, DigestSend
from worker.planning import audience_plan
from worker.recovery import sends_reconcile
from worker.selectors import digest_account, digest_cost
from worker.sending import Outcome, batch_send, classify

pytestmark = [pytest.mark.django_db]


def planned_digest(count: int, *, batch_size: int = 100, **digest_fields):
    mailing_list = make_list()
    subscribers = make_audience(mailing_list, count)
    digest = make_digest(mailing_list, status=Digest.Status.SENDING, **digest_fields)
    batch_ids = audience_plan(digest=digest, variants=[make_variant(digest)], batch_size=batch_size).batch_ids
    DigestSend.objects.create(digest=digest)
    return digest, subscribers, batch_ids


def test_it_sends_each_recipient_her_own_message_with_personal_links_and_list_headers():
    digest, subscribers, [batch_id] = planned_digest(3)
    before = timezone.now()

    outcome = batch_send(batch_id=batch_id)

    assert (outcome.outcome, outcome.sent, outcome.one_by_one) == (Outcome.SENT, 3, True)
    assert len(mail.outbox) == 3
    by_address = {m.to[0]: m for m in mail.outbox}
    for subscriber in subscribers:
        message = by_address[subscriber.email]
        link = unsubscribe_url(subscriber_id=subscriber.id, list_id=digest.mailing_list_id, digest_id=digest.id)
        html = message.alternatives[0][0]
        assert link in message.body and f'href="{link}"' in html
        assert preferences_url(subscriber_id=subscriber.id) in message.body
        assert f"Hello {subscriber.name}" in message.body
        assert "%%" not in message.body and "%%" not in html
        headers = message.extra_headers
        assert headers["List-Unsubscribe"] == f"<{link}>"
        assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert headers["List-Id"].endswith(f"<{digest.mailing_list.slug}.lists.mg.example.org>")
        assert headers["Feedback-ID"] == f"digest-{digest.id}:{digest.mailing_list.slug}:mmm"
        delivery = Delivery.objects.get(digest=digest, subscriber=subscriber)
        assert headers["Message-ID"] == f"<digest-{digest.id}.delivery-{delivery.id}@mg.example.org>"
        assert message.metadata == {"digest_id": digest.id, "delivery_id": delivery.id}
        assert delivery.status == Delivery.Status.SENT and delivery.provider_message_id == headers["Message-ID"]
        assert before <= delivery.sent_at <= timezone.now()
    digest.refresh_from_db()
    assert digest.status == Digest.Status.SENT
    assert digest_account(digest_id=digest.id) | {"total": 3} == {"sent": 3, "failed": 0, "uncertain": 0, "skipped": 0,
                                                                   "pending": 0, "total": 3}
    assert digest_cost(digest_id=digest.id)["provider_calls"] == 3


def _delivery_updates() -> tuple[int, int]:
    """(rows updated, of which HOT) in worker_delivery by the current transaction (the test's)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_get_xact_tuples_updated('worker_delivery'::regclass), "
                       "pg_stat_get_xact_tuples_hot_updated('worker_delivery'::regclass)")
        return cursor.fetchone()


def test_it_marks_deliveries_sent_in_place_without_writing_index_entries():
    mailing_list = make_list()
    make_audience(mailing_list, 120)
    digest = make_digest(mailing_list, status=Digest.Status.SENDING)
    DigestSend.objects.create(digest=digest)
    plan = audience_plan(digest=digest, variants=[make_variant(digest)], batch_size=60)
    updated_before, hot_before = _delivery_updates()

    for batch_id in plan.batch_ids:
        batch_send(batch_id=batch_id)

    updated, hot = _delivery_updates()
    assert Delivery.objects.filter(digest=digest, status=Delivery.Status.SENT).count() == 120
    # Every row marked sent was a HOT update: no index holds status, and the page had room for the new version.
    assert (updated - updated_before, hot - hot_before) == (120, 120)


def test_it_escapes_a_name_in_the_html_part_but_not_in_the_text():
    digest, [subscriber], [batch_id] = planned_digest(1)
    subscriber.name = "Ana <b>&</b>"
    subscriber.save()

    batch_send(batch_id=batch_id)

    [message] = mail.outbox
    assert "Hello Ana <b>&</b>" in message.body
    assert "Hello Ana &lt;b&gt;&amp;&lt;/b&gt;" in message.alternatives[0][0]


def test_it_skips_recipients_who_left_or_were_suppressed_after_planning():
    digest, subscribers, [batch_id] = planned_digest(4)
    subscription_unsubscribe(subscriber_id=subscribers[0].id, list_id=digest.mailing_list_id, source="test")
    suppression_add(email=subscribers[1].email, reason=Suppression.Reason.HARD_BOUNCE)

    batch_send(batch_id=batch_id)

    assert sorted(m.to[0] for m in mail.outbox) == sorted(s.email for s in subscribers[2:])
    skipped = Delivery.objects.filter(digest=digest, status=Delivery.Status.SKIPPED)
    assert set(skipped.values_list("subscriber_id", flat=True)) == {subscribers[0].id, subscribers[1].id}
    assert digest_account(digest_id=digest.id)["skipped"] == 2


def test_it_refuses_a_header_injection_and_sends_nothing():
    digest, _, [batch_id] = planned_digest(2)
    digest.variants.update(subject="Hello\r\nBcc: victim@example.org")

    outcome = batch_send(batch_id=batch_id)

    assert outcome.outcome == Outcome.FAILED and outcome.reason.startswith("Refused before sending")
    assert mail.outbox == []
    assert Batch.objects.get(pk=batch_id).status == Batch.Status.FAILED
    assert set(Delivery.objects.filter(digest=digest).values_list("status", flat=True)) == {Delivery.Status.FAILED}
    digest.refresh_from_db()
    assert digest.status == Digest.Status.FAILED


def test_it_does_not_send_batches_of_a_paused_digest_and_skips_those_of_a_cancelled_one():
    digest, _, [batch_id] = planned_digest(2)
    Digest.objects.filter(pk=digest.id).update(status=Digest.Status.PAUSED)

    assert batch_send(batch_id=batch_id).outcome == Outcome.NOT_CLAIMED
    assert Batch.objects.get(pk=batch_id).status == Batch.Status.PENDING

    Digest.objects.filter(pk=digest.id).update(status=Digest.Status.CANCELLED)
    assert batch_send(batch_id=batch_id).outcome == Outcome.NOT_CLAIMED
    assert Batch.objects.get(pk=batch_id).status == Batch.Status.CANCELLED
    assert set(Delivery.objects.filter(digest=digest).values_list("status", flat=True)) == {Delivery.Status.SKIPPED}
    assert mail.outbox == []


def test_it_does_not_claim_a_batch_before_its_backoff_is_over():
    _, _, [batch_id] = planned_digest(1)
    Batch.objects.filter(pk=batch_id).update(next_attempt_at=timezone.now() + timezone.timedelta(seconds=60))

    assert claim_batch(batch_id=batch_id) is None


def _claim(*, batch_id: int) -> str | None:
    """The claim alone, as claim_work runs it where one statement cannot also read the work (SQLite)."""
    token = uuid.uuid4().hex
    return token if worker_sql.claim(batch_id=batch_id, token=token, claimer="", now=timezone.now()) else None


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("claim", [_claim, claim_batch], ids=["claim", "claim_work"])
def test_it_lets_only_one_of_two_workers_claim_the_same_batch(claim):
    _, _, [batch_id] = planned_digest(2)
    tokens = run_together(lambda: claim(batch_id=batch_id), times=2)
    assert len(tokens) == 2 and tokens.count(None) == 1
    batch = Batch.objects.get(pk=batch_id)
    assert batch.status == Batch.Status.SUBMITTING and batch.claim_token in tokens and batch.attempts == 1


def test_it_claims_a_batch_and_reads_its_work_in_one_go_and_only_once():
    digest, _, [batch_id] = planned_digest(2)
    variant = digest.variants.get()

    work = worker_sql.claim_work(batch_id=batch_id, token="a" * 32, claimer="", now=timezone.now())
    again = worker_sql.claim_work(batch_id=batch_id, token="b" * 32, claimer="", now=timezone.now())

    assert (work.id, work.digest_id, work.language) == (batch_id, digest.id, variant.language)
    assert (work.subject, work.html, work.text) == (variant.subject, variant.html, variant.text)
    assert (work.mailing_list.id, work.mailing_list.slug) == (digest.mailing_list_id, digest.mailing_list.slug)
    assert work == worker_sql.work(batch_id=batch_id)
    assert again is None
    batch = Batch.objects.get(pk=batch_id)
    assert (batch.status, batch.claim_token, batch.attempts) == (Batch.Status.SUBMITTING, "a" * 32, 1)


def _api_error(status: int, retry_after: str | None = None) -> AnymailRequestsAPIError:
    """What anymail's HTTP backends raise for an error answer (it is also a requests exception)."""
    response = requests.Response()
    response.status_code = status
    response.reason = "x"
    response._content = b"{}"
    if retry_after:
        response.headers["Retry-After"] = retry_after
    return AnymailRequestsAPIError("provider said no", response=response)


def test_it_retries_429_and_5xx_honouring_retry_after_and_fails_other_4xx():
    assert classify(_api_error(429, "7")).kind == "retry"
    assert classify(_api_error(429, "7")).retry_after == 7
    assert classify(_api_error(503)).kind == "retry"
    assert classify(_api_error(400)).kind == "batch"
    assert classify(_api_error(401)).kind == "batch"
    unreadable = AnymailAPIError("unreadable 200 answer", status_code=200, response=_api_error(200).response)
    assert classify(unreadable).kind == "uncertain"


def test_it_calls_a_lost_answer_uncertain_but_retries_a_connection_that_never_opened():
    # anymail raises a class that is both AnymailRequestsAPIError and the requests exception it caught.
    refused = type("AnymailRequestsAPIError", (AnymailRequestsAPIError, requests.ConnectionError), {})("Connection refused")
    read_timeout = type("AnymailRequestsAPIError", (AnymailRequestsAPIError, requests.ReadTimeout), {})("read timed out")
    assert classify(refused).kind == "retry"
    assert classify(read_timeout).kind == "uncertain"
    assert classify(smtplib.SMTPServerDisconnected("gone")).kind == "uncertain"
    permanent = classify(smtplib.SMTPRecipientsRefused({"a@x.org": (550, b"no such user")}))
    assert (permanent.kind, permanent.permanent) == ("recipient", True)
    assert classify(smtplib.SMTPRecipientsRefused({"a@x.org": (450, b"try later")})).permanent is False


def test_it_fails_only_the_recipient_whose_address_holds_a_line_break():
    digest, subscribers, [batch_id] = planned_digest(3)
    Subscriber.objects.filter(pk=subscribers[1].pk).update(email="bad@example.org\nBcc: victim@example.org")

    batch_send(batch_id=batch_id)

    assert sorted(m.to[0] for m in mail.outbox) == sorted([subscribers[0].email, subscribers[2].email])
    bad = Delivery.objects.get(digest=digest, subscriber=subscribers[1])
    assert bad.status == Delivery.Status.FAILED and "line break" in bad.error


class Unavailable(BaseEmailBackend):
    """A provider answering 503 with Retry-After: 120 to every call."""

    def send_messages(self, email_messages):
        raise _api_error(503, "120")


def test_it_backs_off_for_the_retry_after_and_leaves_the_next_poke_to_the_reconcile_scan(settings):
    settings.EMAIL_BACKEND = "tests.worker.test_sending.Unavailable"
    settings.SEND_RETRY_BASE = 1
    _, _, [batch_id] = planned_digest(2)

    outcome = batch_send(batch_id=batch_id)

    batch = Batch.objects.get(pk=batch_id)
    assert (outcome.outcome, outcome.delay, batch.status) == (Outcome.RETRY, 120.0, Batch.Status.PENDING)
    assert batch.poked_at is None and batch.next_attempt_at > timezone.now() + timezone.timedelta(seconds=110)
    assert set(Delivery.objects.filter(batch_id=batch_id).values_list("status", flat=True)) == {Delivery.Status.PENDING}
    assert sends_reconcile()["repoked"] == 0
    with time_machine.travel(timezone.now() + timezone.timedelta(seconds=121), tick=False):
        assert sends_reconcile()["repoked"] == 1


class Overloaded(BaseEmailBackend):
    """A provider answering 503 without Retry-After to every call."""

    def send_messages(self, email_messages):
        raise _api_error(503)


def test_it_backs_off_a_batch_doubling_per_attempt_up_to_the_cap(settings):
    settings.EMAIL_BACKEND = "tests.worker.test_sending.Overloaded"
    settings.SEND_RETRY_BASE, settings.SEND_RETRY_MAX = 40, 100
    _, _, [first, second] = planned_digest(4, batch_size=2)
    Batch.objects.filter(pk=second).update(attempts=2)  # its third attempt: 40 * 4, above the cap

    results = [batch_send(batch_id=first), batch_send(batch_id=second)]

    assert [(r.outcome, r.delay) for r in results] == [(Outcome.RETRY, 40.0), (Outcome.RETRY, 100.0)]


def test_it_gives_up_after_the_last_attempt_and_says_why(settings):
    settings.EMAIL_BACKEND = "tests.worker.test_sending.Unavailable"
    settings.SEND_MAX_ATTEMPTS = 1
    digest, _, [batch_id] = planned_digest(2)

    outcome = batch_send(batch_id=batch_id)

    assert outcome.outcome == Outcome.FAILED and outcome.reason.startswith("Gave up after 1 attempts")
    assert Batch.objects.get(pk=batch_id).status == Batch.Status.FAILED
    digest.refresh_from_db()
    assert digest.status == Digest.Status.FAILED and digest.status_detail == "0 sent, 2 failed, 0 uncertain, 0 skipped"


def test_it_refuses_a_sender_name_carrying_a_header_injection():
    digest, _, [batch_id] = planned_digest(2)
    digest.mailing_list.from_name = "News\r\nBcc: victim@example.org"
    digest.mailing_list.save()

    outcome = batch_send(batch_id=batch_id)

    assert outcome.outcome == Outcome.FAILED and "line break refused in the 'From' header" in outcome.reason
    assert mail.outbox == []


def test_it_gives_a_batch_back_without_using_an_attempt_when_the_rate_limit_wait_is_long(settings):
    from worker import ratelimit

    settings.SEND_RATE_PER_SECOND = 1
    ratelimit.reserve(provider="locmem", count=60, rate_per_second=1)  # other workers took the next minute
    _, _, [batch_id] = planned_digest(2)

    outcome = batch_send(batch_id=batch_id)

    batch = Batch.objects.get(pk=batch_id)
    assert (outcome.outcome, outcome.reason) == (Outcome.RETRY, "rate limit")
    assert (batch.status, batch.attempts) == (Batch.Status.PENDING, 0)
    # Slots are reserved at most MAX_COUNTDOWN ahead: it asks again when its turn is that near.
    assert batch.next_attempt_at > timezone.now() + timezone.timedelta(seconds=25)
    assert batch.rate_slot_at is None
    assert mail.outbox == []
