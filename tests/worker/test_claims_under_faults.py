"""A claimed batch under faults: who left before the provider call is not sent, a worker that fails before the
call gives its claim back at once (not counted as a crash), what the provider answered is kept through a
database blip, and a dead worker's claim is settled by the next reconcile instead of after a timeout."""

from datetime import timedelta

import psycopg
import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.db import OperationalError, connection
from django.utils import timezone

from config.redis_client import shared_client
from newsletter.models import Digest
from subscribers.services import subscription_unsubscribe
from tests.worker.factories import claim_batch, make_audience, make_digest, make_list, make_variant
from worker import liveness, ratelimit, sending
from worker.models import Batch, Delivery, DigestSend
from worker.planning import audience_plan
from worker.recovery import sends_reconcile
from worker.sending import Outcome, batch_send
from worker.sql import provider_call_starting

pytestmark = [pytest.mark.django_db]


def planned(count: int = 3):
    mailing_list = make_list()
    subscribers = make_audience(mailing_list, count)
    digest = make_digest(mailing_list, status=Digest.Status.SENDING)
    [batch_id] = audience_plan(digest=digest, variants=[make_variant(digest)], batch_size=100).batch_ids
    DigestSend.objects.create(digest=digest)
    return digest, subscribers, batch_id


def unsubscribe(subscriber, digest) -> None:
    assert subscription_unsubscribe(subscriber_id=subscriber.id, list_id=digest.mailing_list_id, source="test")


def test_it_does_not_send_a_reader_who_unsubscribes_while_her_claimed_batch_waits_for_the_rate_limit(
        monkeypatch, settings):
    settings.SEND_RATE_PER_SECOND = 10
    digest, [leaving, *staying], batch_id = planned(3)
    monkeypatch.setattr(ratelimit, "reserve", lambda **kwargs: 0.5)  # a moment: waited in the worker
    waits = []

    def unsubscribe_during_the_wait(seconds):
        waits.append(seconds)
        unsubscribe(leaving, digest)

    monkeypatch.setattr(sending.time, "sleep", unsubscribe_during_the_wait)

    outcome = batch_send(batch_id=batch_id)

    assert waits == [0.5] and (outcome.outcome, outcome.sent) == (Outcome.SENT, 2)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(s.email for s in staying)
    skipped = Delivery.objects.get(batch_id=batch_id, subscriber=leaving)
    assert skipped.status == Delivery.Status.SKIPPED and "left the list" in skipped.error


def test_it_gives_a_batch_back_with_its_send_slots_and_skips_who_left_before_they_began(monkeypatch, settings):
    settings.SEND_RATE_PER_SECOND = 1
    ratelimit.reserve(provider="locmem", count=10, rate_per_second=1)  # other batches took the next ten seconds
    digest, [leaving, *staying], batch_id = planned(3)

    outcome = batch_send(batch_id=batch_id)

    batch = Batch.objects.get(pk=batch_id)
    assert (outcome.outcome, outcome.reason) == (Outcome.RETRY, "rate limit")
    assert (batch.status, batch.attempts, batch.claim_token) == (Batch.Status.PENDING, 0, "")
    assert batch.rate_slot_at is not None and batch.next_attempt_at == batch.rate_slot_at
    assert mail.outbox == []

    unsubscribe(leaving, digest)
    monkeypatch.setattr(ratelimit, "reserve", lambda **kwargs: pytest.fail("its slots were reserved already"))
    with time_machine.travel(batch.rate_slot_at, tick=False):
        assert batch_send(batch_id=batch_id).sent == 2

    assert sorted(m.to[0] for m in mail.outbox) == sorted(s.email for s in staying)
    assert Delivery.objects.get(batch_id=batch_id, subscriber=leaving).status == Delivery.Status.SKIPPED


