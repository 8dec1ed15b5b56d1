"""Reads about the audience. Every function returns querysets or plain values; nothing here writes."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet

from subscribers.models import MailingList, Segment, Subscriber, Subscription, Suppression
from subscribers.segments import filters_condition


def audience_subscribers(*, list_id: int, segment_id: int | None = None) -> QuerySet[Subscriber]:
    """Subscribers who may receive mail for this list (and segment) right now.

    Active subscription to the list, matching the segment's filters, and not suppressed (by keyed
    hash). One SQL query built from EXISTS sub-queries, so each subscriber appears once.
    Raises subscribers.segments.SegmentFilterError when the segment's filters cannot be used.
    """
    mailing_list = MailingList.objects.get(pk=list_id)
    queryset = Subscriber.objects.filter(
        Exists(
            Subscription.objects.filter(
                subscriber_id=OuterRef("pk"), mailing_list_id=list_id, status=Subscription.Status.ACTIVE
            )
        )
    ).exclude(Exists(Suppression.objects.filter(email_hash=OuterRef("email_hash"))))
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


def subscription_is_active(*, subscriber_id: int, list_id: int) -> bool:
    return Subscription.objects.filter(
        subscriber_id=subscriber_id, mailing_list_id=list_id, status=Subscription.Status.ACTIVE
    ).exists()


def email_is_suppressed(*, email_hash: str) -> bool:
    return Suppression.objects.filter(email_hash=email_hash).exists()
