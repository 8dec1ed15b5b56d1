"""What readers and their providers made of a digest, as an editor reads it: delivered, bounced (by class),
complaints, unsubscribes, opens and clicks (in total, over time, per link, per language).

The one home of these reads: the Sends admin's results page, the dashboard and the desk's results pages all
call them. Provider figures are unknown, not zero, until the provider's first report (`waiting`); opens and
clicks exist only where the list tracks them. Nothing internal (provider calls, batches) is read here."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from django.db.models import Count, DateTimeField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, TruncDate, TruncHour
from django.utils import timezone
from django.utils.translation import gettext_lazy

from newsletter.models import Digest
from subscribers.bounces import BOUNCE_LABELS
from subscribers.models import DigestEventCount, EmailEvent, Subscription
from worker.models import Delivery
from worker.selectors import digest_account, skipped_no_match

# Provider events counted per digest; opens and clicks only where the list allows tracking.
_EVENT_TYPES = ("delivered", "bounced", "rejected", "failed", "deferred", "complained", "unsubscribed")
_TRACKING_TYPES = ("opened", "clicked")
# The provider's figures shown per language (opens and clicks only where the list tracks).
_PER_LANGUAGE_TYPES = ("delivered", "bounced", "complained")
BOUNCE_CLASS_KEYS = ("hard", "soft", "block", "rejected", "complaint")
# Opens and clicks are counted by the hour for this long after the send started, then by the day.
HOURLY_SPAN = timedelta(hours=48)

# What each figure of a send's results means to an editor.
RESULT_LABELS = {
    "total": gettext_lazy("Audience (copies planned)"),
    "sent": gettext_lazy("Sent (accepted by the provider)"),
    "delivered": gettext_lazy("Delivered"),
    "bounced": gettext_lazy("Bounced"),
    "complained": gettext_lazy("Marked as spam"),
    "left_via_links": gettext_lazy("Left through this digest's unsubscribe link"),
    "unsubscribed": gettext_lazy("Unsubscribed at the provider"),
    "opened": gettext_lazy("Opened"),
    "clicked": gettext_lazy("Clicked"),
    "failed": gettext_lazy("Could not be sent"),
    "uncertain": gettext_lazy("Uncertain (perhaps sent)"),
    "skipped": gettext_lazy("Skipped (no longer subscribed)"),
    "skipped_no_match": gettext_lazy("Skipped: no item matches her interests"),
    "pending": gettext_lazy("Still to send"),
}
# The figures of a send's results, in the order an editor reads them; the account's troubles only when not zero.
RESULT_KEYS = ("total", "sent", "delivered", "bounced", "complained", "left_via_links", "unsubscribed", "opened",
               "clicked", "failed", "uncertain", "skipped", "skipped_no_match", "pending")
_SHOWN_WHEN_NOT_ZERO = frozenset({"failed", "uncertain", "skipped", "skipped_no_match", "pending"})
# The figures only a provider's report can tell: unknown, not zero, until its first report.
PROVIDER_FIGURES = frozenset({"delivered", "bounced", "complained", "unsubscribed", "opened", "clicked"})
# The figures given as a share of the copies the provider accepted (what readers did with them).
_SHARE_OF_SENT = PROVIDER_FIGURES | {"left_via_links"}


def digest_statistics(*, digest_id: int) -> dict[str, int]:
    """Recipients per provider event type (distinct addresses), from the webhook events stored in EmailEvent
    ("complained", "unsubscribed" at the provider, ...), and `left_via_links`: readers who left through
    this digest's own unsubscribe link or one-click (digest_leavers)."""
    digest = Digest.objects.select_related("mailing_list__organisation").filter(pk=digest_id).first()
    if digest is None:
        return {}
    types = _EVENT_TYPES + (_TRACKING_TYPES if digest.mailing_list.tracking_enabled else ())
    rows = (
        EmailEvent.objects.filter(digest_id=digest_id, event_type__in=types)
        .values("event_type")
        .annotate(n=Count("recipient_hash", distinct=True), rows=Count("id"))
    )
    found = {row["event_type"]: row["n"] or row["rows"] for row in rows}
    return {**{event_type: found.get(event_type, 0) for event_type in types},
            "left_via_links": digest_leavers(digest_id=digest_id)}


def digest_has_provider_reports(*, digest_id: int) -> bool:
    """Whether the provider has reported anything on this digest yet (a stored webhook event): until then its
    delivered, bounced, opened... figures are unknown, not zero."""
    return EmailEvent.objects.filter(digest_id=digest_id).exists()


def digest_leavers(*, digest_id: int) -> int:
    """Readers whose subscription was ended by this digest's unsubscribe link (footer page or one-click), and
    not ended again since (Subscription.unsubscribed_via_digest_id)."""
    return Subscription.objects.filter(unsubscribed_via_digest_id=digest_id).count()


def _language_of_delivery():
    return Subquery(Delivery.objects.filter(pk=OuterRef("delivery_id")).values("language")[:1])


