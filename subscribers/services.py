"""Writes about the audience: subscriptions, suppressions. Keyword-only arguments, one job each."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from subscribers import erasure, queued_emails, ratelimit, selectors, sql, transitions
from subscribers.emails import email_hash, normalise_email
from subscribers.models import ConsentRecord, EmailEvent, MailingList, Subscriber, Subscription, Suppression, Topic

log = logging.getLogger(__name__)


def suppression_add(*, email: str, reason: str, detail: str = "") -> Suppression:
    """Never mail this address again. Idempotent: an existing suppression is returned unchanged.

    Only the keyed hash of the normalised address is stored. `reason` is a Suppression.Reason value.
    """
    if reason not in Suppression.Reason.values:
        raise ValueError(f"unknown suppression reason {reason!r}")
    return suppression_add_hash(email_hash=email_hash(email), reason=reason, detail=detail)


def suppression_add_hash(
    *, email_hash: str, reason: str, detail: str = "", expires_at: datetime | None = None
) -> Suppression:
    """Same as suppression_add when only the hash is known (e.g. a provider event for an erased person).

    `expires_at` None is for ever. A suppression in force is kept as it is, unless this one is stronger
    (`_outranks`: for ever over expiring, a complaint over a bounce); an expired one is replaced.
    """
    existing = Suppression.objects.filter(email_hash=email_hash).first()
    now = timezone.now()
    in_force = existing is not None and (existing.expires_at is None or existing.expires_at > now)
    if in_force and not _outranks(reason=reason, expires_at=expires_at, existing=existing):
        return existing
    values = {"reason": reason, "detail": detail[:400], "created_at": now, "expires_at": expires_at}
    if existing is not None:
        # Conditional on the row read: of two processes replacing it, one wins and the other keeps its answer.
        replaced = Suppression.objects.filter(pk=existing.pk, reason=existing.reason, expires_at=existing.expires_at,
                                              created_at=existing.created_at).update(**values)
        if not replaced:
            return Suppression.objects.get(email_hash=email_hash)
        row = Suppression.objects.get(pk=existing.pk)
    else:
        try:
            with transaction.atomic():
                row = Suppression.objects.create(email_hash=email_hash, **values)
        except IntegrityError:  # another process suppressed the same address a moment ago
            return Suppression.objects.get(email_hash=email_hash)
    log.info("event=suppression_added", extra={"reason": reason, "hash": email_hash[:12],
                                               "expires_at": expires_at.isoformat() if expires_at else ""})
    return row


def _outranks(*, reason: str, expires_at: datetime | None, existing: Suppression) -> bool:
    """Whether a new suppression should replace one in force: it lasts longer, or no confirmation may lift it."""
    if existing.reason in (Suppression.Reason.ERASED, Suppression.Reason.MANUAL):
        return False  # an erasure's and an administrator's rows say more than any provider event
    if reason == Suppression.Reason.ERASED:
        return existing.expires_at is not None  # an erased address stays blocked for ever, by whatever row holds it
    if existing.expires_at is not None and expires_at is None:
        return True
    bounce = transitions.BOUNCES_LIFTED_BY_CONFIRMATION
    return existing.reason in bounce and reason not in bounce


def subscription_unsubscribe_one_click(*, subscriber_id: int, list_id: int, source: str,
                                       digest_id: int | None = None) -> str | None:
    """subscription_unsubscribe in one statement for the RFC 8058 POST (a mail client, at volume).

    Returns the subscriber's language when this call ended the subscription, so the answer can be in
    her language without reading her row; None when there was nothing to end (then nothing changed).
    """
    language = sql.subscription_unsubscribe_returning_language(
        subscriber_id=subscriber_id, list_id=list_id, source=source, digest_id=digest_id)
    if language is not None:
        log.info("event=subscription_unsubscribed",
                 extra={"subscriber": subscriber_id, "list": list_id, "source": source, "digest_id": digest_id})
    return language


def subscription_unsubscribe(*, subscriber_id: int, list_id: int, source: str, at: datetime | None = None,
                             digest_id: int | None = None) -> bool:
    """Stop mail from this list to this subscriber at once (recorded as ended `at`, default now). Idempotent.

    `digest_id`: the digest whose link she used (its figures count her); None for every other way out.
    Returns True when this call changed something, False when there was no subscription or it was
    already unsubscribed. One conditional UPDATE, so concurrent calls record one unsubscribe.
    """
    changed = (
        Subscription.objects.filter(subscriber_id=subscriber_id, mailing_list_id=list_id)
        .exclude(status=Subscription.Status.UNSUBSCRIBED)
        .update(status=Subscription.Status.UNSUBSCRIBED, unsubscribed_at=at or timezone.now(), unsubscribe_source=source[:40],
                unsubscribed_via_digest_id=digest_id)
    )
    if changed:
        log.info("event=subscription_unsubscribed",
                 extra={"subscriber": subscriber_id, "list": list_id, "source": source, "digest_id": digest_id})
    return bool(changed)


# --- Subscribing (double opt-in) ---------------------------------------------------------------------


@dataclass(frozen=True)
class ConsentContext:
    """What the requester saw and where the request came from, recorded as evidence of consent."""

    source: str  # ConsentRecord.Source value
    text: str
    version: str
    ip_address: str | None = None
    user_agent: str = ""


class ChoicesChanged(Exception):
    """A requested list is not public or a topic does not exist (any more): the form validated against
    choices a few seconds old (subscribers.choices). Raised before anything is written."""


def subscription_request(
    *,
    email: str,
    name: str,
    language: str,
    list_slugs: list[str],
    topic_slugs: list[str],
    consent: ConsentContext,
    time_zone: str = "",
) -> None:
    """Someone asked to subscribe `email` to these public lists. Returns nothing, on purpose.

    The caller answers the same way whatever happens here (no enumeration). What happens:
    - an address suppressed for a complaint, a rejection or by an administrator gets nothing; an erased
      person, or one suppressed for bouncing, may come back through her own confirmation (the email also
      covers her active lists when she is suppressed for bouncing: confirming it lifts that suppression);
    - a new address becomes a pending subscriber with the given name, language, time zone and topics; an
      existing subscriber's profile is left alone (anyone can type anyone's address);
    - lists she was never on get a pending subscription; existing subscriptions keep their status,
      whatever it is (subscribers.transitions): an ended one comes back only through the link this sends;
    - lists she is not active on get one confirmation email (subscribers.queued_emails), within the
      limits of subscribers.ratelimit.confirmation_email_wait, and the consent is recorded.

    Raises ChoicesChanged, having written nothing, when a slug is not a public list or a topic (any
    more): the caller validates again with fresh choices and answers with the form's error.
    A new address costs one read (suppression) and four writes (subscriber, subscriptions, consent, the
    queued confirmation email), one round trip each, then the commit.
    """
    address = normalise_email(email)
    digest = email_hash(address)
    suppressed = sql.suppression_reason(email_hash=digest)
    if not transitions.may_request_while_suppressed(suppressed):
        log.info("event=subscription_request_ignored", extra={"reason": "suppressed", "hash": digest[:12]})
        return
    bouncing = suppressed in transitions.BOUNCES_LIFTED_BY_CONFIRMATION
    wanted = sorted(set(list_slugs))
    with transaction.atomic():
        subscriber_id, created = sql.subscriber_insert_or_get(
            email=address, email_hash=digest, name=name, language=language, time_zone=time_zone
        )
        statuses = sql.subscriptions_request(subscriber_id=subscriber_id, list_slugs=wanted)
        if len(statuses) < len(wanted):
            raise ChoicesChanged(wanted)  # rolls the subscriber back too: nothing half-written
        # A new subscriber gets her topics now; a known one only through her own confirmation (in its token).
        if created:
            topics_found = sql.subscriber_topics_add(subscriber_id=subscriber_id, topic_slugs=topic_slugs)
            topic_ids = []
        else:
            topic_ids = list(Topic.objects.filter(slug__in=topic_slugs).values_list("pk", flat=True)) if topic_slugs else []
            topics_found = len(topic_ids)
        if topics_found < len(set(topic_slugs)):
            raise ChoicesChanged(topic_slugs)  # before the confirmation window below is spent: nothing happened
        to_confirm = sorted(list_id for list_id, status in statuses.items()
                            if transitions.awaits_confirmation(status, suppressed_for_bouncing=bouncing))
        if not to_confirm or ratelimit.confirmation_email_wait(address=address, list_ids=to_confirm):
            return
        sql.rows_insert([
            ConsentRecord(
                subscriber_id=subscriber_id,
                mailing_list_id=list_id,
                text=consent.text,
                version=consent.version,
                source=consent.source,
                ip_address=consent.ip_address,
                user_agent=consent.user_agent[:400],
            )
            for list_id in to_confirm
        ])
        queued_emails.confirmation_queue(subscriber_id=subscriber_id, list_ids=to_confirm, topic_ids=topic_ids)


def subscription_confirm(
    *, subscriber_id: int, list_ids: list[int], topic_ids: list[int], requested_at: datetime | None
) -> list[int]:
    """The person clicked the confirm button of the link made at `requested_at`: the subscriptions it may
    activate (subscribers.transitions.confirmable) become active.

    An unsubscribe after the link was made wins over it, and active rows are left alone, so this is
    idempotent. Lifts an "erased" suppression of her address (her own fresh opt-in), and a bounce suppression
    older than the link (subscribers.transitions.BOUNCES_LIFTED_BY_CONFIRMATION: the link reached her), never
    any other reason. Queues the welcome email of each newly active list that has one. Returns the list ids
    that became active now.
    """
    now = timezone.now()
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().filter(pk=subscriber_id).first()
        if subscriber is None:
            return []
        confirmable = Subscription.objects.filter(subscriber_id=subscriber_id, mailing_list_id__in=list_ids).filter(
            transitions.confirmable(requested_at=requested_at)
        )
        pending = list(confirmable.select_for_update().values_list("mailing_list_id", flat=True))
        bounce = selectors.suppression_lifted_by_link(email_hash=subscriber.email_hash, requested_at=requested_at)
        active = Subscription.objects.filter(subscriber_id=subscriber_id, mailing_list_id__in=list_ids,
                                             status=Subscription.Status.ACTIVE).exists()
        if bounce is not None and (pending or active):
            # Conditional on the row she was told about: a complaint that replaced it meanwhile is not lifted.
            Suppression.objects.filter(pk=bounce.pk, reason=bounce.reason, created_at=bounce.created_at).delete()
            log.info("event=suppression_lifted", extra={"subscriber": subscriber_id, "reason": bounce.reason})
        if not pending:
            return []
        confirmable.filter(mailing_list_id__in=pending).update(
            status=Subscription.Status.ACTIVE, confirmed_at=now, unsubscribed_at=None, unsubscribe_source=""
        )
        selectors.suppressions(subscriber.email_hash).filter(reason=Suppression.Reason.ERASED).delete()
        if topic_ids:
            subscriber.topics.add(*Topic.objects.filter(pk__in=topic_ids))
        welcome = list(MailingList.objects.filter(pk__in=pending, welcome_enabled=True).values_list("pk", flat=True))
        queued_emails.welcome_queue(subscriber_id=subscriber_id, list_ids=welcome)
    log.info("event=subscription_confirmed", extra={"subscriber": subscriber_id, "lists": pending})
    return pending


def subscription_unsubscribe_all(*, subscriber_id: int, source: str) -> int:
    """Leave every list at once (preference centre). Returns how many subscriptions changed."""
    return (
        Subscription.objects.filter(subscriber_id=subscriber_id)
        .exclude(status=Subscription.Status.UNSUBSCRIBED)
        .update(status=Subscription.Status.UNSUBSCRIBED, unsubscribed_at=timezone.now(), unsubscribe_source=source[:40],
                unsubscribed_via_digest_id=None)
    )


@dataclass(frozen=True)
class PreferencesOutcome:
    confirmation_sent_for: list[int]  # lists a confirmation email is on its way for
    wait_seconds: int = 0  # >0: no email now (one was sent a moment ago); she may ask again after this
    restored: bool = False  # an undo made the subscription active again at once


def subscriber_update_preferences(
    *, subscriber_id: int, language: str, topic_ids: list[int], list_ids: list[int], consent: ConsentContext,
    resend: bool = False, time_zone: str | None = None,
) -> PreferencesOutcome:
    """Apply the preference centre: language and topics at once, lists left at once, lists (re)joined only
    through a confirmation email (subscribers.transitions). Lists already waiting for her confirmation get
    another email only when she asks for one (`resend`). The page tells her the truth about the email."""
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().get(pk=subscriber_id)
        subscriber.language = language
        if time_zone is not None:  # "" is a choice too: not set, her list's zone
            subscriber.time_zone = time_zone
        subscriber.save(update_fields=["language", "time_zone"])
        subscriber.topics.set(topic_ids)
        wanted = set(list_ids)
        awaiting = selectors.lists_awaiting_confirmation(subscriber_id=subscriber_id)
        current = {s.mailing_list_id: s for s in Subscription.objects.select_for_update().filter(subscriber=subscriber)}
        now = timezone.now()
        for list_id, subscription in current.items():
            if list_id in wanted:
                continue
            if subscription.status != Subscription.Status.UNSUBSCRIBED:
                subscription_unsubscribe(subscriber_id=subscriber_id, list_id=list_id, source="preferences", at=now)
            elif list_id in awaiting:  # she asked again, then changed her mind: the link she was sent dies
                Subscription.objects.filter(pk=subscription.pk).update(unsubscribed_at=now)
        to_confirm = []
        for list_id in sorted(wanted):
            subscription = current.get(list_id)
            if subscription is not None and subscription.status == Subscription.Status.ACTIVE:
                continue
            if list_id in awaiting and not resend:
                continue
            if subscription is None:
                Subscription.objects.create(
                    subscriber=subscriber, mailing_list_id=list_id, status=transitions.status_after_request(None)
                )
            to_confirm.append(list_id)
        return _confirmation_request(subscriber=subscriber, list_ids=to_confirm, consent=consent)


def _confirmation_request(*, subscriber: Subscriber, list_ids: list[int], consent: ConsentContext) -> PreferencesOutcome:
    """Queue her confirmation email for these lists, within the limits; inside the caller's transaction."""
    if not list_ids:
        return PreferencesOutcome(confirmation_sent_for=[])
    wait = ratelimit.confirmation_email_wait(address=subscriber.email, list_ids=list_ids)
    if wait:
        return PreferencesOutcome(confirmation_sent_for=[], wait_seconds=wait)
    ConsentRecord.objects.bulk_create(
        ConsentRecord(subscriber=subscriber, mailing_list_id=list_id, text=consent.text, version=consent.version,
                      source=consent.source, ip_address=consent.ip_address, user_agent=consent.user_agent[:400])
        for list_id in list_ids
    )
    queued_emails.confirmation_queue(subscriber_id=subscriber.pk, list_ids=list_ids, topic_ids=[])
    return PreferencesOutcome(confirmation_sent_for=list_ids)


