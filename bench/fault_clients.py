"""The readers and supporters of scenarios (g) and (h): one-click unsubscribes of readers whose batch has not
gone out yet, and a steady stream of subscribes through the API, both over HTTP to the real web process.
"""

from __future__ import annotations

import math
import threading
import time
import uuid
from dataclasses import dataclass, field

import requests

from bench.fault_send import Stage, quiet_db
from bench.fault_table import percentile, seconds_text
from bench.measure import own_cpu_seconds

UNSUBSCRIBES = 20
# A claimed batch waits seconds for its rate-limit slot; one or two of its readers leave meanwhile.
PER_CLAIMED_BATCH = 2
# Most go to claimed batches (the case issue 21 found ignored); a few to pending ones, the case proven before.
PENDING_SHARE = 0.3
CLAIMED_GONE_AFTER = 3.0  # seconds without a claimed, not yet called batch
SUBSCRIBES_PER_SECOND = 100
SUBSCRIBE_SECONDS = 60
SUBSCRIBE_THREADS = 8
# How long confirmations may take to arrive after the last subscribe before they are counted as never arriving.
CONFIRMATION_WAIT = 180.0
SIGNUP_DOMAIN = "signup.faults.example.org"


@dataclass
class Unsubscribed:
    subscriber_id: int
    email: str
    batch_id: int
    batch_state: str  # "claimed" (claimed, provider call not started) or "pending" when she left


def _candidate_batches(stage: Stage) -> tuple[list[int], list[int]] | None:
    from worker.models import Batch

    def read() -> tuple[list[int], list[int]]:
        batches = Batch.objects.filter(digest_id=stage.digest_id)
        claimed = list(batches.filter(status="submitting", provider_call_started_at__isnull=True).order_by("id")
                       .values_list("id", flat=True))
        pending = list(batches.filter(status="pending").order_by("-id").values_list("id", flat=True))
        return claimed, pending

    return quiet_db(read)


def _pending_reader(stage: Stage, batch_id: int, taken: set[int]) -> tuple[int, str] | None:
    from worker.models import Delivery

    rows = quiet_db(lambda: list(
        Delivery.objects.filter(batch_id=batch_id, status="pending").exclude(subscriber_id__in=taken)
        .order_by("-subscriber_id").values_list("subscriber_id", "subscriber__email")[:1]))
    return rows[0] if rows else None


def unsubscribe_during_send(stage: Stage) -> float | None:
    """One-click unsubscribes (RFC 8058 POST) of UNSUBSCRIBES readers whose batch has not been sent: mostly in
    batches a worker has claimed and not yet sent, some in pending ones. Returns when the last one was answered."""
    from subscribers.tokens import make_unsubscribe_token

    if not stage.wait(lambda: stage.received() > 0, interval=0.1):
        stage.notes.append("no unsubscribes: the send ended first")
        return None
    done: list[Unsubscribed] = []
    per_batch: dict[int, int] = {}
    failures = 0
    last = None
    session = requests.Session()
    tick = 0
    claimed_seen = time.monotonic()
    while len(done) < UNSUBSCRIBES and stage.left() > 0 and not stage.done():
        tick += 1
        found = _candidate_batches(stage)
        claimed, pending = found if found is not None else ([], [])
        targets = [("claimed", b) for b in claimed if per_batch.get(b, 0) < PER_CLAIMED_BATCH]
        if targets:
            claimed_seen = time.monotonic()
        pending_done = sum(1 for u in done if u.batch_state == "pending")
        # Where batches no longer stay claimed for long (the rate-limit slot taken before the claim), pending ones
        # make up the count.
        share_left = pending_done < UNSUBSCRIBES * PENDING_SHARE or time.monotonic() - claimed_seen > CLAIMED_GONE_AFTER
        if pending and share_left and (tick % 5 == 0 or not targets):
            targets.append(("pending", pending[0]))
        for state, batch_id in targets[: UNSUBSCRIBES - len(done)]:
            reader = _pending_reader(stage, batch_id, {u.subscriber_id for u in done})
            if reader is None:
                continue
            subscriber_id, email = reader
            token = make_unsubscribe_token(subscriber_id=subscriber_id, list_id=stage.list_id)
            try:
                answer = session.post(f"{stage.web_url}/u/{token}/", data={"List-Unsubscribe": "One-Click"}, timeout=10)
                ok = answer.status_code == 200
            except requests.RequestException:
                ok = False
            if not ok:
                failures += 1
                continue
            last = time.time()
            per_batch[batch_id] = per_batch.get(batch_id, 0) + 1
            done.append(Unsubscribed(subscriber_id, email.lower(), batch_id, state))
        time.sleep(0.3)
    stage.extra["unsubscribed"] = done
    if failures:
        stage.notes.append(f"{failures} one-click POSTs failed")
    return last


