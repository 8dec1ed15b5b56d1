"""End to end through a real Celery worker (and beat), real Redis and PostgreSQL, and the real anymail
Mailgun backend talking HTTP to a local server that answers like Mailgun."""

import threading

import pytest

from newsletter.models import Digest
from subscribers.services import subscription_unsubscribe
from subscribers.tokens import unsubscribe_url
from tests.support.fake_mailgun import FakeMailgun
from tests.support.premailer import runs_counted
from tests.support.processes import start_beat, start_worker, wait_until
from tests.worker.factories import make_audience, make_digest, make_list
from worker.models import Batch, Delivery, DigestSend
from worker.planning import digests_claim_due
from worker.selectors import digest_account, digest_cost

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

FAST = {
    "SEND_RATE_PER_SECOND": "1000000",
    "SEND_SCAN_INTERVAL": "0.5",
    "SEND_RECONCILE_INTERVAL": "0.5",
    "SEND_REPOKE_AFTER": "2",
    "SEND_RETRY_BASE": "0.2",
    "SEND_RETRY_MAX": "2",
}


def wait_for_finish(digest: Digest, *processes, timeout: float = 120) -> Digest:
    def finished():
        for process in processes:
            assert process.proc.poll() is None, process.log_tail()
        digest.refresh_from_db()
        return digest.status in (Digest.Status.SENT, Digest.Status.FAILED, Digest.Status.CANCELLED)

    wait_until(finished, timeout=timeout, interval=0.25, what=f"digest {digest.id} to finish")
    return digest


def assert_each_received_once_with_her_own_link(fake: FakeMailgun, digest: Digest, subscribers) -> None:
    received = fake.by_recipient()
    deliveries = dict(Delivery.objects.filter(digest=digest).values_list("subscriber_id", "id"))
    assert len(received) == len(subscribers)
    for subscriber in subscribers:
        [message] = received[subscriber.email]
        link = unsubscribe_url(subscriber_id=subscriber.id, list_id=digest.mailing_list_id, digest_id=digest.id)
        assert f'href="{link}"' in message.html
        assert link in message.text
        assert message.headers["List-Unsubscribe"] == f"<{link}>"
        assert message.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert message.headers["Message-Id"] == f"<digest-{digest.id}.delivery-{deliveries[subscriber.id]}@mg.example.org>"
        assert message.variables == {"digest_id": str(digest.id), "delivery_id": str(deliveries[subscriber.id])}
        assert "%recipient." not in message.html and "%%" not in message.html


def test_it_sends_5000_recipients_exactly_once_in_batched_mailgun_calls(tmp_path):
    mailing_list = make_list()
    subscribers = make_audience(mailing_list, 5000)
    digest = make_digest(mailing_list)
    premailer_count = tmp_path / "premailer-runs"
    with FakeMailgun() as fake:
        worker = start_worker(tmp_path, concurrency=2, premailer_count=premailer_count, **FAST, **fake.env())
        beat = start_beat(tmp_path, **FAST, **fake.env())
        try:
            wait_for_finish(digest, worker, beat, timeout=180)
        finally:
            beat.stop()
            worker.stop()

    assert digest.status == Digest.Status.SENT, digest.status_detail
    assert_each_received_once_with_her_own_link(fake, digest, subscribers)
    assert fake.calls == fake.accepted_calls == 5
    send = DigestSend.objects.get(digest=digest)
    assert (digest_cost(digest_id=digest.id)["provider_calls"], runs_counted(premailer_count), send.total) == (5, 1, 5000)
    assert digest_account(digest_id=digest.id)["sent"] == 5000
    assert digest.status_detail == "5000 sent, 0 failed, 0 uncertain, 0 skipped"


def test_it_retries_calls_answered_429_or_500_and_still_sends_everyone_once(tmp_path):
    mailing_list = make_list()
    subscribers = make_audience(mailing_list, 600)
    digest = make_digest(mailing_list)
    faults = {1: (429, {"Retry-After": "1"}, {"message": "slow down"}), 2: (500, {}, {"message": "oops"}),
              4: (503, {}, {"message": "unavailable"}), 5: (429, {}, {"message": "slow down"})}
    with FakeMailgun(responder=faults.get) as fake:
        worker = start_worker(tmp_path, concurrency=2, SEND_BATCH_SIZE="100", **FAST, **fake.env())
        try:
            digests_claim_due()
            wait_for_finish(digest, worker)
        finally:
            worker.stop()

    assert digest.status == Digest.Status.SENT, digest.status_detail
    assert_each_received_once_with_her_own_link(fake, digest, subscribers)
    assert (fake.calls, fake.accepted_calls) == (10, 6)
    assert digest_cost(digest_id=digest.id)["provider_calls"] == 10
    retried = Batch.objects.filter(digest=digest, attempts__gt=1)
    assert retried.count() >= 2 and not Batch.objects.filter(digest=digest).exclude(status="submitted").exists()


def test_it_fails_a_batch_the_provider_refuses_with_a_4xx_and_says_why(tmp_path):
    mailing_list = make_list()
    make_audience(mailing_list, 150)
    digest = make_digest(mailing_list)
    # (A refusal naming an address splits the batch instead: tests/worker/test_send_merged_outcome.py.)
    faults = {1: (400, {}, {"message": "'from' parameter is missing"})}
    with FakeMailgun(responder=faults.get) as fake:
        worker = start_worker(tmp_path, SEND_BATCH_SIZE="100", **FAST, **fake.env())
        try:
            digests_claim_due()
            wait_for_finish(digest, worker)
        finally:
            worker.stop()

    account = digest_account(digest_id=digest.id)
    assert account["failed"] + account["sent"] == 150 and account["failed"] in (50, 100)
    failed = Batch.objects.get(digest=digest, status=Batch.Status.FAILED)
    assert "'from' parameter is missing" in failed.error and failed.attempts == 1
    assert len(fake.by_recipient()) == account["sent"]


def test_it_honours_an_unsubscribe_that_happens_during_the_send(tmp_path):
    mailing_list = make_list()
    subscribers = make_audience(mailing_list, 300)
    digest = make_digest(mailing_list)
    hold = threading.Event()
    with FakeMailgun(hold=hold) as fake:
        worker = start_worker(tmp_path, SEND_BATCH_SIZE="100", **FAST, **fake.env())
        try:
            digests_claim_due()
            wait_until(lambda: fake.calls >= 1, timeout=60, what="the first provider call")
            waiting = Delivery.objects.filter(digest=digest, batch__status=Batch.Status.PENDING).order_by("-subscriber_id")
            leaver = waiting.first().subscriber
            subscription_unsubscribe(subscriber_id=leaver.id, list_id=mailing_list.id, source="one-click")
            hold.set()
            wait_for_finish(digest, worker)
        finally:
            hold.set()
            worker.stop()

    received = fake.by_recipient()
    assert leaver.email not in received
    assert all(len(received[s.email]) == 1 for s in subscribers if s.id != leaver.id)
    assert Delivery.objects.get(digest=digest, subscriber=leaver).status == Delivery.Status.SKIPPED
    assert digest_account(digest_id=digest.id) | {"pending": 0} == {
        "sent": 299, "failed": 0, "uncertain": 0, "skipped": 1, "pending": 0, "total": 300}