def test_it_gives_the_claim_back_at_once_and_counts_no_crash_when_the_database_fails_before_the_call(monkeypatch):
    _, _, batch_id = planned(2)
    pokes = []
    monkeypatch.setattr(sending, "batch_poke_later", lambda batch_id, countdown: pokes.append((batch_id, countdown)))

    def database_gone(**kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(sending, "batch_recipients", database_gone)

    outcome = batch_send(batch_id=batch_id)

    batch = Batch.objects.get(pk=batch_id)
    assert (outcome.outcome, outcome.delay) == (Outcome.RETRY, 1.0) and outcome.reason.startswith("OperationalError")
    assert (batch.status, batch.claim_token, batch.attempts, batch.crashes) == (Batch.Status.PENDING, "", 0, 0)
    assert batch.provider_call_started_at is None and pokes == [(batch_id, 1.0)]
    assert mail.outbox == []


def test_it_counts_an_attempt_when_its_own_bug_fails_a_batch_before_the_call(monkeypatch, settings):
    settings.SEND_MAX_ATTEMPTS = 2
    _, _, batch_id = planned(2)
    monkeypatch.setattr(sending, "batch_recipients", lambda **kwargs: 1 / 0)

    first = batch_send(batch_id=batch_id)
    Batch.objects.filter(pk=batch_id).update(next_attempt_at=timezone.now())
    second = batch_send(batch_id=batch_id)

    assert first.outcome == Outcome.RETRY and first.reason.startswith("ZeroDivisionError")
    assert second.outcome == Outcome.FAILED and second.reason.startswith("Gave up after 2 attempts")
    assert Batch.objects.get(pk=batch_id).status == Batch.Status.FAILED


class DatabaseLostAfterAccepting(LocmemBackend):
    """A provider that accepts every message, while the worker's database connection is cut under it (as a
    PostgreSQL restart does) the moment the provider answers."""

    def send_messages(self, messages):
        sent = super().send_messages(messages)
        pid = connection.connection.info.backend_pid
        with psycopg.connect(**_connect_args()) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", [pid])
        return sent


def _connect_args() -> dict:
    s = connection.settings_dict
    return {"dbname": s["NAME"], "user": s["USER"], "host": s["HOST"] or "127.0.0.1", "port": s["PORT"] or 5432,
            "password": s["PASSWORD"] or None, "autocommit": True}


@pytest.mark.django_db(transaction=True)
def test_it_records_what_the_provider_accepted_although_the_database_connection_dropped_right_after(settings):
    settings.EMAIL_BACKEND = "tests.worker.test_claims_under_faults.DatabaseLostAfterAccepting"
    digest, subscribers, batch_id = planned(3)

    outcome = batch_send(batch_id=batch_id)

    assert (outcome.outcome, outcome.sent) == (Outcome.SENT, 3)
    assert len(mail.outbox) == 3
    assert set(Delivery.objects.filter(batch_id=batch_id).values_list("status", flat=True)) == {Delivery.Status.SENT}
    assert Batch.objects.get(pk=batch_id).status == Batch.Status.SUBMITTED
    digest.refresh_from_db()
    assert digest.status == Digest.Status.SENT


def _redis_remembers_for(seconds: float) -> None:
    """Redis has been up this long (the liveness epoch's age), so a missing sign of life means a dead process."""
    client = shared_client()
    epoch = f"{liveness._prefix()}:epoch"
    client.set(epoch, "1", ex=int(liveness._EPOCH_LIFE - seconds))


def later(seconds: float):
    return time_machine.travel(timezone.now() + timedelta(seconds=seconds), tick=False)


def test_it_gives_back_at_once_a_batch_whose_worker_died_before_the_provider_call(settings):
    settings.SEND_SUBMITTING_TIMEOUT = 300
    _, _, batch_id = planned()
    claim_batch(batch_id=batch_id, claimer="gone-host:4242")
    _redis_remembers_for(60)

    with later(settings.SEND_WORKER_LIVENESS_TTL + 1):
        result = sends_reconcile()

    batch = Batch.objects.get(pk=batch_id)
    assert result["released"] == 1
    assert (batch.status, batch.crashes, batch.claim_token) == (Batch.Status.PENDING, 1, "")


def test_it_calls_uncertain_at_once_a_batch_whose_worker_died_during_the_provider_call(settings):
    settings.SEND_SUBMITTING_TIMEOUT = 300
    _, _, batch_id = planned()
    token = claim_batch(batch_id=batch_id, claimer="gone-host:4242")
    provider_call_starting(batch_id=batch_id, token=token, now=timezone.now())
    _redis_remembers_for(60)

    with later(settings.SEND_WORKER_LIVENESS_TTL + 1):
        assert sends_reconcile()["uncertain"] == 1

    assert Batch.objects.get(pk=batch_id).status == Batch.Status.UNCERTAIN
    assert set(Delivery.objects.filter(batch_id=batch_id).values_list("status", flat=True)) == {Delivery.Status.UNCERTAIN}


def test_it_leaves_alone_the_claim_of_a_worker_that_is_alive_until_the_timeout(settings):
    settings.SEND_SUBMITTING_TIMEOUT = 300
    _, _, batch_id = planned()
    claim_batch(batch_id=batch_id, claimer=liveness.claimer_id())  # this process: its sign of life is kept
    _redis_remembers_for(60)

    with later(60):
        assert sends_reconcile()["released"] == 0
    with later(301):
        assert sends_reconcile()["released"] == 1


def test_it_judges_no_worker_dead_while_redis_has_just_started_empty(settings):
    settings.SEND_SUBMITTING_TIMEOUT = 300
    _, _, batch_id = planned()
    claim_batch(batch_id=batch_id, claimer="maybe-alive:7")
    _redis_remembers_for(1)  # restarted a second ago: live workers have not written their signs of life again yet

    with later(60):
        assert sends_reconcile()["released"] == 0
    assert Batch.objects.get(pk=batch_id).status == Batch.Status.SUBMITTING