def digest_clicks_per_link(*, digest_id: int, limit: int = 20) -> list[dict]:
    """The digest's clicked links, most readers first: {"url", "readers" (distinct), "clicks", "languages"
    (readers per language of the copy, {code: n})}, from the stored `clicked` events, whose links were stored
    without personal tokens (so everyone's copy of a link is one row). Empty when the list does not track."""
    if not Digest.objects.filter(pk=digest_id, mailing_list__tracking_enabled=True).exists():
        return []
    clicks = EmailEvent.objects.filter(digest_id=digest_id, event_type="clicked").exclude(url="")
    rows = (
        clicks.values("url")
        .annotate(readers=Count("recipient_hash", distinct=True), clicks=Count("id"))
        .order_by("-readers", "-clicks", "url")[:limit]
    )
    links = [{"url": row["url"], "readers": row["readers"] or row["clicks"], "clicks": row["clicks"], "languages": {}}
             for row in rows]
    by_url = {link["url"]: link for link in links}
    per_language = (
        clicks.filter(url__in=list(by_url)).annotate(language=_language_of_delivery())
        .values("url", "language").annotate(readers=Count("recipient_hash", distinct=True), clicks=Count("id"))
    )
    for row in per_language:
        if row["language"]:
            by_url[row["url"]]["languages"][row["language"]] = row["readers"] or row["clicks"]
    return links


def digest_results_per_language(*, digest_id: int) -> list[dict]:
    """Per language of the copies sent, in language order: {"language", "total", "sent", "failed", "delivered",
    "bounced", "complained", "left_via_links", "opened", "clicked"} (distinct readers per event type; opened and
    clicked None when the list does not track). Events and leavers map to a language through their delivery."""
    digest = Digest.objects.select_related("mailing_list").filter(pk=digest_id).first()
    if digest is None:
        return []
    tracking = digest.mailing_list.tracking_enabled
    types = _PER_LANGUAGE_TYPES + (_TRACKING_TYPES if tracking else ())
    rows = {
        row["language"]: {"language": row["language"], "total": row["total"], "sent": row["sent"], "failed": row["failed"]}
        for row in Delivery.objects.filter(digest_id=digest_id).values("language").annotate(
            total=Count("id"), sent=Count("id", filter=Q(status=Delivery.Status.SENT)),
            failed=Count("id", filter=Q(status=Delivery.Status.FAILED)))
    }
    events = (
        EmailEvent.objects.filter(digest_id=digest_id, event_type__in=types)
        .annotate(language=_language_of_delivery())
        .values("language", "event_type")
        .annotate(n=Count("recipient_hash", distinct=True), rows=Count("id"))
    )
    found = {(row["language"], row["event_type"]): row["n"] or row["rows"] for row in events}
    leavers = {
        row["language"]: row["n"]
        for row in Subscription.objects.filter(unsubscribed_via_digest_id=digest_id)
        .annotate(language=Subquery(Delivery.objects.filter(digest_id=digest_id, subscriber_id=OuterRef("subscriber_id"))
                                    .values("language")[:1]))
        .values("language").annotate(n=Count("id"))
    }
    for language, row in rows.items():
        for event_type in _PER_LANGUAGE_TYPES + _TRACKING_TYPES:
            row[event_type] = found.get((language, event_type), 0) if event_type in types else None
        row["left_via_links"] = leavers.get(language, 0)
    return [rows[language] for language in sorted(rows)]


def digest_bounce_classes(*, digest_id: int) -> dict[str, int]:
    """Failures by bounce class (subscribers.bounces.BounceClass), each delivery counted once per class."""
    counts = DigestEventCount.objects.filter(digest_id=digest_id).values(*BOUNCE_CLASS_KEYS).first() or {}
    return {key: counts.get(key, 0) for key in BOUNCE_CLASS_KEYS}


@dataclass(frozen=True)
class ActivityBucket:
    start: datetime | date  # an hour (aware, in the current time zone) or a day
    hourly: bool
    opens: int
    clicks: int


