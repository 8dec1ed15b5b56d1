"""Fault injection with real processes: Celery workers and beat on the test database, the real anymail
Mailgun backend talking HTTP to a local fake Mailgun (tests/support/fake_mailgun.py).

Faults: SIGKILL of the worker at random points of a 20,000-recipient send (several seeds), a Redis server
killed and restarted empty mid-send, a provider answering 429 / 5xx / too late to a share of calls, the
database cutting every worker connection for a few seconds. After each, without anybody's help:
- the digest finishes (status sent);
- nobody received two messages;
- everybody who received nothing is in a batch reported uncertain (the provider may have it);
- the account sent + failed + uncertain + skipped equals the audience, and nothing stays pending.

tests/worker/test_send_faults.py covers one SIGKILL mid-call and a Redis FLUSHDB; these go further.
PROOF_LONG=1 runs more seeds and larger shares of faults.
"""

from __future__ import annotations

import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time

import pytest
from django.db import connection

from newsletter.models import Digest
from tests.support.fake_mailgun import FakeMailgun
from tests.support.processes import ManagedProcess, child_env, start_beat, start_worker, wait_until
from tests.worker.factories import make_audience, make_digest, make_list
from worker.models import Batch, Delivery
from worker.selectors import digest_account

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

LONG = os.environ.get("PROOF_LONG") == "1"
KILL_SEEDS = list(range(1, 9)) if LONG else [11, 29]

CHAOS = {
    "SEND_RATE_PER_SECOND": "1000000",
    "SEND_SCAN_INTERVAL": "0.5",
    "SEND_RECONCILE_INTERVAL": "0.5",
    "SEND_REPOKE_AFTER": "2",
    "SEND_RETRY_BASE": "0.2",
    "SEND_RETRY_MAX": "1",
    "SEND_SUBMITTING_TIMEOUT": "3",
    "SEND_PREPARE_TIMEOUT": "3",
    "SEND_MAX_ATTEMPTS": "30",
    "SEND_MAX_CRASHES": "5",
}


def wait_for_sent(digest: Digest, processes: list[ManagedProcess], *, timeout: float = 240) -> None:
    def finished():
        for process in processes:
            assert process.proc.poll() is None, f"{process.log_path.name} died:\n{process.log_tail()}"
        digest.refresh_from_db()
        return digest.status in (Digest.Status.SENT, Digest.Status.FAILED, Digest.Status.CANCELLED)

    wait_until(finished, timeout=timeout, interval=0.25, what=f"digest {digest.id} to finish by itself")


def assert_honest_account(digest: Digest, subscribers, fake: FakeMailgun) -> dict[str, int]:
    assert digest.status == Digest.Status.SENT, digest.status_detail
    received = fake.by_recipient()
    doubles = {email: len(messages) for email, messages in received.items() if len(messages) > 1}
    assert not doubles, f"{len(doubles)} recipients got two messages, e.g. {list(doubles.items())[:3]}"
    statuses = dict(Delivery.objects.filter(digest=digest).values_list("subscriber_id", "status"))
    batch_of = dict(Delivery.objects.filter(digest=digest).values_list("subscriber_id", "batch__status"))
    missing = [s for s in subscribers if s.email not in received]
    for subscriber in missing:
        assert statuses[subscriber.id] == Delivery.Status.UNCERTAIN, (subscriber.email, statuses[subscriber.id])
        assert batch_of[subscriber.id] == Batch.Status.UNCERTAIN, (subscriber.email, batch_of[subscriber.id])
    account = digest_account(digest_id=digest.id)
    assert account["pending"] == 0
    assert account["sent"] + account["failed"] + account["uncertain"] + account["skipped"] == len(subscribers)
    assert account["total"] == len(subscribers)
    # "sent" means the provider accepted it: every one of them really is at the provider
    sent_ids = {sid for sid, status in statuses.items() if status == Delivery.Status.SENT}
    emails = {s.id: s.email for s in subscribers}
    assert all(emails[sid] in received for sid in sent_ids)
    assert digest.status_detail == (f"{account['sent']} sent, {account['failed']} failed, "
                                    f"{account['uncertain']} uncertain, {account['skipped']} skipped")
    return account


class CallGate:
    """A fake-Mailgun responder that holds chosen calls until each is released, and notes every call's arrival."""

    def __init__(self, hold_calls=frozenset()):
        self.held = {call: threading.Event() for call in hold_calls}
        self.arrived: set[int] = set()

    def __call__(self, call: int):
        self.arrived.add(call)
        if call in self.held:
            self.held[call].wait(timeout=120)
        return None

    def release(self, call: int | None = None) -> None:
        for number, event in self.held.items():
            if call is None or number == call:
                event.set()


# --- SIGKILL at random points -------------------------------------------------------------------------


def _kill_plan(seed: int, calls: int) -> list[tuple[str, int]]:
    """Two kill points, in order: while preparing, while call k is at the provider, or right after call k."""
    rng = random.Random(seed)
    points = rng.sample(range(1, calls - 2), 2)
    kinds = [rng.choice(["mid-call", "after-call"]) for _ in points]
    plan = sorted(zip(points, kinds, strict=True))
    if rng.random() < 0.3:
        plan = [(0, "preparing"), plan[-1]]
    return [(kind, point) for point, kind in plan]


