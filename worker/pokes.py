"""Wake-ups for the send pipeline's tasks, queued after commit; each carries only an id.

A poke that cannot be published (the broker is down) is logged and dropped, never raised into the caller:
the database already holds the work, and the reconcile scan pokes it again.

Tasks are looked up by name in the Celery registry when a poke is sent: every pipeline module pokes and
worker.tasks imports the pipeline, so importing the tasks here would close an import cycle.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import redis
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from worker.celery_app import app
from worker.models import Batch

log = logging.getLogger(__name__)


def _task(name: str):
    full_name = f"worker.tasks.{name}"
    if full_name not in app.tasks:
        # Outside a worker nothing has run Celery's autodiscovery yet: it imports each app's tasks once.
        app.loader.import_default_modules()
    return app.tasks[full_name]


def _publish(name: str, send: Callable[[], object]) -> None:
    try:
        send()
    except (BrokerError, redis.RedisError, OSError) as exc:
        log.warning("event=poke_lost", extra={"task": name, "error": str(exc)[:200]})


def scan_poke() -> None:
    """Start a due send at once instead of at the next beat tick."""
    transaction.on_commit(lambda: _publish("scan_due_digests", lambda: _task("scan_due_digests").delay()))


def prepare_poke(digest_id: int) -> None:
    transaction.on_commit(lambda: _publish("prepare_digest", lambda: _task("prepare_digest").delay(digest_id)))


def batches_poke(*, batch_ids: list[int]) -> None:
    """One send task per batch after commit; poked_at tells the reconcile scan it was poked. Losing or
    doubling a poke is harmless: the batch's claim decides."""
    if not batch_ids:
        return
    Batch.objects.filter(pk__in=batch_ids).update(poked_at=timezone.now())
    ids = list(batch_ids)
    transaction.on_commit(lambda: _send_each(ids))


def _send_each(batch_ids: list[int]) -> None:
    task = _task("send_batch")
    _publish("send_batch", lambda: [task.delay(batch_id) for batch_id in batch_ids])


def batch_poke_later(batch_id: int, *, countdown: float) -> None:
    """A batch that waits a few seconds before its next try (longer waits are poked by the reconcile scan)."""
    _publish("send_batch", lambda: _task("send_batch").apply_async((batch_id,), countdown=countdown))
