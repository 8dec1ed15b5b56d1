"""CSV export of a list's or a segment's audience, and one subscriber's data as JSON (privacy requests)."""

from __future__ import annotations

import csv
from collections.abc import Iterator

from django.db.models import OuterRef, Prefetch, Subquery

from subscribers.csv_cells import neutralise_row
from subscribers.models import ConsentRecord, EmailEvent, Subscriber, Subscription, Topic
from subscribers.selectors import audience_subscribers

BASE_COLUMNS = ["email", "name", "language", "country", "topics", "subscribed_at"]


class _Echo:
    def write(self, value: str) -> str:
        return value


def audience_csv(*, list_id: int, segment_id: int | None = None) -> Iterator[str]:
    """Lines of CSV (same columns as the import, so a file can go back in) for who would receive mail now.

    Streams in chunks: two passes over the audience (attribute names, then rows), never all rows in memory.
    """
    audience = audience_subscribers(list_id=list_id, segment_id=segment_id)
    extra_keys: set[str] = set()
    for attributes in audience.order_by().values_list("attributes", flat=True).iterator(chunk_size=5000):
        if isinstance(attributes, dict):
            extra_keys.update(attributes)
    extra = sorted(extra_keys - set(BASE_COLUMNS))
    joined = Subscription.objects.filter(subscriber_id=OuterRef("pk"), mailing_list_id=list_id).values("confirmed_at")[:1]
    rows = (
        audience.annotate(joined_at=Subquery(joined))
        .prefetch_related(Prefetch("topics", queryset=Topic.objects.only("slug").order_by("slug")))
        .order_by("email")
        .iterator(chunk_size=2000)
    )
    writer = csv.writer(_Echo())
    # Every cell, the header (attribute names come from imported files) and the address included.
    yield writer.writerow(neutralise_row(BASE_COLUMNS + extra))
    for s in rows:
        values = [s.email, s.name, s.language, s.country, ";".join(t.slug for t in s.topics.all()),
                  s.joined_at.isoformat() if s.joined_at else ""]
        values += [str(s.attributes.get(key, "")) for key in extra]
        yield writer.writerow(neutralise_row(values))


def subscriber_data(*, subscriber_id: int) -> dict:
    """Everything we hold about one person, for an access request (GDPR art. 15)."""
    s = Subscriber.objects.get(pk=subscriber_id)
    return {
        "email": s.email,
        "name": s.name,
        "language": s.language,
        "country": s.country,
        "time_zone": s.time_zone,
        "attributes": s.attributes,
        "created_at": s.created_at.isoformat(),
        "topics": list(s.topics.values_list("slug", flat=True)),
        "subscriptions": [
            {
                "list": sub.mailing_list.slug,
                "status": sub.status,
                "created_at": sub.created_at.isoformat(),
                "confirmed_at": sub.confirmed_at.isoformat() if sub.confirmed_at else None,
                "unsubscribed_at": sub.unsubscribed_at.isoformat() if sub.unsubscribed_at else None,
            }
            for sub in s.subscriptions.select_related("mailing_list").order_by("created_at")
        ],
        "consents": [
            {
                "list": c.mailing_list.slug if c.mailing_list else None,
                "text": c.text,
                "version": c.version,
                "source": c.source,
                "ip_address": c.ip_address,
                "user_agent": c.user_agent,
                "created_at": c.created_at.isoformat(),
            }
            for c in ConsentRecord.objects.filter(subscriber=s).select_related("mailing_list").order_by("created_at")
        ],
        "email_events": [
            {"type": e.event_type, "digest_id": e.digest_id, "occurred_at": e.occurred_at.isoformat() if e.occurred_at else None}
            for e in EmailEvent.objects.filter(recipient_hash=s.email_hash).order_by("occurred_at")
        ],
    }
