"""Writes about the audience: subscriptions, suppressions. Keyword-only arguments, one job each."""

from __future__ import annotations

import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from subscribers.emails import email_hash
from subscribers.models import Subscription, Suppression

log = logging.getLogger(__name__)


def suppression_add(*, email: str, reason: str, detail: str = "") -> Suppression:
    """Never mail this address again. Idempotent: an existing suppression is returned unchanged.

    Only the keyed hash of the normalised address is stored. `reason` is a Suppression.Reason value.
    """
    if reason not in Suppression.Reason.values:
        raise ValueError(f"unknown suppression reason {reason!r}")
    return suppression_add_hash(email_hash=email_hash(email), reason=reason, detail=detail)


def suppression_add_hash(*, email_hash: str, reason: str, detail: str = "") -> Suppression:
    """Same as suppression_add when only the hash is known (e.g. a provider event for an erased person)."""
    existing = Suppression.objects.filter(email_hash=email_hash).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            row = Suppression.objects.create(email_hash=email_hash, reason=reason, detail=detail[:400])
    except IntegrityError:  # another process suppressed the same address a moment ago
        return Suppression.objects.get(email_hash=email_hash)
    log.info("suppression_added reason=%s hash=%s", reason, email_hash[:12])
    return row


def subscription_unsubscribe(*, subscriber_id: int, list_id: int, source: str) -> bool:
    """Stop mail from this list to this subscriber at once. Idempotent.

    Returns True when this call changed something, False when there was no subscription or it was
    already unsubscribed. One conditional UPDATE, so concurrent calls record one unsubscribe.
    """
    changed = (
        Subscription.objects.filter(subscriber_id=subscriber_id, mailing_list_id=list_id)
        .exclude(status=Subscription.Status.UNSUBSCRIBED)
        .update(status=Subscription.Status.UNSUBSCRIBED, unsubscribed_at=timezone.now(), unsubscribe_source=source[:40])
    )
    if changed:
        log.info("subscription_unsubscribed subscriber=%s list=%s source=%s", subscriber_id, list_id, source)
    return bool(changed)
