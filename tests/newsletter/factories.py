"""Small builders for newsletter tests (plain functions, explicit arguments)."""

from __future__ import annotations

import itertools
from datetime import datetime

from django.utils import timezone

from newsletter.models import Digest, DigestItem, NewsItem
from subscribers.emails import email_hash, normalise_email
from subscribers.models import MailingList, Subscriber, Subscription
from tests.support.organisations import default_organisation

_seq = itertools.count(1)


def make_list(*, slug: str | None = None, is_public: bool = True, default_language: str = "en", **fields) -> MailingList:
    n = next(_seq)
    return MailingList.objects.create(
        name=fields.pop("name", f"List {n}"),
        slug=slug or f"list-{n}",
        from_name=fields.pop("from_name", "MMM News"),
        from_email=fields.pop("from_email", "news@example.org"),
        is_public=is_public,
        default_language=default_language,
        organisation=fields.pop("organisation", None) or default_organisation(),
        **fields,
    )


def make_subscriber(*, mailing_list: MailingList, language: str = "en", status: str = "active", email: str | None = None):
    address = normalise_email(email or f"reader{next(_seq)}@example.org")
    subscriber = Subscriber.objects.create(email=address, email_hash=email_hash(address), language=language)
    Subscription.objects.create(subscriber=subscriber, mailing_list=mailing_list, status=status)
    return subscriber


def make_item(*, title: str | None = None, published_at: datetime | None = None, mailing_list: MailingList | None = None,
              **fields) -> NewsItem:
    item = NewsItem.objects.create(
        title=title or f"Item {next(_seq)}",
        published_at=published_at or timezone.now(),
        summary=fields.pop("summary", "A short summary."),
        link=fields.pop("link", "https://example.org/news/1"),
        **fields,
    )
    if mailing_list is not None:
        item.mailing_lists.add(mailing_list)
    return item


def make_digest(*, mailing_list: MailingList, items: list[NewsItem] = (), **fields) -> Digest:
    digest = Digest.objects.create(
        mailing_list=mailing_list,
        subject=fields.pop("subject", "Our news"),
        preheader=fields.pop("preheader", "What happened this week"),
        intro=fields.pop("intro", "Dear friends,"),
        **fields,
    )
    for position, item in enumerate(items):
        DigestItem.objects.create(digest=digest, news_item=item, position=position)
    return digest