def _unsubscribed_locked(*, subscriber_id: int, list_id: int) -> Subscription | None:
    """Her subscription to the list if she left it, locked for the rest of the transaction."""
    return (
        Subscription.objects.select_for_update()
        .select_related("subscriber")
        .filter(subscriber_id=subscriber_id, mailing_list_id=list_id, status=Subscription.Status.UNSUBSCRIBED)
        .first()
    )


def subscription_undo_unsubscribe(
    *, subscriber_id: int, list_id: int, unsubscribed_at: datetime, consent: ConsentContext
) -> PreferencesOutcome | None:
    """The undo button on the page of the unsubscribe she made at `unsubscribed_at`. A subscription she had
    confirmed is active again at once; one she never confirmed gets a confirmation email. Returns None when
    that unsubscribe is no longer the subscription's last state (nothing changes)."""
    with transaction.atomic():
        subscription = _unsubscribed_locked(subscriber_id=subscriber_id, list_id=list_id)
        if subscription is None or subscription.unsubscribed_at != unsubscribed_at:
            return None
        if transitions.may_undo_unsubscribe(
            unsubscribed_at=subscription.unsubscribed_at, undo_for=unsubscribed_at, confirmed_at=subscription.confirmed_at
        ):
            Subscription.objects.filter(pk=subscription.pk, unsubscribed_at=unsubscribed_at).update(
                status=Subscription.Status.ACTIVE, unsubscribed_at=None, unsubscribe_source="", unsubscribed_via_digest_id=None
            )
            log.info("event=subscription_unsubscribe_undone", extra={"subscriber": subscriber_id, "list": list_id})
            return PreferencesOutcome(confirmation_sent_for=[], restored=True)
        return _confirmation_request(subscriber=subscription.subscriber, list_ids=[list_id], consent=consent)


