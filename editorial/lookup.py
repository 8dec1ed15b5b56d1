"""The subscriber look-up of the desk: one exact address in, what her organisations' lists know of that person out.

Exact match on the normalised address only (no partial search, no listing), counted per person
(SUBSCRIBER_LOOKUP_LIMIT per SUBSCRIBER_LOOKUP_WINDOW) and written to the audit trail, so it answers a reader's
question and cannot be used to enumerate or copy an audience. Everything read goes through editorial.access:
someone known only to another organisation looks exactly like an unknown address. Nothing here changes her
subscriptions; that stays with Administrators (subscribers.admin, subscribers.transitions).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.utils.translation import get_language, pgettext_lazy

from editorial.access import visible
from editorial.models import AuditEntry
from editorial.services import audit_record
from newsletter.models import Digest
from subscribers.emails import email_hash, normalise_email
from subscribers.models import ConsentRecord, EmailEvent, Subscriber, Subscription
from subscribers.ratelimit import within_limit
from subscribers.selectors import suppressions
from subscribers.texts import list_text, reader_text, topic_name
from worker.models import Delivery

log = logging.getLogger(__name__)

# The most recent entries of each kind shown in her history: a page to read, not an export.
HISTORY_LIMIT = 200

# Opens and clicks are shown only for lists that count them (MailingList.tracking_enabled).
TRACKED_EVENTS = frozenset({"opened", "clicked"})

# Subscription.unsubscribe_source (what ended it, subscribers.services callers) in words.
LEFT_THROUGH = {
    "link": pgettext_lazy("unsubscribe source", "the unsubscribe link in a digest"),
    "one-click": pgettext_lazy("unsubscribe source", "one-click unsubscribe in her mail program"),
    "preferences": pgettext_lazy("unsubscribe source", "her preferences page"),
    "provider": pgettext_lazy("unsubscribe source", "the email provider (she unsubscribed or complained there)"),
    "admin": pgettext_lazy("unsubscribe source", "an administrator"),
}

# anymail's normalised event types, as an editor reads them.
EVENT_WORDS = {
    "queued": pgettext_lazy("email event", "Queued by the provider"),
    "sent": pgettext_lazy("email event", "Accepted by the provider"),
    "delivered": pgettext_lazy("email event", "Delivered"),
    "deferred": pgettext_lazy("email event", "Delayed by her mail server"),
    "bounced": pgettext_lazy("email event", "Bounced"),
    "rejected": pgettext_lazy("email event", "Rejected by the provider"),
    "failed": pgettext_lazy("email event", "Failed"),
    "complained": pgettext_lazy("email event", "Marked as spam"),
    "unsubscribed": pgettext_lazy("email event", "Unsubscribed at the provider"),
    "opened": pgettext_lazy("email event", "Opened"),
    "clicked": pgettext_lazy("email event", "Clicked a link"),
}

# subscribers.bounces.BounceClass values in words.
BOUNCE_WORDS = {
    "hard": pgettext_lazy("bounce class", "the mailbox does not exist"),
    "soft": pgettext_lazy("bounce class", "temporary problem"),
    "block": pgettext_lazy("bounce class", "blocked by policy (about the sender, not her)"),
    "rejected": pgettext_lazy("bounce class", "refused by the provider"),
    "complaint": pgettext_lazy("bounce class", "spam complaint"),
}


class LookupLimited(Exception):
    """This person made SUBSCRIBER_LOOKUP_LIMIT look-ups in the current window."""


@dataclass(frozen=True)
class ListSubscription:
    list_name: str
    status: str
    status_label: str
    created_at: datetime
    confirmed_at: datetime | None
    unsubscribed_at: datetime | None
    left_through: str  # what ended it, in words; "" while it has not ended
    left_via_digest: str  # the subject of the digest whose link ended it, when one did


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    kind: str  # "consent", "delivery" or "event"
    what: str
    list_name: str
    digest_subject: str = ""
    detail: str = ""


@dataclass(frozen=True)
class SubscriberFile:
    subscriber_id: int
    email: str
    name: str
    language: str
    topics: list[str]
    suppression_reason: str  # in words; "" when the address is not suppressed
    suppressed_since: datetime | None
    suppressed_until: datetime | None
    subscriptions: list[ListSubscription]
    history: list[HistoryEntry]
    history_cut: bool  # True when older entries were left out (HISTORY_LIMIT)


def subscriber_lookup_allowed(*, user_id: int) -> bool:
    """Count one look-up by this person; False once she is past SUBSCRIBER_LOOKUP_LIMIT in the window."""
    return within_limit(f"subscriber-lookup:{user_id}", limit=settings.SUBSCRIBER_LOOKUP_LIMIT,
                        seconds=settings.SUBSCRIBER_LOOKUP_WINDOW)


def subscriber_find(*, user, address: str) -> Subscriber | None:
    """The subscriber with exactly this (normalised) address on one of `user`'s organisations' lists, or None."""
    normalised = normalise_email(address)
    return visible(Subscriber.objects.filter(email_hash=email_hash(normalised), email=normalised), user).first()


def subscriber_look_up(*, user, address: str) -> SubscriberFile | None:
    """One look-up by `user`: counted (LookupLimited past the limit), audited, and answered with what her
    organisations' lists know of the address (None for an address they do not know)."""
    if not subscriber_lookup_allowed(user_id=user.pk):
        log.warning("event=subscriber_lookup_limited", extra={"user_id": user.pk})
        raise LookupLimited
    subscriber = subscriber_find(user=user, address=address)
    # The address itself never goes into the trail (an erasure must leave none behind), its keyed hash does,
    # so an administrator can still tell whose address was looked up. A person unknown to her organisations
    # is not named, not even by id: the trail must not tell her that someone else knows the address.
    audit_record(
        actor_id=user.pk, action=AuditEntry.Action.SUBSCRIBER_LOOKED_UP, target=subscriber,
        description="Looked up an address: found." if subscriber else "Looked up an address: not found.",
        extra={"found": subscriber is not None, "email_hash": email_hash(address)},
    )
    log.info("event=subscriber_looked_up", extra={"user_id": user.pk, "found": subscriber is not None})
    return subscriber_file(user=user, subscriber=subscriber) if subscriber else None


