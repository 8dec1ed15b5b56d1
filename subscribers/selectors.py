"""Reads about the audience. Every function returns querysets or plain values; nothing here writes."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Now
from django.utils import timezone

from organisations.models import Organisation
from subscribers import transitions
from subscribers.models import ConsentRecord, EmailEvent, MailingList, Segment, Subscriber, Subscription, Suppression
from subscribers.segments import filters_condition
from subscribers.tokens import CONFIRM_MAX_AGE, ConfirmLink


def suppressions(email_hash: str | F | Collection[str]) -> QuerySet[Suppression]:
    """The one answer to "is this address suppressed?", whatever the reason: a Suppression row holding the keyed
    hash of her normalised address (subscribers.emails.email_hash). `email_hash` is one hash, a collection of
    hashes, or OuterRef("email_hash") inside a query over subscribers. An expired suppression (a soft-bounce one
    past `expires_at`) is no answer: the database's clock decides, so the SQL compiled from this once per process
    (subscribers.sql) stays true."""
    current = Q(expires_at__isnull=True) | Q(expires_at__gt=Now())
    if isinstance(email_hash, str | F):
        return Suppression.objects.filter(current, email_hash=email_hash)
    return Suppression.objects.filter(current, email_hash__in=email_hash)


def suppression_lifted_by_link(*, email_hash: str, requested_at: datetime | None) -> Suppression | None:
    """The bounce suppression a confirmation link made at `requested_at` lifts once she confirms it
    (subscribers.transitions.lifted_by_her_confirmation): only one older than the link, whose email reached her
    after the mailbox failed."""
    if requested_at is None:
        return None
    return _lifted_by_link(email_hash, requested_at=requested_at).first()


def _lifted_by_link(email_hash: str | F, *, requested_at: datetime) -> QuerySet[Suppression]:
    return suppressions(email_hash).filter(reason__in=transitions.BOUNCES_LIFTED_BY_CONFIRMATION, created_at__lt=requested_at)


def receiving(*, list_id: int) -> Q:
    """The one definition of who may get a list's mail now, as a condition on Subscriber: an active subscription
    to the list, and an address that is not suppressed. audience_subscribers filters on it; the recheck of each
    batch before it is sent runs it compiled into its SQL (subscribers.sql.receiving_sql)."""
    active = Subscription.objects.filter(subscriber_id=OuterRef("pk"), mailing_list_id=list_id,
                                         status=Subscription.Status.ACTIVE)
    return Q(Exists(active)) & ~Q(Exists(suppressions(OuterRef("email_hash"))))


def audience_subscribers(*, list_id: int, segment_id: int | None = None) -> QuerySet[Subscriber]:
    """Subscribers who may receive mail for this list (and segment) right now.

    `receiving` the list, and matching the segment's filters. One SQL query built from EXISTS sub-queries,
    so each subscriber appears once.
    Raises subscribers.segments.SegmentFilterError when the segment's filters cannot be used.
    """
    mailing_list = MailingList.objects.get(pk=list_id)
    queryset = Subscriber.objects.filter(receiving(list_id=list_id))
    if segment_id is not None:
        segment = Segment.objects.get(pk=segment_id, mailing_list_id=list_id)
        queryset = queryset.filter(filters_condition(segment.filters, mailing_list=mailing_list))
    return queryset


def audience_subscriber_ids(*, list_id: int, segment_id: int | None = None) -> QuerySet:
    """`.values("id")` of audience_subscribers: usable as a sub-query (`subscriber_id__in=...`) or in INSERT ... SELECT."""
    return audience_subscribers(list_id=list_id, segment_id=segment_id).order_by().values("id")


def audience_count(*, list_id: int, filters: dict | None = None) -> int:
    """Live count for unsaved filters (the segment admin form); raises SegmentFilterError on bad filters."""
    mailing_list = MailingList.objects.get(pk=list_id)
    queryset = audience_subscribers(list_id=list_id)
    if filters:
        queryset = queryset.filter(filters_condition(filters, mailing_list=mailing_list))
    return queryset.count()


def lists_awaiting_confirmation(*, subscriber_id: int) -> set[int]:
    """Lists she asked for and has not confirmed yet: pending ones, and ended ones she asked for again (a
    consent record newer than the unsubscribe, within a confirmation link's lifetime)."""
    asked_again = ConsentRecord.objects.filter(
        subscriber_id=subscriber_id,
        mailing_list_id=OuterRef("mailing_list_id"),
        created_at__gt=OuterRef("unsubscribed_at"),
        created_at__gte=timezone.now() - CONFIRM_MAX_AGE,
    )
    rows = Subscription.objects.filter(subscriber_id=subscriber_id).filter(
        Q(status=Subscription.Status.PENDING) | Q(Exists(asked_again), status=Subscription.Status.UNSUBSCRIBED)
    )
    return set(rows.values_list("mailing_list_id", flat=True))


@dataclass(frozen=True)
class ConfirmLinkState:
    confirmable: list[int]  # lists the link would activate now
    active: list[int]  # lists of the link she already receives


def subscription_status(*, subscriber_id: int, list_id: int) -> str | None:
    """Her subscription's status on the list, or None when she has none."""
    return (Subscription.objects.filter(subscriber_id=subscriber_id, mailing_list_id=list_id)
            .values_list("status", flat=True).first())


def lists_receiving(*, subscriber_id: int) -> QuerySet[MailingList]:
    """The lists she is active on (what leaving everything would end)."""
    return MailingList.objects.filter(subscriptions__subscriber_id=subscriber_id,
                                      subscriptions__status=Subscription.Status.ACTIVE)


def confirm_link_state(*, subscriber_id: int, list_ids: list[int], requested_at: datetime | None) -> ConfirmLinkState:
    """What a confirmation link can still do (subscribers.transitions.confirmable) and what is done already."""
    rows = Subscription.objects.filter(subscriber_id=subscriber_id, mailing_list_id__in=list_ids)
    confirmable = rows.filter(_link_confirms(requested_at=requested_at))
    return ConfirmLinkState(
        confirmable=sorted(confirmable.values_list("mailing_list_id", flat=True)),
        active=sorted(rows.filter(status=Subscription.Status.ACTIVE).exclude(pk__in=confirmable.values("pk"))
                      .values_list("mailing_list_id", flat=True)),
    )


def links_confirmable(links: Sequence[ConfirmLink]) -> list[list[int]]:
    """`confirm_link_state(...).confirmable` of many links, in their order, in two queries (the confirmation
    drain decides a claimed batch at once). The rare link that needs more goes through confirm_link_state
    alone: one of a subscriber with two links in the batch (one row could answer both), and one whose
    address is suppressed for a bounce (the link may lift it)."""
    per_subscriber = Counter(link.subscriber_id for link in links)
    bouncing = set(
        Subscriber.objects.filter(pk__in=list(per_subscriber))
        .filter(Exists(suppressions(OuterRef("email_hash")).filter(reason__in=transitions.BOUNCES_LIFTED_BY_CONFIRMATION)))
        .values_list("pk", flat=True)
    )
    alone = [link for link in links if per_subscriber[link.subscriber_id] == 1 and link.subscriber_id not in bouncing]
    found: dict[int, list[int]] = {link.subscriber_id: [] for link in alone}
    if alone:
        rows = Q()
        for link in alone:
            rows |= Q(transitions.confirmable(requested_at=link.requested_at), subscriber_id=link.subscriber_id,
                      mailing_list_id__in=link.list_ids)
        for subscriber_id, list_id in Subscription.objects.filter(rows).values_list("subscriber_id", "mailing_list_id"):
            found[subscriber_id].append(list_id)
    return [
        sorted(found[link.subscriber_id]) if link.subscriber_id in found
        else confirm_link_state(subscriber_id=link.subscriber_id, list_ids=link.list_ids,
                                requested_at=link.requested_at).confirmable
        for link in links
    ]


def _link_confirms(*, requested_at: datetime | None) -> Q:
    """The subscriptions a link made at `requested_at` would activate now: transitions.confirmable, and, when her
    address is suppressed for a bounce the link lifts, her active ones too (confirming is what lifts the bounce
    and lets their mail reach her)."""
    confirmable = transitions.confirmable(requested_at=requested_at)
    if requested_at is None:
        return confirmable
    lifted = _lifted_by_link(OuterRef("subscriber__email_hash"), requested_at=requested_at)
    return confirmable | Q(Exists(lifted), status=Subscription.Status.ACTIVE)


_ADDRESS = re.compile(r"[^\s<>\"'(),;:]+@[^\s<>\"'(),;:]+")


def digest_failure_messages(*, digest_id: int, bounce_classes: Collection[str], limit: int = 3) -> list[tuple[str, int]]:
    """The most frequent answers of the receiving servers (the SMTP text a provider relays) among this digest's
    events of these bounce classes, with their counts. Addresses in the text are masked: editors see these."""
    texts = Counter()
    rows = (EmailEvent.objects.filter(digest_id=digest_id, bounce_class__in=list(bounce_classes)).exclude(description="")
            .values_list("description").annotate(n=Count("id")).order_by("-n")[:50])
    for text, count in rows:
        texts[_ADDRESS.sub("<address>", " ".join(text.split()))[:300]] += count
    return texts.most_common(limit)


def organisations_of_lists(lists: QuerySet[MailingList]) -> list[Organisation]:
    """The organisations these lists belong to, each once, by name: whose identity and consent a page shows."""
    return list(Organisation.objects.filter(pk__in=lists.values("organisation_id")).order_by("name", "pk"))
