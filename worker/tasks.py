"""Thin tasks: ids and plain values in, one service call each.

Every send task is a poke: its real state lives in the database, so a task lost with Redis, run
twice, or redelivered after a worker died changes nothing (claims are conditional UPDATEs).

A send, read top to bottom (every status change is a step of newsletter/lifecycle.py):
  1. scan_due_digests -> planning.digests_claim_due: scheduled -> preparing; pokes.prepare_poke
  2. prepare_digest -> planning.digest_prepare: newsletter.rendering (premailer once per variant),
     messages.build_envelope checks the headers, audience_plan freezes the audience into batches; pokes.batches_poke
  3. send_batch -> sending.batch_send: claim and read (sql, liveness names the claimer), ratelimit
     reserves slots (a long wait gives the batch back), recipients read and rechecked, messages /
     prebuilt_mime build them, the provider (providers, anymail) is called, the outcome recorded
     (sql, retried through database blips); sending.digest_finish_if_done: sending -> sent / failed
  4. reconcile_sends -> recovery.sends_reconcile: releases or calls uncertain the claims of dead workers,
     re-pokes what was lost
  The editor's levers (pause, resume, cancel, resend) are control.py; the table: worker/DELIVERY.md.
"""

from celery import shared_task

from operations.heartbeats import heartbeat_record
from worker.planning import digest_prepare, digests_claim_due
from worker.recovery import sends_reconcile
from worker.sending import TRANSIENT_ERRORS, batch_send

# A database or Redis blip must not spend a poke: the task comes again shortly (1, 2, 4 ... 30 s), so the
# reconcile scan is the last net, not the path. Claims decide, so a retried task never sends twice.
_RETRY_BLIPS = {"autoretry_for": TRANSIENT_ERRORS, "retry_backoff": 1, "retry_backoff_max": 30, "retry_jitter": False,
                "max_retries": 12}


@shared_task(time_limit=30, soft_time_limit=25)
def record_heartbeat(marker: str = "") -> None:
    heartbeat_record(marker=marker)


@shared_task(time_limit=60, soft_time_limit=50)
def scan_due_digests() -> list[int]:
    return digests_claim_due()


@shared_task(time_limit=1800, soft_time_limit=1700, **_RETRY_BLIPS)
def prepare_digest(digest_id: int) -> str:
    return digest_prepare(digest_id=digest_id)


# A hard kill at the limit is handled like any lost worker (reconcile: released or uncertain).
@shared_task(time_limit=600, soft_time_limit=540, **_RETRY_BLIPS)
def send_batch(batch_id: int) -> str:
    return str(batch_send(batch_id=batch_id))


@shared_task(time_limit=120, soft_time_limit=100)
def reconcile_sends() -> dict:
    return sends_reconcile()