@pytest.mark.parametrize("seed", KILL_SEEDS)
def test_it_finishes_a_20000_recipient_send_honestly_whatever_moment_the_worker_is_killed(tmp_path, seed):
    mailing_list = make_list()
    subscribers = make_audience(mailing_list, 20_000)
    digest = make_digest(mailing_list)
    plan = _kill_plan(seed, calls=20)
    gate = CallGate(hold_calls={point for kind, point in plan if kind == "mid-call"})
    with FakeMailgun(responder=gate) as fake:
        env = {**CHAOS, **fake.env()}
        worker = start_worker(tmp_path, name=f"k{seed}-0", concurrency=2, **env)
        beat = start_beat(tmp_path, **env)
        try:
            for number, (kind, point) in enumerate(plan, start=1):
                if kind == "preparing":
                    wait_until(lambda: Digest.objects.filter(pk=digest.id, status__in=["preparing", "sending"]).exists(),
                               timeout=60, what="the digest to be picked up")
                elif kind == "mid-call":
                    wait_until(lambda point=point: point in gate.arrived, timeout=120, what=f"provider call {point}")
                else:
                    wait_until(lambda point=point: fake.accepted_calls >= point, timeout=120, what=f"{point} accepted calls")
                worker.kill(signal.SIGKILL)
                gate.release(point)  # the provider answers the dead worker's request: its recipients do get mail
                worker = start_worker(tmp_path, name=f"k{seed}-{number}", concurrency=2, **env)
            wait_for_sent(digest, [worker, beat])
        finally:
            gate.release()
            beat.stop()
            worker.stop()
    account = assert_honest_account(digest, subscribers, fake)
    assert account["failed"] == 0 and account["skipped"] == 0
    # at most the two batches of 1,000 at the provider (concurrency 2) per kill are uncertain
    assert account["sent"] >= 20_000 - 2 * 1000 * len(plan)
    assert len(fake.by_recipient()) >= account["sent"]


# --- Redis restart -------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PrivateRedis:
    """A redis-server of this test's own (the shared one serves every engineer's tests), nothing on disk."""

    def __init__(self, folder):
        self.port = _free_port()
        self.folder = folder
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> PrivateRedis:
        self.proc = subprocess.Popen(
            ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port), "--save", "", "--appendonly", "no",
             "--dir", str(self.folder)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        import redis

        wait_until(lambda: _pings(redis.Redis.from_url(self.url, socket_connect_timeout=0.5)), timeout=15,
                   what="the private redis-server")
        return self

    def kill(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=10)


def start_worker_on_own_broker(tmp_path, **env: str) -> ManagedProcess:
    """start_worker() pings through the test process's broker; a worker on the private Redis answers
    only there, so readiness is read from its log instead."""
    args = [sys.executable, "-m", "celery", "-A", "worker", "worker", "--loglevel=INFO", "--concurrency=2",
            "--pool=prefork", "--without-gossip", "--without-mingle", "-n", "own-broker@%h", "-Q", "mail,bulk,feeds"]
    process = ManagedProcess(args, child_env(**env), tmp_path / "worker-own-broker.log").start()
    wait_until(lambda: " ready." in process.log_tail(200), timeout=60, what="the worker on the private Redis")
    return process


def _pings(client) -> bool:
    try:
        return bool(client.ping())
    except Exception:  # noqa: BLE001 - not up yet
        return False


def test_it_finishes_after_the_redis_server_is_killed_and_restarted_empty_mid_send(tmp_path):
    mailing_list = make_list()
    subscribers = make_audience(mailing_list, 3000)
    digest = make_digest(mailing_list)
    gate = CallGate(hold_calls={4})
    redis_server = PrivateRedis(tmp_path).start()
    worker = beat = None
    with FakeMailgun(responder=gate) as fake:
        env = {**CHAOS, **fake.env(), "SEND_BATCH_SIZE": "200", "REDIS_URL": redis_server.url}
        try:
            worker = start_worker_on_own_broker(tmp_path, **env)
            beat = start_beat(tmp_path, **env)
            wait_until(lambda: 4 in gate.arrived, timeout=90, what="the fourth provider call")
            redis_server.kill()  # queued pokes, rate-limit buckets, unacknowledged tasks: all gone
            gate.release()
            wait_until(lambda: fake.accepted_calls >= 4, timeout=30, what="the held call to be answered")
            redis_server.start()  # the same address, empty, as after a restart without persistence
            wait_for_sent(digest, [worker, beat])
        finally:
            gate.release()
            for process in (beat, worker):
                if process is not None:
                    process.stop()
            redis_server.kill()
    account = assert_honest_account(digest, subscribers, fake)
    assert account["failed"] == 0 and account["sent"] >= 3000 - 2 * 200


# --- Provider errors and timeouts ----------------------------------------------------------------------


