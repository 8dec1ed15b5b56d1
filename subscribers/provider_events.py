"""Provider tracking events (anymail.signals.tracking): store each once, act on the ones that matter.

Hard bounces and complaints suppress the address at once; soft bounces after SOFT_BOUNCE_LIMIT
different messages in a row without a delivery in between; provider unsubscribes unsubscribe. Every
event is stored once, keyed by the provider's event id, so a webhook delivered three times (or out of
order) has one effect. Messages are expected to carry metadata {"digest_id", "delivery_id", "list_id"}
(the delivery engine sets them); tags of the form "digest-<id>" are read too.
"""

from __future__ import annotations

import hashlib
import logging
import re
from datetime import datetime

from anymail.signals import AnymailTrackingEvent
from django.apps import apps
from django.db import transaction
from django.utils import timezone

from subscribers import sql
from subscribers.emails import email_hash, normalise_email
from subscribers.models import EmailEvent, Subscriber, Suppression
from subscribers.services import subscription_unsubscribe, subscription_unsubscribe_all, suppression_add_hash
from subscribers.tokens import link_without_tokens

log = logging.getLogger(__name__)

SOFT_BOUNCE_LIMIT = 3
_REJECTED_FOR_GOOD = {"bounced", "invalid"}
_TAG = re.compile(r"^(digest|delivery|list)[-:](\d+)$")


def _as_id(value: object) -> int | None:
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


def _ids_from(event: AnymailTrackingEvent) -> dict[str, int | None]:
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
    ids = _ids_from(event)
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
                "description": description,
                "occurred_at": event.timestamp if isinstance(event.timestamp, datetime) else timezone.now(),
                "url": _clicked_link(event),
            },
        )
        if not created:
            return False
        if recipient_hash:
            _apply(row, list_id=ids["list"] or _list_of_digest(ids["digest"]))
    return True


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
    if row.event_type == "complained":
        suppression_add_hash(email_hash=row.recipient_hash, reason=Suppression.Reason.COMPLAINT, detail=detail)
    elif row.event_type == "bounced":
        suppression_add_hash(email_hash=row.recipient_hash, reason=Suppression.Reason.HARD_BOUNCE, detail=detail)
    elif row.event_type == "rejected" and row.reject_reason in _REJECTED_FOR_GOOD:
        suppression_add_hash(email_hash=row.recipient_hash, reason=Suppression.Reason.REJECTED, detail=detail)
    elif row.event_type == "deferred" and _soft_bounces_in_a_row(row.recipient_hash) >= SOFT_BOUNCE_LIMIT:
        suppression_add_hash(email_hash=row.recipient_hash, reason=Suppression.Reason.SOFT_BOUNCE, detail=detail)
    elif row.event_type == "unsubscribed":
        subscriber = Subscriber.objects.filter(email_hash=row.recipient_hash).first()
        if subscriber is None:
            return
        if list_id is not None:
            subscription_unsubscribe(subscriber_id=subscriber.pk, list_id=list_id, source="provider")
        else:  # the provider did not say which list: leaving everything is the safe reading
            subscription_unsubscribe_all(subscriber_id=subscriber.pk, source="provider")


def _soft_bounces_in_a_row(recipient_hash: str) -> int:
    """Different messages that soft-bounced since the last delivery (by event time, so order of arrival does not matter).

    Providers retry a deferred message and report each try: counting messages, not events, keeps one
    slow mailbox from being suppressed by a single message's retries.
    """
    recent = (
        EmailEvent.objects.filter(recipient_hash=recipient_hash, event_type__in=("delivered", "deferred"))
        .order_by("-occurred_at", "-id")
        .values_list("event_type", "message_id", "event_id")[:200]
    )
    messages: set[str] = set()
    for event_type, message_id, event_id in recent:
        if event_type == "delivered":
            break
        messages.add(message_id or event_id)
    return len(messages)
