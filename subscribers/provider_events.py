"""Provider tracking events (anymail.signals.tracking): store each once, act on the ones that matter.

Each failure is classed by subscribers.bounces (one table, docs/bounces.md): hard bounces, provider
rejections and complaints suppress the address at once; blocks (policy, reputation, authentication) never
do, they are counted against the digest; soft bounces suppress for BOUNCE_SOFT_SUPPRESSION_DAYS once
BOUNCE_SOFT_LIMIT different messages bounced softly over at least BOUNCE_SOFT_MIN_DAYS without a delivery in
between; provider unsubscribes unsubscribe. Every event is stored once, keyed by the provider's event id, so
a webhook delivered three times (or out of order) has one effect, and counted once in its digest's figures
(DigestEventCount, read by the circuit breaker, worker.breaker). Messages are expected to carry metadata
{"digest_id", "delivery_id", "list_id"} (the delivery engine sets them); tags of the form "digest-<id>" are
read too.
"""

from __future__ import annotations

import hashlib
import logging
import re
from datetime import datetime, timedelta

from anymail.signals import AnymailTrackingEvent
from django.apps import apps
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from subscribers import sql
from subscribers.bounces import BounceClass, bounce_class, facts_from
from subscribers.emails import email_hash, normalise_email
from subscribers.models import DigestEventCount, EmailEvent, Subscriber, Suppression
from subscribers.services import subscription_unsubscribe, subscription_unsubscribe_all, suppression_add_hash
from subscribers.tokens import link_without_tokens

log = logging.getLogger(__name__)

# The suppression each class makes at once (soft bounces: only when repeated, see _soft_bounce_run).
_SUPPRESSES = {
    BounceClass.HARD: Suppression.Reason.HARD_BOUNCE,
    BounceClass.REJECTED: Suppression.Reason.REJECTED,
    BounceClass.COMPLAINT: Suppression.Reason.COMPLAINT,
}
# The DigestEventCount column each kind of outcome adds to; complaints are not outcomes (a complaint follows a delivery).
_COUNTED = {"delivered": "delivered", BounceClass.HARD: "hard", BounceClass.SOFT: "soft", BounceClass.BLOCK: "block",
            BounceClass.REJECTED: "rejected", BounceClass.COMPLAINT: "complaint"}
_TAG = re.compile(r"^(digest|delivery|list)[-:](\d+)$")


def _as_id(value: object) -> int | None:
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


def event_ids(event: AnymailTrackingEvent) -> dict[str, int | None]:
    # Signed by the provider, but still data from outside: metadata and tags may have any shape.
    metadata = event.metadata if isinstance(event.metadata, dict) else {}
    ids = {key: _as_id(metadata.get(f"{key}_id")) for key in ("digest", "delivery", "list")}
    tags = event.tags if isinstance(event.tags, list | tuple) else []
    for tag in tags:
        match = _TAG.match(str(tag))
        if match and ids[match.group(1)] is None:
            ids[match.group(1)] = int(match.group(2))
    return ids


def _event_id(event: AnymailTrackingEvent, esp_name: str, recipient: str) -> str:
    if event.event_id:
        return str(event.event_id)[:200]
    # Some providers send no id: derive a stable one from what identifies the event.
    raw = f"{esp_name}|{event.message_id}|{event.event_type}|{event.timestamp}|{recipient}"
    return "derived-" + hashlib.sha256(raw.encode()).hexdigest()


def _text(value: object, limit: int) -> str:
    # PostgreSQL text cannot hold NUL: one in a provider's relayed bounce text made the webhook a 500.
    return str(value or "").replace("\x00", "")[:limit]


def provider_event_record(*, event: AnymailTrackingEvent, esp_name: str) -> bool:
    """Store the event (once) and apply its effect. Returns False when the event was already stored."""
    recipient = normalise_email(event.recipient) if isinstance(event.recipient, str) else ""
    recipient_hash = email_hash(recipient) if recipient else ""
    ids = event_ids(event)
    description = _text(event.description or event.mta_response, 2000)
    if recipient_hash and sql.suppression_reason(email_hash=recipient_hash) == Suppression.Reason.ERASED:
        # A late bounce for someone erased: its text quotes her address, which erasure promised to remove.
        description = ""
    with transaction.atomic():
        row, created = EmailEvent.objects.get_or_create(
            event_id=_text(_event_id(event, esp_name, recipient), 200),
            defaults={
                "event_type": _text(event.event_type or "unknown", 32),
                "esp_name": esp_name[:40],
                "message_id": _text(event.message_id, 300),
                "recipient_hash": recipient_hash,
                "digest_id": ids["digest"],
                "delivery_id": ids["delivery"],
                "reject_reason": _text(event.reject_reason, 40),
                "bounce_class": bounce_class(facts_from(event)),
                "description": description,
                "occurred_at": event.timestamp if isinstance(event.timestamp, datetime) else timezone.now(),
                "url": _clicked_link(event),
            },
        )
        if not created:
            return False
        if row.digest_id is not None:
            _count(row)
        if recipient_hash:
            _apply(row, list_id=ids["list"] or _list_of_digest(ids["digest"]))
    return True