def digest_activity(*, digest_id: int, now: datetime | None = None) -> list[ActivityBucket]:
    """Opens and clicks (events, not readers: a reader opening twice counts twice) over time: one bucket per hour
    for the first HOURLY_SPAN after the send started, then one per day up to the last event, in the current time
    zone. Empty when the list does not track or nobody opened or clicked yet."""
    digest = Digest.objects.select_related("mailing_list").filter(pk=digest_id).first()
    if digest is None or not digest.mailing_list.tracking_enabled:
        return []
    events = (EmailEvent.objects.filter(digest_id=digest_id, event_type__in=_TRACKING_TYPES)
              .annotate(at=Coalesce("occurred_at", "received_at", output_field=DateTimeField())))
    first_event = events.order_by("at").values_list("at", flat=True).first()
    if first_event is None:
        return []
    zone = timezone.get_current_timezone()
    began = min(digest.started_at or first_event, first_event)
    # Steps are taken in UTC so that a change of daylight saving time neither skips nor repeats an hour.
    first_hour = timezone.localtime(began, zone).replace(minute=0, second=0, microsecond=0).astimezone(UTC)
    hourly_end = first_hour + HOURLY_SPAN

    def counted(rows, bucket):
        found: dict = {}
        for row in rows:
            opens, clicks = found.get(row[bucket], (0, 0))
            found[row[bucket]] = (opens + row["n"], clicks) if row["event_type"] == "opened" else (opens, clicks + row["n"])
        return found

    hours = counted(events.filter(at__lt=hourly_end).annotate(hour=TruncHour("at", tzinfo=zone))
                    .values("hour", "event_type").annotate(n=Count("id")), "hour")
    days = counted(events.filter(at__gte=hourly_end).annotate(day=TruncDate("at", tzinfo=zone))
                   .values("day", "event_type").annotate(n=Count("id")), "day")
    latest = max(now or timezone.now(), *(hour for hour in hours))
    buckets = []
    hour = first_hour
    while hour < hourly_end and hour <= latest:
        opens, clicks = hours.get(hour, (0, 0))
        buckets.append(ActivityBucket(timezone.localtime(hour, zone), True, opens, clicks))
        hour += timedelta(hours=1)
    if days:
        day, last_day = timezone.localtime(hourly_end, zone).date(), max(days)
        while day <= last_day:
            opens, clicks = days.get(day, (0, 0))
            buckets.append(ActivityBucket(day, False, opens, clicks))
            day += timedelta(days=1)
    return buckets


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    count: int | None  # None while waiting for the provider's first report
    rate: float | None  # share of the copies the provider accepted, in percent
    waiting: bool = False


@dataclass
class DigestResults:
    """Everything an editor reads about one digest's results."""

    digest: Digest
    account: dict[str, int]
    tracking: bool
    reports: bool  # the provider has reported on it at least once
    figures: list[Figure] = field(default_factory=list)
    bounces: list[tuple[str, str, int]] = field(default_factory=list)  # (class, plain words, count), not-zero only
    per_language: list[dict] = field(default_factory=list)
    links: list[dict] = field(default_factory=list)
    activity: list[ActivityBucket] = field(default_factory=list)

    @property
    def waiting_for_reports(self) -> bool:
        return not self.reports and self.account["sent"] > 0

    def figure(self, key: str) -> Figure | None:
        return next((f for f in self.figures if f.key == key), None)


def result_figures(*, account: dict[str, int], statistics: dict[str, int], reports: bool,
                   no_match: int = 0) -> list[Figure]:
    """The figures in RESULT_KEYS order, each with its share of the copies sent: a provider's figure before its
    first report is `waiting` (never a 0 %), opens and clicks of a list that does not track are left out, and
    the account's troubles (failed, uncertain, skipped, pending) only show when there are some. `no_match` of the
    skipped were readers of a tailored digest whose interests matched no item (worker.selectors.skipped_no_match)."""
    values = {**account, **statistics}
    if "skipped" in values:
        values["skipped"], values["skipped_no_match"] = values["skipped"] - no_match, no_match
    base = account["sent"]
    figures = []
    for key in RESULT_KEYS:
        if key not in values or (key in _SHOWN_WHEN_NOT_ZERO and not values[key]):
            continue
        if key in PROVIDER_FIGURES and not reports and base:
            figures.append(Figure(key, str(RESULT_LABELS[key]), None, None, waiting=True))
            continue
        rate = round(100 * values[key] / base, 1) if base and key in _SHARE_OF_SENT else None
        figures.append(Figure(key, str(RESULT_LABELS[key]), values[key], rate))
    return figures


def digest_headline(*, digest_id: int) -> DigestResults | None:
    """A digest's figures only (account, provider figures, waiting, tracking): what a page polls while the digest
    is going out. None for an unknown digest."""
    digest = Digest.objects.select_related("mailing_list", "segment").filter(pk=digest_id).first()
    if digest is None:
        return None
    account = digest_account(digest_id=digest_id)
    reports = digest_has_provider_reports(digest_id=digest_id)
    return DigestResults(
        digest=digest, account=account, tracking=digest.mailing_list.tracking_enabled, reports=reports,
        figures=result_figures(account=account, statistics=digest_statistics(digest_id=digest_id), reports=reports,
                               no_match=skipped_no_match(digest_id=digest_id)),
    )


def digest_results(*, digest_id: int, now: datetime | None = None) -> DigestResults | None:
    """One digest's results for an editor (None for an unknown digest): its figures, bounces by kind, everything
    per language, clicks per link, and opens and clicks over time."""
    results = digest_headline(digest_id=digest_id)
    if results is None:
        return None
    results.bounces = [(key, str(BOUNCE_LABELS[key]), n) for key, n in digest_bounce_classes(digest_id=digest_id).items() if n]
    results.per_language = digest_results_per_language(digest_id=digest_id)
    results.links = digest_clicks_per_link(digest_id=digest_id)
    results.activity = digest_activity(digest_id=digest_id, now=now)
    return results