def subscription_resubscribe_request(*, subscriber_id: int, list_id: int, consent: ConsentContext) -> PreferencesOutcome | None:
    """"Changed your mind? Subscribe again" on the page of an unsubscribe link she opens after leaving: a fresh
    confirmation email for that list, never the subscription itself (subscribers.transitions: only her click on
    that email makes it active). None when she is not unsubscribed from the list (nothing to ask). An address
    suppressed for a reason her confirmation does not lift gets no email, like a subscribe request."""
    with transaction.atomic():
        subscription = _unsubscribed_locked(subscriber_id=subscriber_id, list_id=list_id)
        if subscription is None:
            return None
        subscriber = subscription.subscriber
        if not transitions.may_request_while_suppressed(sql.suppression_reason(email_hash=subscriber.email_hash)):
            log.info("event=resubscribe_request_ignored", extra={"reason": "suppressed", "subscriber": subscriber_id})
            return PreferencesOutcome(confirmation_sent_for=[])
        outcome = _confirmation_request(subscriber=subscriber, list_ids=[list_id], consent=consent)
    log.info("event=resubscribe_requested", extra={"subscriber": subscriber_id, "list": list_id,
                                                   "sent": bool(outcome.confirmation_sent_for)})
    return outcome


# --- Privacy -------------------------------------------------------------------------------------------


def subscriber_erase(*, subscriber_id: int) -> Suppression | None:
    """Erase a person (GDPR art. 17): delete her row (subscriptions, consents, deliveries go with it) and
    keep only the keyed hash of her address as a suppression, so an import can never add her back.

    An existing suppression (e.g. a complaint) is kept as it is: it already blocks her address. Her
    provider events are kept for the digests' statistics but unlinked from the hash. She can come back
    only through her own fresh double opt-in (subscription_confirm lifts an "erased" suppression).
    Returns None when there was no such subscriber.
    """
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().filter(pk=subscriber_id).first()
        if subscriber is None:
            return None
        digest = subscriber.email_hash
        erasure.erasure_scrub(subscriber=subscriber)  # every other store that can hold her address or name
        suppression = suppression_add_hash(email_hash=digest, reason=Suppression.Reason.ERASED)
        EmailEvent.objects.filter(recipient_hash=digest).update(recipient_hash="")
        subscriber.delete()
    log.info("event=subscriber_erased", extra={"hash": digest[:12]})
    return suppression
