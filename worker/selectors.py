"""Reads for the delivery side: a digest's account and progress. What readers and their providers made of it
(delivered, bounced, opened, clicked...) is read in worker.results."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Min, Q, Sum
from django.utils import timezone

from newsletter.models import Digest
from worker.models import Batch, Delivery

ACCOUNT_KEYS = ("sent", "failed", "uncertain", "skipped", "pending")


def digest_account(*, digest_id: int) -> dict[str, int]:
    """Deliveries by status: sent (accepted by the provider), failed, uncertain, skipped, pending; and total."""
    rows = Delivery.objects.filter(digest_id=digest_id).values("status").annotate(n=Count("id"))
    counts = {row["status"]: row["n"] for row in rows}
    account = {key: counts.get(key, 0) for key in ACCOUNT_KEYS}
    account["total"] = sum(counts.values())
    return account


def skipped_no_match(*, digest_id: int) -> int:
    """A tailored digest's readers skipped because no item matches her interests (newsletter.tailoring)."""
    from newsletter.tailoring import SKIP_REASON

    return Delivery.objects.filter(digest_id=digest_id, status=Delivery.Status.SKIPPED, error=SKIP_REASON).count()


def digest_progress(*, digest_id: int) -> dict:
    """The account plus the digest status, the rate so far (messages a second) and an ETA in seconds."""
    digest = Digest.objects.filter(pk=digest_id).values("status", "started_at", "finished_at").first() or {}
    account = digest_account(digest_id=digest_id)
    done = account["total"] - account["pending"]
    first_sent = Delivery.objects.filter(digest_id=digest_id, sent_at__isnull=False).order_by("sent_at").values_list(
        "sent_at", flat=True
    ).first()
    rate = 0.0
    if first_sent and account["sent"]:
        elapsed = ((digest.get("finished_at") or timezone.now()) - first_sent).total_seconds()
        rate = account["sent"] / max(elapsed, 0.001)
    eta = account["pending"] / rate if rate else None
    return {**account, "done": done, "status": digest.get("status"), "rate": rate, "eta": eta}


@dataclass(frozen=True)
class ZoneProgress:
    """One time zone of a local-time send: waiting (its hour has not come), sending, or done."""

    zone: str
    state: str  # "waiting", "sending" or "done"
    starts_at: datetime  # when its batches may first go (UTC)
    readers: int
    batches: int
    batches_done: int


def zone_progress(*, digest_id: int, now: datetime | None = None) -> list[ZoneProgress]:
    """Each zone's state, first zone first; empty for a digest sent at one moment (its batches have no zone).
    One aggregate over the digest's batches (a few per zone), never over its deliveries."""
    now = now or timezone.now()
    busy = Q(status__in=[Batch.Status.PENDING, Batch.Status.SUBMITTING])
    rows = (
        Batch.objects.filter(digest_id=digest_id).exclude(zone="").values("zone")
        .annotate(starts_at=Min("next_attempt_at"), readers=Sum("size"), batches=Count("id"),
                  busy=Count("id", filter=busy), started=Count("id", filter=~Q(status=Batch.Status.PENDING)),
                  due=Count("id", filter=Q(status=Batch.Status.PENDING, next_attempt_at__lte=now)))
        .order_by("starts_at", "zone")
    )
    zones = []
    for row in rows:
        if not row["busy"]:
            state = "done"
        elif row["started"] or row["due"]:
            state = "sending"
        else:
            state = "waiting"
        zones.append(ZoneProgress(zone=row["zone"], state=state, starts_at=row["starts_at"], readers=row["readers"] or 0,
                                  batches=row["batches"], batches_done=row["batches"] - row["busy"]))
    return zones


def digest_cost(*, digest_id: int) -> dict[str, int]:
    """Provider calls the send took."""
    calls = Batch.objects.filter(digest_id=digest_id).aggregate(calls=Sum("provider_calls"))["calls"]
    return {"provider_calls": calls or 0}


def uncertain_batches(*, digest_id: int):
    """Batches holding recipients whose outcome is unknown: listed for the editor, resent only on request."""
    return (
        Batch.objects.filter(digest_id=digest_id)
        .filter(Q(status=Batch.Status.UNCERTAIN) | Q(deliveries__status=Delivery.Status.UNCERTAIN))
        .annotate(uncertain=Count("deliveries", filter=Q(deliveries__status=Delivery.Status.UNCERTAIN)))
        .filter(uncertain__gt=0)
        .order_by("id")
    )


def failed_batches(*, digest_id: int):
    """Batches that stopped with a reason (provider refusal, too many attempts, a worker lost again and again)."""
    return Batch.objects.filter(digest_id=digest_id, status=Batch.Status.FAILED).order_by("id")
