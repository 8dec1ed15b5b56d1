"""Builders for delivery tests: a list, a large audience in two statements, a digest ready to send."""

from __future__ import annotations

import itertools
import uuid

from django.utils import timezone

from newsletter.models import Digest, DigestVariant
from subscribers.emails import email_hash
from subscribers.models import MailingList, Subscriber, Subscription
from tests.support.organisations import default_organisation
from worker import sql as worker_sql

_seq = itertools.count(1)

HTML = (
    '<html><body><p>Hello %%name%%</p><p><a href="%%web_url%%">View in browser</a></p>'
    '<p><a href="%%unsubscribe_url%%">Unsubscribe</a> <a href="%%preferences_url%%">Preferences</a></p></body></html>'
)
TEXT = "Hello %%name%%\nUnsubscribe: %%unsubscribe_url%%\nPreferences: %%preferences_url%%\n"


def make_list(**fields) -> MailingList:
    n = next(_seq)
    defaults = {"name": f"Digest list {n}", "slug": f"digest-list-{n}", "from_name": "MMM News",
                "from_email": "news@mg.example.org"}
    defaults.update(fields)
    defaults.setdefault("organisation", default_organisation())
    return MailingList.objects.create(**defaults)


def make_audience(mailing_list: MailingList, count: int, *, language: str = "en", prefix: str = "reader",
                  status: str = "active", time_zone: str = "") -> list[Subscriber]:
    """`count` subscribers with a subscription in `status`, created with two bulk INSERTs."""
    run = next(_seq)
    subscribers = Subscriber.objects.bulk_create(
        [
            Subscriber(email=f"{prefix}{run}-{i}@example.org", email_hash=email_hash(f"{prefix}{run}-{i}@example.org"),
                       name=f"Reader {i}", language=language, time_zone=time_zone)
            for i in range(count)
        ]
    )
    now = timezone.now()
    Subscription.objects.bulk_create(
        [Subscription(subscriber=s, mailing_list=mailing_list, status=status, confirmed_at=now) for s in subscribers]
    )
    return subscribers


def make_digest(mailing_list: MailingList, *, status: str = Digest.Status.SCHEDULED, send_at=None, **fields) -> Digest:
    return Digest.objects.create(
        mailing_list=mailing_list,
        subject=fields.pop("subject", "Our news this week"),
        status=status,
        send_at=send_at or timezone.now(),
        **fields,
    )


def make_variant(digest: Digest, *, language: str = "en", subject: str | None = None) -> DigestVariant:
    return DigestVariant.objects.create(digest=digest, language=language, subject=subject or digest.subject,
                                        html=HTML, text=TEXT, size_bytes=len(HTML))


def claim_batch(*, batch_id: int, claimer: str = "") -> str | None:
    """Claim a batch as batch_send does (the claim and the read of its work in one statement): the claim
    token, or None when the batch was not ours to claim."""
    token = uuid.uuid4().hex
    claimed = worker_sql.claim_work(batch_id=batch_id, token=token, claimer=claimer, now=timezone.now())
    return token if claimed is not None else None
