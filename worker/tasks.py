"""Thin tasks: ids and plain values in, one service call each.

Every send task is a poke: its real state lives in the database, so a task lost with Redis, run
twice, or redelivered after a worker died changes nothing (claims are conditional UPDATEs).
"""

from celery import shared_task

from worker.heartbeats import heartbeat_record
from worker.planning import digest_prepare, digests_claim_due
from worker.recovery import sends_reconcile
from worker.sending import batch_send


@shared_task(time_limit=30, soft_time_limit=25)
def record_heartbeat(marker: str = "") -> None:
    heartbeat_record(marker=marker)


@shared_task(time_limit=60, soft_time_limit=50)
def scan_due_digests() -> list[int]:
    return digests_claim_due()


@shared_task(time_limit=1800, soft_time_limit=1700)
def prepare_digest(digest_id: int) -> str:
    return digest_prepare(digest_id=digest_id)


# A hard kill at the limit is handled like any lost worker (reconcile: released or uncertain).
@shared_task(time_limit=600, soft_time_limit=540)
def send_batch(batch_id: int) -> str:
    return batch_send(batch_id=batch_id)


@shared_task(time_limit=120, soft_time_limit=100)
def reconcile_sends() -> dict:
    return sends_reconcile()