def subscriber_file(*, user, subscriber: Subscriber) -> SubscriberFile:
    """What `user`'s organisations' lists know of `subscriber`, in the active language."""
    language = get_language()
    subscriptions = list(visible(Subscription.objects.filter(subscriber=subscriber), user)
                         .select_related("mailing_list").order_by("mailing_list__name"))
    digests = {d.pk: d for d in visible(Digest.objects.select_related("mailing_list"), user).filter(
        pk__in=_digest_ids_of(user, subscriber, subscriptions))}
    suppression = suppressions(subscriber.email_hash).first()
    history, cut = _history(user=user, subscriber=subscriber, digests=digests, language=language)
    return SubscriberFile(
        subscriber_id=subscriber.pk,
        email=subscriber.email,
        name=subscriber.name,
        language=subscriber.get_language_display(),
        topics=[topic_name(t, language=language) for t in subscriber.topics.all()],
        suppression_reason=suppression.get_reason_display() if suppression else "",
        suppressed_since=suppression.created_at if suppression else None,
        suppressed_until=suppression.expires_at if suppression else None,
        subscriptions=[_subscription(s, digests=digests, language=language) for s in subscriptions],
        history=history,
        history_cut=cut,
    )


def _digest_ids_of(user, subscriber: Subscriber, subscriptions: list[Subscription]) -> set[int]:
    ids = set(visible(Delivery.objects.filter(subscriber=subscriber), user).values_list("digest_id", flat=True))
    ids |= set(visible(EmailEvent.objects.filter(recipient_hash=subscriber.email_hash), user)
               .values_list("digest_id", flat=True))
    ids |= {s.unsubscribed_via_digest_id for s in subscriptions if s.unsubscribed_via_digest_id}
    return ids


def _subject(digest: Digest | None, language: str) -> str:
    if digest is None:
        return ""
    return reader_text(digest, "subject", language=language, default_language=digest.mailing_list.default_language)


def _subscription(subscription: Subscription, *, digests: dict[int, Digest], language: str) -> ListSubscription:
    ended = subscription.status == Subscription.Status.UNSUBSCRIBED
    source = subscription.unsubscribe_source
    return ListSubscription(
        list_name=list_text(subscription.mailing_list, "name", language=language),
        status=subscription.status,
        status_label=subscription.get_status_display(),
        created_at=subscription.created_at,
        confirmed_at=subscription.confirmed_at,
        unsubscribed_at=subscription.unsubscribed_at if ended else None,
        left_through=str(LEFT_THROUGH.get(source, source)) if ended else "",
        left_via_digest=_subject(digests.get(subscription.unsubscribed_via_digest_id), language) if ended else "",
    )


def _history(*, user, subscriber: Subscriber, digests: dict[int, Digest], language: str
             ) -> tuple[list[HistoryEntry], bool]:
    entries: list[HistoryEntry] = []
    cut = False

    consents = list(visible(ConsentRecord.objects.filter(subscriber=subscriber), user)
                    .select_related("mailing_list").order_by("-created_at")[:HISTORY_LIMIT + 1])
    cut |= len(consents) > HISTORY_LIMIT
    for consent in consents[:HISTORY_LIMIT]:
        entries.append(HistoryEntry(
            at=consent.created_at, kind="consent", what=str(pgettext_lazy("history", "Consent given")),
            list_name=list_text(consent.mailing_list, "name", language=language),
            detail=f"{consent.get_source_display()} · {consent.version}"))

    deliveries = list(visible(Delivery.objects.filter(subscriber=subscriber), user)
                      .order_by("-created_at")[:HISTORY_LIMIT + 1])
    cut |= len(deliveries) > HISTORY_LIMIT
    for delivery in deliveries[:HISTORY_LIMIT]:
        digest = digests.get(delivery.digest_id)
        entries.append(HistoryEntry(
            at=delivery.sent_at or delivery.created_at, kind="delivery",
            what=str(pgettext_lazy("history", "Digest: %(status)s") % {"status": delivery.get_status_display()}),
            list_name=list_text(digest.mailing_list, "name", language=language) if digest else "",
            digest_subject=_subject(digest, language)))

    events = list(visible(EmailEvent.objects.filter(recipient_hash=subscriber.email_hash), user)
                  .order_by("-received_at")[:HISTORY_LIMIT + 1])
    cut |= len(events) > HISTORY_LIMIT
    for event in events[:HISTORY_LIMIT]:
        digest = digests.get(event.digest_id)
        if digest is None or (event.event_type in TRACKED_EVENTS and not digest.mailing_list.tracking_enabled):
            continue
        detail = str(BOUNCE_WORDS.get(event.bounce_class, "")) if event.bounce_class else ""
        if event.event_type == "clicked" and event.url:
            detail = event.url
        entries.append(HistoryEntry(
            at=event.occurred_at or event.received_at, kind="event",
            what=str(EVENT_WORDS.get(event.event_type, event.event_type)),
            list_name=list_text(digest.mailing_list, "name", language=language),
            digest_subject=_subject(digest, language), detail=detail))

    entries.sort(key=lambda e: e.at, reverse=True)
    return entries[:HISTORY_LIMIT], cut or len(entries) > HISTORY_LIMIT
