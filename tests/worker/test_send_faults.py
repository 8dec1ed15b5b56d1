"""Crash and outage tests with real worker and beat processes: the send always ends with an honest account."""

import threading

import pytest
import redis
from django.conf import settings

from newsletter.models import Digest
from subscribers.emails import email_hash
from subscribers.models import Suppression
from subscribers.tokens import unsubscribe_url
from tests.support.fake_mailgun import FakeMailgun
from tests.support.processes import start_beat, start_worker, wait_until
from tests.support.smtp_sink import SmtpSink
from tests.worker.factories import make_audience, make_digest, make_list
from tests.worker.test_send_mailgun import FAST, wait_for_finish
from worker.models import Batch, Delivery
from worker.planning import digests_claim_due
from worker.selectors import digest_account, digest_cost, uncertain_batches

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

RECOVERY = {**FAST, "SEND_BATCH_SIZE": "100", "SEND_SUBMITTING_TIMEOUT": "3"}


def blocking_call(number: int, release: threading.Event):
    """A responder that holds provider call `number` until `release` is set, then accepts it."""

    def responder(call: int):
        if call == number:
            release.wait(timeout=60)
        return None

    return responder


def test_it_finishes_after_the_worker_is_killed_mid_call_and_reports_the_unknown_batch_uncertain(tmp_path):
    mailing_list = make_list()
    subscribers = make_audience(mailing_list, 1000)
    digest = make_digest(mailing_list)
    release = threading.Event()
    with FakeMailgun(responder=blocking_call(3, release)) as fake:
        first = start_worker(tmp_path, name="w1", **RECOVERY, **fake.env())
        digests_claim_due()
        wait_until(lambda: fake.calls >= 3, timeout=60, what="the third provider call")
        first.kill()  # SIGKILL to the whole process group while the provider holds the request
        release.set()  # the provider accepts the request the dead worker made: its recipients do get mail
        second = start_worker(tmp_path, name="w2", **RECOVERY, **fake.env())
        beat = start_beat(tmp_path, **RECOVERY, **fake.env())
        try:
            wait_for_finish(digest, second, beat)
        finally:
            beat.stop()
            second.stop()

    received = fake.by_recipient()
    assert all(len(messages) == 1 for messages in received.values()), "somebody got two copies"
    statuses = dict(Delivery.objects.filter(digest=digest).values_list("subscriber_id", "status"))
    for subscriber in subscribers:
        if subscriber.email not in received:
            assert statuses[subscriber.id] == Delivery.Status.UNCERTAIN, subscriber.email
    assert digest.status == Digest.Status.SENT
    assert digest_account(digest_id=digest.id) | {"pending": 0} == {
        "sent": 900, "failed": 0, "uncertain": 100, "skipped": 0, "pending": 0, "total": 1000}
    [unknown] = uncertain_batches(digest_id=digest.id)
    assert unknown.status == Batch.Status.UNCERTAIN and unknown.uncertain == 100
    assert len(received) == 1000  # the provider had them all: nobody was lost, nobody was mailed twice


def test_it_finishes_after_redis_is_flushed_in_the_middle_of_a_send(tmp_path):
    mailing_list = make_list()
    subscribers = make_audience(mailing_list, 1000)
    digest = make_digest(mailing_list)
    release = threading.Event()
    with FakeMailgun(responder=blocking_call(2, release)) as fake:
        worker = start_worker(tmp_path, **RECOVERY, **fake.env())
        beat = start_beat(tmp_path, **RECOVERY, **fake.env())
        try:
            digests_claim_due()
            wait_until(lambda: fake.calls >= 2, timeout=60, what="the second provider call")
            queued = redis.Redis.from_url(settings.REDIS_URL).llen("bulk")
            redis.Redis.from_url(settings.REDIS_URL).flushdb()  # every queued poke is gone
            release.set()
            wait_for_finish(digest, worker, beat)
        finally:
            release.set()
            beat.stop()
            worker.stop()

    assert queued > 0
    assert digest.status == Digest.Status.SENT
    received = fake.by_recipient()
    assert sorted(received) == sorted(s.email for s in subscribers)
    assert all(len(messages) == 1 for messages in received.values())
    assert digest_account(digest_id=digest.id)["sent"] == 1000


