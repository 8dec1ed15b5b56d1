"""Which process holds a batch's claim, and whether it is still alive.

A worker that fails before the provider call gives its claim back itself (worker.sending). One that died
(SIGKILL, OOM, a lost machine) cannot: the reconcile scan must tell "dead" from "busy". Every process that
claims a batch keeps a key in Redis with a short expiry, refreshed by a daemon thread of its own; a claim
whose process has no key is a dead claim and is settled at once, not after SEND_SUBMITTING_TIMEOUT.
Why Redis and a thread, and what happens when Redis forgets: docs/decisions/0010-claims-and-dead-workers.md.
"""

from __future__ import annotations

import logging
import os
import socket
import threading

import redis
from django.conf import settings

from config.redis_client import shared_client

log = logging.getLogger(__name__)

# The epoch key lives this long; its remaining life tells how long ago Redis last started empty.
_EPOCH_LIFE = 10 * 365 * 24 * 3600
_state = {"pid": 0, "claimer": ""}
_lock = threading.Lock()


def _prefix() -> str:
    return f"{settings.CACHES['default'].get('KEY_PREFIX', 'publisher')}:claimer"


def claimer_id() -> str:
    """This process's name on its claims ("host:pid"), with its sign of life kept in Redis from now on."""
    pid = os.getpid()
    if _state["pid"] != pid:  # first claim in this process (a fork has its own pid and needs its own thread)
        with _lock:
            if _state["pid"] != pid:
                _state["claimer"] = f"{socket.gethostname()}:{pid}"[:200]
                threading.Thread(target=_beat_forever, args=(_state["claimer"],), daemon=True,
                                 name="claimer-liveness").start()
                _state["pid"] = pid
    # Renewed with every claim too: a claim never starts with its sign of life missing (Redis just restarted).
    _beat_once(_state["claimer"])
    return _state["claimer"]


def _beat_once(claimer: str) -> None:
    ttl = settings.SEND_WORKER_LIVENESS_TTL
    try:
        pipe = shared_client().pipeline(transaction=False)
        pipe.set(f"{_prefix()}:alive:{claimer}", "1", px=int(ttl * 1000))
        pipe.set(f"{_prefix()}:epoch", "1", ex=_EPOCH_LIFE, nx=True)
        pipe.execute()
    except redis.RedisError as exc:  # Redis down: the reconcile scan cannot judge either (see dead_claimers)
        log.warning("event=liveness_unavailable", extra={"error": str(exc)[:200]})


def _beat_forever(claimer: str) -> None:
    stop = threading.Event()
    while not stop.wait(settings.SEND_WORKER_LIVENESS_TTL / 4):
        _beat_once(claimer)


def dead_claimers(claimers: set[str]) -> set[str]:
    """The claimers among these whose process shows no sign of life.

    Empty when Redis cannot vouch for it: unreachable, or started empty less than two lifetimes ago (live
    processes have not written their keys again yet). Then the claims wait for SEND_SUBMITTING_TIMEOUT.
    """
    claimers = {c for c in claimers if c}
    if not claimers:
        return set()
    ttl = settings.SEND_WORKER_LIVENESS_TTL
    try:
        client = shared_client()
        remaining = client.ttl(f"{_prefix()}:epoch")
        if remaining < 0 or _EPOCH_LIFE - remaining < 2 * ttl:
            return set()
        ordered = sorted(claimers)
        pipe = client.pipeline(transaction=False)
        for claimer in ordered:
            pipe.exists(f"{_prefix()}:alive:{claimer}")
        return {claimer for claimer, exists in zip(ordered, pipe.execute(), strict=True) if not exists}
    except redis.RedisError:
        return set()
