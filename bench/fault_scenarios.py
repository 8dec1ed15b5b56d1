"""The faults of `make faults`, each injected in the middle of a send; each returns when its fault ended
(time.time(), the start of the "fault end -> digest end" column) or None when there was no fault.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from bench import celery_processes
from bench.fault_clients import report_subscribes, report_unsubscribes, subscribe_during_send, unsubscribe_during_send
from bench.fault_send import Stage

POSTGRES_BLIP_SECONDS = 1.0
POSTGRES_OUTAGE_SECONDS = 30.0
PROVIDER_OUTAGE_SECONDS = 20.0
# The worker to kill is the one whose pool runs batches: the bulk worker once batches have a queue of their own.
KILL_ORDER = ("bulk", "mail")
BUSY_WAIT_SECONDS = 30.0


@dataclass(frozen=True)
class Scenario:
    key: str
    title: str
    inject: Callable[[Stage], float | None] | None = None
    report: Callable[[Stage], None] | None = None
    web: bool = False  # needs the web process (gunicorn)


def _postgres_down(stage: Stage, seconds: float) -> float | None:
    if not stage.wait_mid_send():
        return None
    stopping = time.monotonic()
    stage.postgres.stop("fast")  # every session is ended, as in a restart for a minor upgrade
    time.sleep(max(0.0, stopping + seconds - time.monotonic()))
    stage.postgres.start()
    stage.notes.append(f"PostgreSQL down {time.monotonic() - stopping:.1f} s")
    return time.time()


def postgres_restart(stage: Stage) -> float | None:
    return _postgres_down(stage, POSTGRES_BLIP_SECONDS)


def postgres_outage(stage: Stage) -> float | None:
    return _postgres_down(stage, POSTGRES_OUTAGE_SECONDS)


def _busy_worker(stage: Stage) -> tuple[str, int | None]:
    """The worker to kill and its busy pool child: the first of KILL_ORDER with a child running a task."""
    found: list[tuple[str, int | None]] = []

    def look() -> bool:
        for name in KILL_ORDER:
            if name in stage.workers:
                busy = celery_processes.busy_children(name, stage.workers[name])
                if busy:
                    found.append((name, busy[0]))
                    return True
        return False

    deadline = time.monotonic() + BUSY_WAIT_SECONDS
    while time.monotonic() < deadline and stage.left() > 0 and not look():
        time.sleep(0.2)
    if found:
        return found[0]
    fallback = next(name for name in (*KILL_ORDER, *stage.workers) if name in stage.workers)
    return fallback, None


def worker_kill(stage: Stage) -> float | None:
    if not stage.wait_mid_send():
        return None
    name, child = _busy_worker(stage)
    celery_processes.kill_worker(stage.workers[name])
    busy = f" while its child {child} ran a task" if child else " (no busy child seen)"
    stage.notes.append(f"{name} worker SIGKILLed{busy}")
    stage.start_worker(name)
    return time.time()


def redis_restart(stage: Stage) -> float | None:
    if not stage.wait_mid_send():
        return None
    stage.redis.kill()  # queued pokes, unacknowledged tasks and rate-limit buckets are gone
    stage.redis.start()
    return time.time()


def provider_outage(stage: Stage) -> float | None:
    if not stage.wait_mid_send():
        return None
    ends = stage.fake.refuse_for(PROVIDER_OUTAGE_SECONDS)
    time.sleep(max(0.0, ends - time.time()))
    stage.notes.append(f"{stage.fake.refused_calls} calls answered 500")
    return ends


SCENARIOS = [
    Scenario("a", "baseline, no fault"),
    Scenario("b", "PostgreSQL restarted mid-send (about 1 s down)", inject=postgres_restart),
    Scenario("c", "PostgreSQL stopped 30 s mid-send", inject=postgres_outage),
    Scenario("d", "worker SIGKILLed mid-send, started again at once", inject=worker_kill),
    Scenario("e", "Redis restarted empty mid-send", inject=redis_restart),
    Scenario("f", "provider answers 500 for 20 s", inject=provider_outage),
    Scenario("g", "one-click unsubscribes of readers whose batch is not sent yet", inject=unsubscribe_during_send,
             report=report_unsubscribes, web=True),
    Scenario("h", "100 subscribes/s through the API during the send", inject=subscribe_during_send,
             report=report_subscribes, web=True),
]
