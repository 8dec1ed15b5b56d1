"""The mail connections and sending threads of one drain of queued emails (subscribers.queued_emails).

A provider's API answers each call in tens to hundreds of milliseconds; one call at a time caps a drain at a
few emails a second whatever the CPU, below a burst of subscribes. So a drain keeps several calls in flight:
each sending thread has its own connection (an HTTP session, an SMTP login), opened once and kept open across
its emails. Why threads and how many: docs/decisions/0016-confirmations-in-flight.md.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

from django.core.mail import get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connections

log = logging.getLogger(__name__)

T = TypeVar("T")


class DrainMailers:
    """Use as a context manager around a drain; `submit` runs a send in a sending thread, `connection` gives
    the calling thread its own connection."""

    def __init__(self, *, threads: int):
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="queued-email")
        self._local = threading.local()
        self._opened: list[BaseEmailBackend] = []
        self._lock = threading.Lock()

    def __enter__(self) -> DrainMailers:
        return self

    def __exit__(self, *exc) -> None:
        # Emails not started yet stay with their rows (claimed: a later drain sends them after the lease).
        self._pool.shutdown(wait=True, cancel_futures=True)
        for mailer in self._opened:
            mailer_close(mailer)

    def connection(self) -> BaseEmailBackend:
        mailer = getattr(self._local, "mailer", None)
        if mailer is None:
            mailer = self._local.mailer = get_connection(fail_silently=False)
            with self._lock:
                self._opened.append(mailer)
        return mailer

    def submit(self, send: Callable[[], T]) -> Future[T]:
        return self._pool.submit(_in_sending_thread, send)


def _in_sending_thread(send: Callable[[], T]) -> T:
    try:
        return send()
    finally:
        # Sends read nothing from the database; should one ever do, its thread's connection must not leak.
        connections.close_all()


def mailer_close(mailer: BaseEmailBackend) -> None:
    """Close a connection that may be broken (closing it may fail too; the next open starts afresh)."""
    try:
        mailer.close()
    except Exception:  # noqa: BLE001
        log.info("event=queued_email_connection_close_failed")