def _count(row: EmailEvent) -> None:
    """Add the event to its digest's figures, once per delivery and kind (providers report each retry)."""
    kind = "delivered" if row.event_type == "delivered" else row.bounce_class
    column = _COUNTED.get(kind)
    if column is None:
        return
    same = EmailEvent.objects.exclude(pk=row.pk)
    if row.delivery_id is not None:
        same = same.filter(delivery_id=row.delivery_id)
    elif row.message_id and row.recipient_hash:
        same = same.filter(message_id=row.message_id, recipient_hash=row.recipient_hash)
    else:
        same = same.none()
    same = same.filter(event_type="delivered") if kind == "delivered" else same.filter(bounce_class=kind)
    if same.exists():
        return
    changes = {column: F(column) + 1}
    if column != "complaint":
        changes["outcomes"] = F("outcomes") + 1
    if DigestEventCount.objects.filter(digest_id=row.digest_id).update(**changes):
        return
    try:
        with transaction.atomic():
            DigestEventCount.objects.create(digest_id=row.digest_id)
    except IntegrityError:  # another event of the digest created it a moment ago
        pass
    DigestEventCount.objects.filter(digest_id=row.digest_id).update(**changes)


def _clicked_link(event: AnymailTrackingEvent) -> str:
    """A click's link, stored without the reader's tokens (a link to her unsubscribe page is a credential)."""
    if not isinstance(event.click_url, str) or not event.click_url:
        return ""
    return _text(link_without_tokens(event.click_url), 2000)


def _list_of_digest(digest_id: int | None) -> int | None:
    """The list a digest went to (the delivery engine tags messages with digest_id, not list_id)."""
    if digest_id is None:
        return None
    digest_model = apps.get_model("newsletter", "Digest")  # looked up lazily: newsletter builds on this app
    return digest_model.objects.filter(pk=digest_id).values_list("mailing_list_id", flat=True).first()


def _apply(row: EmailEvent, *, list_id: int | None) -> None:
    detail = f"{row.esp_name} {row.event_type}: {row.description}"[:400]
    if row.bounce_class in _SUPPRESSES:
        suppression_add_hash(email_hash=row.recipient_hash, reason=_SUPPRESSES[row.bounce_class], detail=detail)
    elif row.bounce_class == BounceClass.SOFT and _soft_bounce_run(row.recipient_hash):
        expires_at = timezone.now() + timedelta(days=settings.BOUNCE_SOFT_SUPPRESSION_DAYS)
        suppression_add_hash(email_hash=row.recipient_hash, reason=Suppression.Reason.SOFT_BOUNCE, detail=detail,
                             expires_at=expires_at)
    elif row.event_type == "unsubscribed":
        subscriber = Subscriber.objects.filter(email_hash=row.recipient_hash).first()
        if subscriber is None:
            return
        if list_id is not None:
            subscription_unsubscribe(subscriber_id=subscriber.pk, list_id=list_id, source="provider")
        else:  # the provider did not say which list: leaving everything is the safe reading
            subscription_unsubscribe_all(subscriber_id=subscriber.pk, source="provider")


def _soft_bounce_run(recipient_hash: str) -> bool:
    """Whether BOUNCE_SOFT_LIMIT different messages soft-bounced since the last delivery, the first and the last at
    least BOUNCE_SOFT_MIN_DAYS apart (by event time, so the order of arrival does not matter).

    Providers retry a deferred message and report each try: counting messages, not events, keeps one
    slow mailbox from being suppressed by a single message's retries; the span keeps one bad day (a full
    mailbox, a receiving server down for a weekend) from suppressing anybody.
    """
    recent = (
        EmailEvent.objects.filter(recipient_hash=recipient_hash)
        .filter(Q(event_type="delivered") | Q(bounce_class=BounceClass.SOFT))
        .order_by("-occurred_at", "-id")
        .values_list("event_type", "message_id", "event_id", "occurred_at")[:200]
    )
    messages: set[str] = set()
    times = []
    for event_type, message_id, event_id, occurred_at in recent:
        if event_type == "delivered":
            break
        messages.add(message_id or event_id)
        times.append(occurred_at)
    if len(messages) < settings.BOUNCE_SOFT_LIMIT or None in times:
        return False
    return max(times) - min(times) >= timedelta(days=settings.BOUNCE_SOFT_MIN_DAYS)