def test_it_sends_everyone_once_when_the_provider_answers_429_500_or_too_late_to_a_share_of_calls(tmp_path):
    mailing_list = make_list()
    subscribers = make_audience(mailing_list, 3000)
    digest = make_digest(mailing_list)
    rng = random.Random(7)
    share = 0.5 if LONG else 0.35
    faults, late = {}, set()
    for call in range(1, 400):
        roll = rng.random()
        if roll < share * 0.4:
            faults[call] = (429, {"Retry-After": "1"}, {"message": "slow down"})
        elif roll < share * 0.7:
            faults[call] = (rng.choice([500, 502, 503]), {}, {"message": "provider trouble"})
        elif roll < share:
            late.add(call)
    late -= set(faults)

    def responder(call: int):
        if call in late:
            time.sleep(2.5)  # longer than the worker's read timeout; then the provider accepts it anyway
            return None
        return faults.get(call)

    with FakeMailgun(responder=responder) as fake:
        env = {**CHAOS, **fake.env(), "SEND_BATCH_SIZE": "100", "PROVIDER_READ_TIMEOUT": "1"}
        worker = start_worker(tmp_path, concurrency=2, **env)
        beat = start_beat(tmp_path, **env)
        try:
            wait_for_sent(digest, [worker, beat])
        finally:
            beat.stop()
            worker.stop()
    account = assert_honest_account(digest, subscribers, fake)
    timed_out = Batch.objects.filter(digest=digest, status=Batch.Status.UNCERTAIN).count()
    retried = Batch.objects.filter(digest=digest, attempts__gt=1).count()
    assert retried > 0 and timed_out > 0, (retried, timed_out)  # both kinds of fault really happened
    assert account["uncertain"] == 100 * timed_out  # a late answer is never resent: uncertain, not retried
    assert account["failed"] == 0
    assert fake.calls > fake.accepted_calls


# --- Database connections cut -------------------------------------------------------------------------


def _cut_connections() -> int:
    """Terminate every other session on the test database (the workers' and beat's), as a failover would."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def test_it_finishes_after_the_database_drops_every_worker_connection_for_a_few_seconds(tmp_path):
    mailing_list = make_list()
    subscribers = make_audience(mailing_list, 3000)
    digest = make_digest(mailing_list)
    gate = CallGate(hold_calls={3})
    cut = {"sessions": 0}
    with FakeMailgun(responder=gate) as fake:
        env = {**CHAOS, **fake.env(), "SEND_BATCH_SIZE": "200"}
        worker = start_worker(tmp_path, concurrency=2, **env)
        beat = start_beat(tmp_path, **env)
        try:
            wait_until(lambda: 3 in gate.arrived, timeout=90, what="the third provider call")
            gate.release()  # the worker comes back from the provider into a dead connection
            outage_ends = time.monotonic() + 4

            def outage_over() -> bool:
                cut["sessions"] += _cut_connections()
                return time.monotonic() > outage_ends

            wait_until(outage_over, timeout=30, interval=0.05, what="the end of the database outage")
            wait_for_sent(digest, [worker, beat])
        finally:
            gate.release()
            beat.stop()
            worker.stop()
    assert cut["sessions"] > 0
    account = assert_honest_account(digest, subscribers, fake)
    assert account["failed"] == 0


# --- The cut between two statements, made deterministic -------------------------------------------------


@pytest.mark.django_db(transaction=False)
def test_it_never_leaves_an_uncertain_batch_with_pending_deliveries_when_the_connection_drops_between_updates():
    """The database-cut test above once caught the reconcile scan marking a batch uncertain and losing its
    connection before marking the batch's deliveries: the digest then finished with 200 recipients in no
    column of its account. Both UPDATEs are now one transaction; here the cut falls exactly between them."""
    from datetime import timedelta

    from django.db import OperationalError
    from django.utils import timezone

    from tests.worker.factories import make_variant
    from worker.recovery import sends_reconcile

    mailing_list = make_list()
    subscribers = make_audience(mailing_list, 5)
    digest = make_digest(mailing_list, status=Digest.Status.SENDING)
    long_ago = timezone.now() - timedelta(hours=1)
    batch = Batch.objects.create(digest=digest, variant=make_variant(digest), language="en", size=5,
                                 status=Batch.Status.SUBMITTING, claim_token="lost-worker", claimed_at=long_ago,
                                 provider_call_started_at=long_ago, touched_at=long_ago)
    Delivery.objects.bulk_create(Delivery(digest=digest, subscriber=s, batch=batch, language="en") for s in subscribers)

    def cut_before_deliveries(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith("UPDATE") and '"worker_delivery"' in sql:
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(cut_before_deliveries), pytest.raises(OperationalError):
        sends_reconcile()
    batch.refresh_from_db()
    assert batch.status == Batch.Status.SUBMITTING  # rolled back together: the next scan tries again

    sends_reconcile()
    batch.refresh_from_db()
    assert batch.status == Batch.Status.UNCERTAIN
    assert digest_account(digest_id=digest.id) | {"total": 5} == {
        "sent": 0, "failed": 0, "uncertain": 5, "skipped": 0, "pending": 0, "total": 5}
