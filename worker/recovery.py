"""Step 5 of the send pipeline: a periodic reconcile that makes lost work visible or redoes it.

The database is the source of truth; Redis only carries pokes. So after a Redis flush or restart,
or a worker killed mid-task, this scan finds what is stuck and either pokes it again (nothing was
sent) or marks it uncertain (the provider may have it; an editor decides).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from newsletter.models import Digest
from worker import liveness
from worker.models import Batch, Delivery
from worker.pokes import batches_poke, prepare_poke
from worker.sending import digest_finish_if_done

log = logging.getLogger(__name__)


def sends_reconcile(*, now=None) -> dict[str, int]:
    """One pass: stuck claims, lost pokes, stuck preparations, unfinished digests. Returns counts per action."""
    now = now or timezone.now()
    result = {"released": 0, "crashed_out": 0, "uncertain": 0, "repoked": 0, "reprepared": 0, "finished": 0}
    for batch_id, token, started, crashes in _claims_to_settle(now):
        if started is None:
            result[_release_crashed(batch_id, token, crashes, now)] += 1
        elif _mark_uncertain(batch_id, token, now):
            result["uncertain"] += 1

    repoke_before = now - timedelta(seconds=settings.SEND_REPOKE_AFTER)
    lost = (
        Batch.objects.filter(status=Batch.Status.PENDING, next_attempt_at__lte=now, digest__status=Digest.Status.SENDING)
        .filter(Q(poked_at__isnull=True) | Q(poked_at__lt=repoke_before))
        .values_list("id", flat=True)
    )
    lost_ids = list(lost[:5000])
    with transaction.atomic():
        batches_poke(batch_ids=lost_ids)
    result["repoked"] = len(lost_ids)

    prepare_before = now - timedelta(seconds=settings.SEND_PREPARE_TIMEOUT)
    for digest_id in Digest.objects.filter(status=Digest.Status.PREPARING, started_at__lt=prepare_before).values_list(
        "id", flat=True
    ):
        # Preparing is idempotent; restamping started_at keeps two scans from poking it twice in a row.
        if Digest.objects.filter(pk=digest_id, status=Digest.Status.PREPARING, started_at__lt=prepare_before).update(
            started_at=now
        ):
            with transaction.atomic():
                prepare_poke(digest_id)
            result["reprepared"] += 1

    for digest_id in Digest.objects.filter(status=Digest.Status.SENDING).values_list("id", flat=True):
        result["finished"] += digest_finish_if_done(digest_id=digest_id)
    if any(result.values()):
        log.info("event=reconcile", extra=result)
    return result


def _claims_to_settle(now) -> list[tuple]:
    """Claims whose worker will not finish them: its process is dead (no sign of life, worker.liveness), or
    nothing was heard of it for SEND_SUBMITTING_TIMEOUT (alive but stuck, or Redis cannot tell)."""
    stuck_before = now - timedelta(seconds=settings.SEND_SUBMITTING_TIMEOUT)
    settled_young = now - timedelta(seconds=settings.SEND_WORKER_LIVENESS_TTL)
    claims = list(Batch.objects.filter(status=Batch.Status.SUBMITTING).values_list(
        "id", "claim_token", "provider_call_started_at", "crashes", "touched_at", "claimed_at", "claimed_by"))
    # A claim younger than a liveness lifetime may belong to a process whose first sign of life is on its way.
    dead = liveness.dead_claimers({by for *_, claimed_at, by in claims if claimed_at and claimed_at < settled_young})
    return [(batch_id, token, started, crashes)
            for batch_id, token, started, crashes, touched_at, claimed_at, by in claims
            if (touched_at and touched_at < stuck_before) or (by in dead and claimed_at < settled_young)]


def _release_crashed(batch_id: int, token: str, crashes: int, now) -> str:
    """The worker vanished before calling the provider: nothing went out, so the batch may go again,
    but only a few times: a batch that kills its worker every time is failed, not looped."""
    if crashes + 1 >= settings.SEND_MAX_CRASHES:
        reason = f"The worker was lost {crashes + 1} times while preparing this batch; stopped."
        with transaction.atomic():  # both or neither, as in _mark_uncertain
            failed = Batch.objects.filter(pk=batch_id, claim_token=token, status=Batch.Status.SUBMITTING,
                                          provider_call_started_at__isnull=True).update(
                status=Batch.Status.FAILED, crashes=F("crashes") + 1, error=reason, finished_at=now, touched_at=now
            )
            if failed:
                Delivery.objects.filter(batch_id=batch_id, status=Delivery.Status.PENDING).update(
                    status=Delivery.Status.FAILED, error=reason)
        if failed:
            log.error("event=batch_crashed_out", extra={"batch_id": batch_id, "crashes": crashes + 1})
        return "crashed_out"
    Batch.objects.filter(pk=batch_id, claim_token=token, status=Batch.Status.SUBMITTING,
                         provider_call_started_at__isnull=True).update(
        status=Batch.Status.PENDING, claim_token="", crashes=F("crashes") + 1, next_attempt_at=now, poked_at=None,
        error="worker lost before the provider call",
    )
    return "released"


def _mark_uncertain(batch_id: int, token: str, now) -> bool:
    reason = ("The worker was lost during the provider call (or could not record its answer): the provider may "
              "or may not have these messages.")
    # One transaction: a connection lost between the two UPDATEs left an uncertain batch whose
    # deliveries stayed pending for ever, and the digest finished with them missing from its account.
    with transaction.atomic():
        marked = Batch.objects.filter(pk=batch_id, claim_token=token, status=Batch.Status.SUBMITTING).update(
            status=Batch.Status.UNCERTAIN, error=reason, finished_at=now
        )
        if marked:
            Delivery.objects.filter(batch_id=batch_id, status=Delivery.Status.PENDING).update(
                status=Delivery.Status.UNCERTAIN, error=reason)
    if marked:
        log.warning("event=batch_uncertain", extra={"batch_id": batch_id})
    return bool(marked)
