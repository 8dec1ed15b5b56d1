"""CSV export of a list's or a segment's audience, and one subscriber's data as JSON (privacy requests)."""

from __future__ import annotations

import csv
from collections.abc import Iterator

from django.db.models import Prefetch

from subscribers.models import ConsentRecord, EmailEvent, Subscriber, Subscription, Topic
from subscribers.selectors import audience_subscribers

BASE_COLUMNS = ["email", "name", "language", "country", "topics", "subscribed_at"]
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class _Echo:
    def write(self, value: str) -> str:
        return value


def _cell(value: str) -> str:
    # Spreadsheets run cells starting with = + - @ as formulas: a name like "=HYPERLINK(...)" must stay text.
    return "'" + value if value.startswith(_FORMULA_START) else value


def audience_csv(*, list_id: int, segment_id: int | None = None) -> Iterator[str]:
    """Lines of CSV (same columns as the import, so a file can go back in) for who would receive mail now."""
    subscribers = list(
        audience_subscribers(list_id=list_id, segment_id=segment_id)
        .prefetch_related(Prefetch("topics", queryset=Topic.objects.only("slug")))
        .order_by("email")
    )
    joined = dict(
        Subscription.objects.filter(mailing_list_id=list_id, subscriber__in=[s.pk for s in subscribers]).values_list(
            "subscriber_id", "confirmed_at"
        )
    )
    extra = sorted({key for s in subscribers for key in s.attributes} - set(BASE_COLUMNS))
    writer = csv.writer(_Echo())
    yield writer.writerow(BASE_COLUMNS + extra)
    for s in subscribers:
        confirmed = joined.get(s.pk)
        values = [s.name, s.language, s.country, ";".join(t.slug for t in s.topics.all()),
                  confirmed.isoformat() if confirmed else ""]
        values += [str(s.attributes.get(key, "")) for key in extra]
        yield writer.writerow([s.email] + [_cell(v) for v in values])


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