def test_it_sends_one_message_per_recipient_over_smtp_and_suppresses_a_refused_address(tmp_path):
    mailing_list = make_list()
    subscribers = make_audience(mailing_list, 300)
    refused = subscribers[150]
    digest = make_digest(mailing_list)
    with SmtpSink(refuse={refused.email}) as sink:
        worker = start_worker(tmp_path, **RECOVERY, **sink.env())
        try:
            digests_claim_due()
            wait_for_finish(digest, worker)
        finally:
            worker.stop()

    received = sink.by_recipient()
    assert refused.email not in received
    for subscriber in subscribers:
        if subscriber.id == refused.id:
            continue
        [message] = received[subscriber.email]
        link = unsubscribe_url(subscriber_id=subscriber.id, list_id=mailing_list.id, digest_id=digest.id)
        assert message.headers["List-Unsubscribe"] == f"<{link}>"
        assert message.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert message.headers["Message-ID"].startswith(f"<digest-{digest.id}.delivery-")
        assert message.headers["Feedback-ID"].startswith(f"digest-{digest.id}:")
        assert link in message.text and f'href="{link}"' in message.html
    assert sink.sessions == 3  # one reused connection per batch of 100
    failed = Delivery.objects.get(digest=digest, subscriber=refused)
    assert failed.status == Delivery.Status.FAILED and "550" in failed.error
    assert Suppression.objects.filter(email_hash=email_hash(refused.email), reason=Suppression.Reason.REJECTED).exists()
    assert digest_account(digest_id=digest.id)["sent"] == 299
    assert digest_cost(digest_id=digest.id)["provider_calls"] == 300


# --- With the production timeouts: faults cost seconds, not SEND_SUBMITTING_TIMEOUT ------------------------
# SEND_SUBMITTING_TIMEOUT stays at its production 300 s; each test waits at most 120 s, so finishing at all
# shows the claim was settled without that timeout (docs/decisions/0010-claims-and-dead-workers.md).
PRODUCTION_TIMEOUT = {**FAST, "SEND_BATCH_SIZE": "100", "SEND_SUBMITTING_TIMEOUT": "300", "SEND_WORKER_LIVENESS_TTL": "2"}


def test_it_settles_the_claim_of_a_killed_worker_at_once_not_after_the_submitting_timeout(tmp_path):
    mailing_list = make_list()
    make_audience(mailing_list, 1000)
    digest = make_digest(mailing_list)
    release = threading.Event()
    with FakeMailgun(responder=blocking_call(3, release)) as fake:
        first = start_worker(tmp_path, name="w1", **PRODUCTION_TIMEOUT, **fake.env())
        digests_claim_due()
        wait_until(lambda: fake.calls >= 3, timeout=60, what="the third provider call")
        first.kill()  # SIGKILL while the provider holds the request: its claim is never given back
        release.set()
        second = start_worker(tmp_path, name="w2", **PRODUCTION_TIMEOUT, **fake.env())
        beat = start_beat(tmp_path, **PRODUCTION_TIMEOUT, **fake.env())
        try:
            wait_for_finish(digest, second, beat, timeout=120)
        finally:
            beat.stop()
            second.stop()

    assert all(len(messages) == 1 for messages in fake.by_recipient().values()), "somebody got two copies"
    assert digest_account(digest_id=digest.id) | {"pending": 0} == {
        "sent": 900, "failed": 0, "uncertain": 100, "skipped": 0, "pending": 0, "total": 1000}
    [unknown] = uncertain_batches(digest_id=digest.id)
    assert "lost during the provider call" in unknown.error


def test_it_keeps_every_accepted_answer_when_the_database_drops_the_workers_right_after_a_provider_call(tmp_path):
    from tests.proof.test_fault_injection import CallGate, _cut_connections

    mailing_list = make_list()
    subscribers = make_audience(mailing_list, 1000)
    digest = make_digest(mailing_list)
    gate = CallGate(hold_calls={3})
    cut = 0
    with FakeMailgun(responder=gate) as fake:
        worker = start_worker(tmp_path, concurrency=2, **PRODUCTION_TIMEOUT, **fake.env())
        beat = start_beat(tmp_path, **PRODUCTION_TIMEOUT, **fake.env())
        try:
            wait_until(lambda: 3 in gate.arrived, timeout=90, what="the third provider call")
            cut += _cut_connections()
            gate.release()  # the provider accepts; the worker comes back into a dead connection
            for _ in range(20):  # and the database keeps dropping everybody for a moment
                cut += _cut_connections()
                threading.Event().wait(0.1)
            wait_for_finish(digest, worker, beat, timeout=120)
        finally:
            gate.release()
            beat.stop()
            worker.stop()

    assert cut > 0
    received = fake.by_recipient()
    assert sorted(received) == sorted(s.email for s in subscribers)
    assert all(len(messages) == 1 for messages in received.values())
    # The worker held every answer until the database took it: nobody who was accepted is "uncertain".
    assert digest_account(digest_id=digest.id) | {"pending": 0} == {
        "sent": 1000, "failed": 0, "uncertain": 0, "skipped": 0, "pending": 0, "total": 1000}
    assert Batch.objects.filter(digest=digest, crashes__gt=0).count() == 0
