"""Reads for the delivery side: a digest's account, progress and statistics."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Min, OuterRef, Q, Subquery, Sum
from django.utils import timezone

from newsletter.models import Digest
from subscribers.models import DigestEventCount, EmailEvent, Subscription
from worker.models import Batch, Delivery

ACCOUNT_KEYS = ("sent", "failed", "uncertain", "skipped", "pending")

# Provider events counted per digest; opens and clicks only where the list allows tracking.
_EVENT_TYPES = ("delivered", "bounced", "rejected", "failed", "deferred", "complained", "unsubscribed")
_TRACKING_TYPES = ("opened", "clicked")


def digest_account(*, digest_id: int) -> dict[str, int]:
    """Deliveries by status: sent (accepted by the provider), failed, uncertain, skipped, pending; and total."""
    rows = Delivery.objects.filter(digest_id=digest_id).values("status").annotate(n=Count("id"))
    counts = {row["status"]: row["n"] for row in rows}
    account = {key: counts.get(key, 0) for key in ACCOUNT_KEYS}
    account["total"] = sum(counts.values())
    return account


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


def digest_statistics(*, digest_id: int) -> dict[str, int]:
    """Recipients per provider event type (distinct addresses), from the webhook events stored in EmailEvent
    ("complained", "unsubscribed" at the provider, ...), and `left_via_links`: readers who left through
    this digest's own unsubscribe link or one-click (digest_leavers)."""
    digest = Digest.objects.select_related("mailing_list__organisation").filter(pk=digest_id).first()
    if digest is None:
        return {}
    types = _EVENT_TYPES + (_TRACKING_TYPES if digest.mailing_list.tracking_enabled else ())
    rows = (
        EmailEvent.objects.filter(digest_id=digest_id, event_type__in=types)
        .values("event_type")
        .annotate(n=Count("recipient_hash", distinct=True), rows=Count("id"))
    )
    found = {row["event_type"]: row["n"] or row["rows"] for row in rows}
    return {**{event_type: found.get(event_type, 0) for event_type in types},
            "left_via_links": digest_leavers(digest_id=digest_id)}


def digest_has_provider_reports(*, digest_id: int) -> bool:
    """Whether the provider has reported anything on this digest yet (a stored webhook event): until then its
    delivered, bounced, opened... figures are unknown, not zero."""
    return EmailEvent.objects.filter(digest_id=digest_id).exists()


def digest_leavers(*, digest_id: int) -> int:
    """Readers whose subscription was ended by this digest's unsubscribe link (footer page or one-click), and
    not ended again since (Subscription.unsubscribed_via_digest_id)."""
    return Subscription.objects.filter(unsubscribed_via_digest_id=digest_id).count()


def digest_clicks_per_link(*, digest_id: int, limit: int = 20) -> list[dict]:
    """The digest's clicked links, most readers first: {"url", "readers" (distinct), "clicks"}, from the
    stored `clicked` events, whose links were stored without personal tokens (so everyone's copy of a link
    is one row). Empty when the list does not track."""
    if not Digest.objects.filter(pk=digest_id, mailing_list__tracking_enabled=True).exists():
        return []
    rows = (
        EmailEvent.objects.filter(digest_id=digest_id, event_type="clicked").exclude(url="")
        .values("url")
        .annotate(readers=Count("recipient_hash", distinct=True), clicks=Count("id"))
        .order_by("-readers", "-clicks", "url")[:limit]
    )
    return [{"url": row["url"], "readers": row["readers"] or row["clicks"], "clicks": row["clicks"]} for row in rows]


def failed_batches(*, digest_id: int):
    """Batches that stopped with a reason (provider refusal, too many attempts, a worker lost again and again)."""
    return Batch.objects.filter(digest_id=digest_id, status=Batch.Status.FAILED).order_by("id")


# The provider's figures shown per language (opens and clicks only where the list tracks).
_PER_LANGUAGE_TYPES = ("delivered", "bounced", "complained")
BOUNCE_CLASS_KEYS = ("hard", "soft", "block", "rejected", "complaint")


def digest_results_per_language(*, digest_id: int) -> list[dict]:
    """Per language of the copies sent, in language order: {"language", "total", "sent", "failed", "delivered",
    "bounced", "complained", "opened", "clicked"} (distinct readers per event type; opened and clicked None when
    the list does not track). Events map to a language through their delivery."""
    digest = Digest.objects.select_related("mailing_list").filter(pk=digest_id).first()
    if digest is None:
        return []
    tracking = digest.mailing_list.tracking_enabled
    types = _PER_LANGUAGE_TYPES + (_TRACKING_TYPES if tracking else ())
    rows = {
        row["language"]: {"language": row["language"], "total": row["total"], "sent": row["sent"], "failed": row["failed"]}
        for row in Delivery.objects.filter(digest_id=digest_id).values("language").annotate(
            total=Count("id"), sent=Count("id", filter=Q(status=Delivery.Status.SENT)),
            failed=Count("id", filter=Q(status=Delivery.Status.FAILED)))
    }
    events = (
        EmailEvent.objects.filter(digest_id=digest_id, event_type__in=types)
        .annotate(language=Subquery(Delivery.objects.filter(pk=OuterRef("delivery_id")).values("language")[:1]))
        .values("language", "event_type")
        .annotate(n=Count("recipient_hash", distinct=True), rows=Count("id"))
    )
    found = {(row["language"], row["event_type"]): row["n"] or row["rows"] for row in events}
    for language, row in rows.items():
        for event_type in _PER_LANGUAGE_TYPES + _TRACKING_TYPES:
            row[event_type] = found.get((language, event_type), 0) if event_type in types else None
    return [rows[language] for language in sorted(rows)]


def digest_bounce_classes(*, digest_id: int) -> dict[str, int]:
    """Failures by bounce class (subscribers.bounces.BounceClass), each delivery counted once per class."""
    counts = DigestEventCount.objects.filter(digest_id=digest_id).values(*BOUNCE_CLASS_KEYS).first() or {}
    return {key: counts.get(key, 0) for key in BOUNCE_CLASS_KEYS}
