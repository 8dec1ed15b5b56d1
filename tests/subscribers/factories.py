"""Small builders for audience rows, so tests say only what matters to them."""

from __future__ import annotations

import itertools

from django.utils import timezone

from subscribers.models import MailingList, Subscriber, Subscription, Topic
from tests.support.organisations import default_organisation

_seq = itertools.count(1)


def make_list(**fields) -> MailingList:
    n = next(_seq)
    defaults = {"name": f"List {n}", "slug": f"list-{n}", "from_name": "MMM", "from_email": "news@example.org"}
    defaults.update(fields)
    defaults.setdefault("organisation", default_organisation())
    return MailingList.objects.create(**defaults)


def make_topic(slug: str, name: str | None = None) -> Topic:
    return Topic.objects.create(slug=slug, name=name or slug.title())


def make_subscriber(email: str | None = None, **fields) -> Subscriber:
    topics = fields.pop("topics", [])
    subscriber = Subscriber.objects.create(email=email or f"person{next(_seq)}@example.org", **fields)
    if topics:
        subscriber.topics.set(topics)
    return subscriber


def subscribe(subscriber: Subscriber, mailing_list: MailingList, status: str = "active", **fields) -> Subscription:
    if status == "active":
        fields.setdefault("confirmed_at", timezone.now())
    return Subscription.objects.create(subscriber=subscriber, mailing_list=mailing_list, status=status, **fields)