def report_unsubscribes(stage: Stage) -> None:
    """How many who left before their batch's provider call received the digest anyway (should be none)."""
    from subscribers.models import Subscription
    from worker.models import Batch

    done: list[Unsubscribed] = stage.extra.get("unsubscribed", [])
    if not done:
        return
    left_at = dict(Subscription.objects.filter(mailing_list_id=stage.list_id, subscriber_id__in=[u.subscriber_id for u in done])
                   .values_list("subscriber_id", "unsubscribed_at"))
    call_at = dict(Batch.objects.filter(pk__in={u.batch_id for u in done}).values_list("id", "provider_call_started_at"))
    received = stage.fake.digest_counts(stage.digest_id)
    before_call = [u for u in done if left_at.get(u.subscriber_id) is not None
                   and (call_at.get(u.batch_id) is None or left_at[u.subscriber_id] < call_at[u.batch_id])]
    anyway = [u for u in before_call if received.get(u.email, 0) > 0]
    claimed = sum(1 for u in done if u.batch_state == "claimed")
    anyway_claimed = sum(1 for u in anyway if u.batch_state == "claimed")
    stage.notes.append(
        f"{len(done)} unsubscribed during the send ({claimed} while their batch was claimed, {len(done) - claimed} while "
        f"pending), {len(before_call)} of them before their batch's provider call; received it anyway: {len(anyway)} "
        f"({anyway_claimed} claimed, {len(anyway) - anyway_claimed} pending)")


@dataclass
class SubscribeLoad:
    run: str
    requested: int = 0
    answered: int = 0  # 2xx
    sent_at: dict[str, float] = field(default_factory=dict)  # address -> when its request was sent
    failures: dict[str, int] = field(default_factory=dict)  # what went wrong instead of a 2xx, and how often
    lock: threading.Lock = field(default_factory=threading.Lock)


def _subscribe_client(stage: Stage, load: SubscribeLoad, tickets: list[int], started: float) -> None:
    session = requests.Session()
    for number in tickets:
        due = started + number / SUBSCRIBES_PER_SECOND
        pause = due - time.time()
        if pause > 0:
            time.sleep(pause)
        if stage.left() <= 0:
            return
        address = f"s{number}-{load.run}@{SIGNUP_DOMAIN}"
        body = {"email": address, "language": "en", "lists": [stage.signup_slug], "consent": True}
        sent = time.time()
        try:
            answer = session.post(f"{stage.web_url}/api/subscribe", json=body, timeout=10)
            outcome = "" if 200 <= answer.status_code < 300 else f"HTTP {answer.status_code}"
        except requests.RequestException as exc:
            outcome = type(exc).__name__
        with load.lock:
            load.requested += 1
            # Timed even when the answer was lost: the server may have stored the request all the same.
            load.sent_at[address] = sent
            if outcome:
                load.failures[outcome] = load.failures.get(outcome, 0) + 1
            else:
                load.answered += 1


def subscribe_during_send(stage: Stage) -> float | None:
    """SUBSCRIBES_PER_SECOND new addresses through POST /api/subscribe for SUBSCRIBE_SECONDS from the first batch
    the provider receives. Returns when the last request was sent."""
    if not stage.wait(lambda: stage.received() > 0, interval=0.1):
        stage.notes.append("no subscribes: the send ended first")
        return None
    load = SubscribeLoad(run=uuid.uuid4().hex[:6])
    total = SUBSCRIBES_PER_SECOND * SUBSCRIBE_SECONDS
    started = time.time()
    cpu_before = own_cpu_seconds()
    clients = [threading.Thread(target=_subscribe_client, args=(stage, load, list(range(n, total, SUBSCRIBE_THREADS)), started),
                                daemon=True) for n in range(SUBSCRIBE_THREADS)]
    for client in clients:
        client.start()
    for client in clients:
        client.join(timeout=max(1.0, stage.left()))
    stage.extra["subscribes"] = load
    stage.extra["subscribes_seconds"] = time.time() - started
    # This process is the load's clients and the provider both: if it took a whole core, the latency is partly ours.
    stage.extra["harness_cpu_share"] = (own_cpu_seconds() - cpu_before) / max(stage.extra["subscribes_seconds"], 1e-6)
    return time.time()


def report_subscribes(stage: Stage) -> None:
    """Latency from each subscribe request to the provider receiving its confirmation email."""
    from newsletter.models import Digest

    load: SubscribeLoad | None = stage.extra.get("subscribes")
    if load is None:
        return
    wanted = set(load.sent_at)
    deadline = time.monotonic() + min(CONFIRMATION_WAIT, max(0.0, stage.left()))
    while time.monotonic() < deadline and len(stage.fake.first_arrivals(wanted)) < len(wanted):
        time.sleep(0.5)
    arrivals = stage.fake.first_arrivals(wanted)
    latencies = [arrivals[a] - sent if a in arrivals else math.inf for a, sent in load.sent_at.items()]
    finished = quiet_db(lambda: Digest.objects.filter(pk=stage.digest_id).values_list("finished_at", flat=True).first())
    before_end = sum(1 for at in arrivals.values() if finished is not None and at < finished.timestamp())
    rate = load.requested / max(stage.extra.get("subscribes_seconds", 1.0), 1e-6)
    failed = "".join(f", {count} {reason}" for reason, count in sorted(load.failures.items()))
    # Arrivals per second from the first to the last: below the subscribe rate, the confirmations queue up.
    span = max(arrivals.values()) - min(arrivals.values()) if len(arrivals) > 1 else 0.0
    pace = f" at {len(arrivals) / span:.0f}/s" if span > 0 else ""
    stage.notes.append(
        f"{load.requested:,} subscribes ({rate:.0f}/s), {load.answered:,} answered 2xx{failed}; confirmations received "
        f"{len(arrivals):,}{pace} ({before_end:,} before the digest ended); latency "
        f"p50 {seconds_text(percentile(latencies, 0.5))}, p99 {seconds_text(percentile(latencies, 0.99))}, "
        f"max {seconds_text(max(latencies, default=math.nan))}; the "
        f"harness used {stage.extra.get('harness_cpu_share', 0.0):.0%} of a core meanwhile")
