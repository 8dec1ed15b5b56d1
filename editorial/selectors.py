"""Reads behind the dashboard: what is scheduled, what is sending, how the last digests did, and how
the lists grow. Everything here reads; the delivery numbers come from worker.selectors and worker.results. Each takes the person
who asks (`user`): she sees the figures of her organisations' lists only (editorial.access)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext_lazy

from editorial.access import visible
from newsletter.audience import digest_spread, spread_sentence, zone_label
from newsletter.models import Digest
from subscribers.models import DigestEventCount, MailingList, Segment, Subscription
from subscribers.segments import SegmentFilterError
from subscribers.selectors import audience_subscribers, digest_failure_messages
from worker.models import DigestSend
from worker.providers import current_provider
from worker.results import PROVIDER_FIGURES, digest_clicks_per_link, digest_has_provider_reports, digest_statistics
from worker.selectors import ZoneProgress, digest_account, skipped_no_match, zone_progress

# Digest.Status labels are English; the dashboard shows them in the editor's language.
STATUS_LABELS = {
    Digest.Status.DRAFT: pgettext_lazy("digest status", "Draft"),
    Digest.Status.SCHEDULED: pgettext_lazy("digest status", "Scheduled"),
    Digest.Status.NEEDS_CONFIRMATION: pgettext_lazy("digest status", "Waiting for confirmation"),
    Digest.Status.PREPARING: pgettext_lazy("digest status", "Preparing"),
    Digest.Status.SENDING: pgettext_lazy("digest status", "Sending"),
    Digest.Status.PAUSED: pgettext_lazy("digest status", "Paused"),
    Digest.Status.SENT: pgettext_lazy("digest status", "Sent"),
    Digest.Status.CANCELLED: pgettext_lazy("digest status", "Cancelled"),
    Digest.Status.FAILED: pgettext_lazy("digest status", "Failed"),
}


def status_label(status: str) -> str:
    return str(STATUS_LABELS.get(status, status))


SENDING_STATUSES = (Digest.Status.PREPARING, Digest.Status.SENDING, Digest.Status.PAUSED)
SCHEDULED_STATUSES = (Digest.Status.SCHEDULED, Digest.Status.NEEDS_CONFIRMATION)
FINISHED_STATUSES = (Digest.Status.SENT, Digest.Status.FAILED, Digest.Status.CANCELLED)
# How long a send that ended stays in the live view with its final account: a send shorter than a poll, or one
# that ended while the tab was in the background, is still seen to have happened.
RECENTLY_FINISHED = timedelta(hours=1)
# The outcomes an editor reads for a finished digest, in the order of the table.
# "left_via_links": left through the digest's own unsubscribe links; "unsubscribed": through the provider's.
OUTCOME_KEYS = ("delivered", "bounced", "complained", "left_via_links", "unsubscribed", "opened", "clicked")
# The ones only a provider's report can tell (left_via_links is counted here, from our own links).
PROVIDER_OUTCOME_KEYS = PROVIDER_FIGURES


def audience_size(*, list_id: int, segment_id: int | None) -> int | None:
    """How many people the digest would go to now; None when the segment's filters cannot be used."""
    try:
        return audience_subscribers(list_id=list_id, segment_id=segment_id).count()
    except (SegmentFilterError, Segment.DoesNotExist):
        return None


@dataclass
class ScheduledDigest:
    digest: Digest
    audience: int | None

    @property
    def status_label(self) -> str:
        return status_label(self.digest.status)

    @property
    def spread(self) -> str:
        """For a digest sent at a local hour: its zones, first and last instant and span, before it starts."""
        return local_time_spread(digest=self.digest)


def local_time_spread(*, digest: Digest) -> str:
    """ "At 09:00 in each reader's time zone. Readers in 5 time zones, first at ...; the send spans 7 hours." for a
    local-time digest with a time; "" otherwise."""
    if digest.send_mode != Digest.SendMode.LOCAL_TIME or digest.local_send_time is None or digest.send_at is None:
        return ""
    found = digest_spread(digest=digest, send_at=digest.send_at, local_send_time=digest.local_send_time)
    hour = _("At %(time)s in each reader's time zone.") % {"time": f"{digest.local_send_time:%H:%M}"}
    return f"{hour} {spread_sentence(found)}" if found else hour


def scheduled_digests(*, user, limit: int = 20) -> list[ScheduledDigest]:
    """Digests waiting for their time (or for an editor's confirmation), soonest first."""
    digests = (
        visible(Digest.objects.all(), user).filter(status__in=SCHEDULED_STATUSES)
        .select_related("mailing_list", "segment", "scheduled_by")
        .order_by("send_at", "id")[:limit]
    )
    return [ScheduledDigest(d, audience_size(list_id=d.mailing_list_id, segment_id=d.segment_id)) for d in digests]


def duration_text(seconds: float | None) -> str:
    """'about 2 min 5 s' for an ETA; an empty string when unknown."""
    if seconds is None:
        return ""
    seconds = max(0, round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return _("about %(h)d h %(m)d min") % {"h": hours, "m": minutes}
    if minutes:
        return _("about %(m)d min %(s)d s") % {"m": minutes, "s": secs}
    return ngettext("about %(s)d second", "about %(s)d seconds", secs) % {"s": secs}


def send_rate(*, digest: Digest, sent: int, now: datetime | None = None) -> float:
    """Messages a second since the audience was frozen (the send's real start), never above the
    configured rate limit. Measured from the first batch's end instead, the first seconds would
    promise several times the real speed (a whole batch in no time)."""
    since = DigestSend.objects.filter(digest_id=digest.pk).values_list("planned_at", flat=True).first() or digest.started_at
    if not sent or since is None:
        return 0.0
    elapsed = ((digest.finished_at or now or timezone.now()) - since).total_seconds()
    if elapsed <= 0:
        return 0.0
    rate = sent / elapsed
    limit = current_provider().rate_per_second
    return min(rate, limit) if limit else rate


def _final_summary(*, digest: Digest, sent: int) -> str:
    """'Sent 37 at 10:02' (in the editor's time zone) for a send that ended."""
    when = date_format(timezone.localtime(digest.finished_at), "H:i") if digest.finished_at else ""
    values = {"sent": sent, "time": when}
    if digest.status == Digest.Status.CANCELLED:
        return _("Cancelled at %(time)s, %(sent)d sent") % values
    if digest.status == Digest.Status.FAILED:
        return _("Failed at %(time)s, %(sent)d sent") % values
    return _("Sent %(sent)d at %(time)s") % values


ZONE_STATE_LABELS = {
    "waiting": pgettext_lazy("time zone of a send", "waiting"),
    "sending": pgettext_lazy("time zone of a send", "sending"),
    "done": pgettext_lazy("time zone of a send", "done"),
}


def _zone_row(zone: ZoneProgress) -> dict:
    return {"zone": zone.zone, "label": zone_label(zone.zone), "state": zone.state,
            "state_label": str(ZONE_STATE_LABELS[zone.state]), "starts_at": zone.starts_at.isoformat(),
            "starts_at_text": f"{zone.starts_at.astimezone(UTC):%H:%M} UTC", "readers": zone.readers}


def _zones_text(zones: list[ZoneProgress]) -> str:
    """ "2 of 5 time zones done; next: New York at 14:00 UTC" (empty for a send at one moment)."""
    if not zones:
        return ""
    done = sum(zone.state == "done" for zone in zones)
    text = ngettext("%(done)d of %(count)d time zone done", "%(done)d of %(count)d time zones done", len(zones)) % {
        "done": done, "count": len(zones)}
    waiting = [zone for zone in zones if zone.state == "waiting"]
    if waiting:
        text += "; " + _("next: %(zone)s at %(time)s UTC") % {
            "zone": zone_label(waiting[0].zone), "time": f"{waiting[0].starts_at.astimezone(UTC):%H:%M}"}
    return text


def sending_progress(*, digest: Digest) -> dict:
    """One digest of the live view (sending, or ended a moment ago) as the dashboard's JSON endpoint and template
    show it; a local-time send also each time zone's state (waiting, sending, done)."""
    progress = digest_account(digest_id=digest.pk)
    zones = zone_progress(digest_id=digest.pk) if digest.send_mode == Digest.SendMode.LOCAL_TIME else []
    total = progress["total"]
    done = total - progress["pending"]
    status = digest.status
    finished = status in FINISHED_STATUSES
    progress["rate"] = send_rate(digest=digest, sent=progress["sent"])
    no_match = skipped_no_match(digest_id=digest.pk) if progress["skipped"] else 0
    eta = progress["pending"] / progress["rate"] if status == Digest.Status.SENDING and progress["rate"] else None
    return {
        "id": digest.pk,
        "subject": digest.subject,
        "list": digest.mailing_list.name,
        "status": status,
        "status_label": status_label(status),
        "total": total,
        "done": done,
        "sent": progress["sent"],
        "failed": progress["failed"],
        "uncertain": progress["uncertain"],
        "skipped": progress["skipped"],
        "skipped_no_match": no_match,
        "skipped_other": progress["skipped"] - no_match,
        "skipped_text": (ngettext("%(count)d skipped: no item matches her interests",
                                  "%(count)d skipped: no item matches their interests", no_match) % {"count": no_match}
                         if no_match else ""),
        "pending": progress["pending"],
        "percent": round(100 * done / total, 1) if total else 0.0,
        "rate": round(progress["rate"], 2),
        "eta_seconds": round(eta) if eta is not None else None,
        "finished": finished,
        "summary": (_final_summary(digest=digest, sent=progress["sent"]) if finished else
                    _("%(sent)d of %(total)d sent") % {"sent": progress["sent"], "total": total}),
        # An ended send's average rate says nothing an editor needs (a tiny send ends "in no time").
        "rate_text": "" if finished else _("%(rate).1f messages/s") % {"rate": progress["rate"]},
        "eta_text": duration_text(eta) if eta is not None else ("" if status == Digest.Status.SENDING or finished else
                                                                  status_label(status)),
        "zones": [_zone_row(zone) for zone in zones],
        "zones_text": _zones_text(zones),
        "can_pause": status == Digest.Status.SENDING,
        "can_resume": status == Digest.Status.PAUSED,
        "can_cancel": status in SENDING_STATUSES,
    }


def sending_digests(*, user, now: datetime | None = None) -> list[dict]:
    """The live view: digests preparing, sending or paused, each with its progress (sent/total, rate, ETA), and
    those that started and ended within RECENTLY_FINISHED, with their final account ("Sent 37 at 10:02")."""
    since = (now or timezone.now()) - RECENTLY_FINISHED
    digests = (visible(Digest.objects.all(), user)
               .filter(Q(status__in=SENDING_STATUSES)
                       | Q(status__in=FINISHED_STATUSES, started_at__isnull=False, finished_at__gte=since))
               .select_related("mailing_list").order_by("started_at", "id"))
    return [sending_progress(digest=d) for d in digests]


def live_heading(*, sends: list[dict]) -> str:
    """The live view's heading: "Sending now" while a send is under way (or none is), "Finished a moment ago"
    once every send it shows has ended."""
    if sends and all(send["finished"] for send in sends):
        return _("Finished a moment ago")
    return _("Sending now")


# The phases the desk's live view tells apart, from a digest's status.
LIVE_PHASES = {
    Digest.Status.DRAFT: "draft",
    Digest.Status.SCHEDULED: "scheduled",
    Digest.Status.NEEDS_CONFIRMATION: "scheduled",
    Digest.Status.PREPARING: "preparing",
    Digest.Status.SENDING: "sending",
    Digest.Status.PAUSED: "paused",
    Digest.Status.SENT: "ended",
    Digest.Status.FAILED: "ended",
    Digest.Status.CANCELLED: "ended",
}
# Each phase's stage: a page drawn for one stage (nothing sent yet, going out, ended) is redrawn when it changes.
LIVE_STAGES = {"draft": "before", "scheduled": "before", "preparing": "before", "sending": "going", "paused": "going",
               "ended": "ended"}


def digest_live_state(*, digest_id: int) -> dict:
    """One digest's state now, for a view that polls it: its phase (draft, scheduled, preparing, sending, paused,
    ended) and stage (LIVE_STAGES), whether to keep polling, and its progress (sending_progress). Read afresh on
    every poll, so a send that started and ended between two polls shows ended with its final account, never the
    phase it was last seen in."""
    digest = Digest.objects.select_related("mailing_list").get(pk=digest_id)
    phase = LIVE_PHASES.get(digest.status, "draft")
    return {**sending_progress(digest=digest), "phase": phase, "stage": LIVE_STAGES[phase], "polling": phase != "ended",
            "send_at": digest.send_at, "started_at": digest.started_at, "finished_at": digest.finished_at}


def scheduled_digest_ids(*, user) -> list[int]:
    """The digests waiting for their time or a confirmation: the live view reloads when this set changes, so a
    digest scheduled after the page was opened shows with its time."""
    return list(visible(Digest.objects.all(), user).filter(status__in=SCHEDULED_STATUSES)
                .order_by("id").values_list("id", flat=True))


@dataclass
class Outcome:
    key: str
    label: str
    count: int | None  # None: not measured (opens and clicks on a list without tracking), or no report yet
    rate: float | None  # share of the recipients accepted by the provider, in percent
    waiting: bool = False  # a provider's figure before its first report: "waiting", never a 0 %


@dataclass
class FinishedDigest:
    digest: Digest
    account: dict[str, int]
    outcomes: list[Outcome] = field(default_factory=list)
    links: list[dict] = field(default_factory=list)  # clicks per link (worker.results.digest_clicks_per_link)
    reports: bool = True  # the provider has reported on it at least once

    @property
    def waiting_for_reports(self) -> bool:
        return not self.reports and self.account["sent"] > 0

    @property
    def status_label(self) -> str:
        return status_label(self.digest.status)


def _outcome_labels() -> dict[str, str]:
    return {"delivered": _("delivered"), "bounced": _("bounced"), "complained": _("complained"),
            "left_via_links": _("left through its links"), "unsubscribed": _("unsubscribed at the provider"),
            "opened": _("opened"), "clicked": _("clicked")}


def finished_digests(*, user, limit: int = 10) -> list[FinishedDigest]:
    """The last digests that finished sending, newest first, with outcome counts and rates."""
    digests = (
        visible(Digest.objects.all(), user)
        .filter(status__in=(Digest.Status.SENT, Digest.Status.FAILED), finished_at__isnull=False)
        .select_related("mailing_list", "segment")
        .order_by("-finished_at", "-id")[:limit]
    )
    labels = _outcome_labels()
    rows = []
    for digest in digests:
        account = digest_account(digest_id=digest.pk)
        stats = digest_statistics(digest_id=digest.pk)
        base = account["sent"]
        reports = digest_has_provider_reports(digest_id=digest.pk)
        outcomes = []
        for key in OUTCOME_KEYS:
            count = stats.get(key)
            if not reports and key in PROVIDER_OUTCOME_KEYS and count is not None:
                outcomes.append(Outcome(key, labels[key], None, None, waiting=True))
                continue
            rate = round(100 * count / base, 1) if count is not None and base else None
            outcomes.append(Outcome(key, labels[key], count, rate))
        rows.append(FinishedDigest(digest, account, outcomes, digest_clicks_per_link(digest_id=digest.pk), reports))
    return rows


@dataclass
class ListGrowth:
    mailing_list: MailingList
    active: int
    weeks: list[date]
    joins: list[int]
    leaves: list[int]


def _week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def list_growth(*, user, weeks: int = 12, now: datetime | None = None) -> list[ListGrowth]:
    """Per list: people who joined (confirmed) and left (unsubscribed) in each of the last `weeks`
    weeks (Monday to Sunday in the active time zone), oldest week first, and the active count now."""
    zone = timezone.get_current_timezone()
    today = timezone.localdate(now or timezone.now(), zone)
    first = _week_start(today) - timedelta(weeks=weeks - 1)
    week_starts = [first + timedelta(weeks=i) for i in range(weeks)]
    since = datetime.combine(first, datetime.min.time(), tzinfo=zone)

    def per_week(field_name: str) -> dict[tuple[int, date], int]:
        rows = (
            visible(Subscription.objects.all(), user).filter(**{f"{field_name}__gte": since})
            .annotate(day=TruncDate(field_name, tzinfo=zone))
            .values("mailing_list_id", "day")
            .annotate(n=Count("id"))
        )
        counts: dict[tuple[int, date], int] = {}
        for row in rows:
            key = (row["mailing_list_id"], _week_start(row["day"]))
            counts[key] = counts.get(key, 0) + row["n"]
        return counts

    joins = per_week("confirmed_at")
    leaves = per_week("unsubscribed_at")
    lists = visible(MailingList.objects.all(), user).annotate(
        active_count=Count("subscriptions", filter=Q(subscriptions__status=Subscription.Status.ACTIVE))
    ).order_by("name")
    return [
        ListGrowth(
            mailing_list=ml,
            active=ml.active_count,
            weeks=week_starts,
            joins=[joins.get((ml.pk, w), 0) for w in week_starts],
            leaves=[leaves.get((ml.pk, w), 0) for w in week_starts],
        )
        for ml in lists
    ]


@dataclass
class SegmentSize:
    segment: Segment
    count: int | None
    list_total: int


def segment_sizes(*, user) -> list[SegmentSize]:
    """Each saved segment's audience now (the same count as the segment form's live preview) beside
    its whole list's audience."""
    totals: dict[int, int] = {}
    rows = []
    for segment in visible(Segment.objects.all(), user).select_related("mailing_list").order_by("mailing_list__name", "name"):
        if segment.mailing_list_id not in totals:
            totals[segment.mailing_list_id] = audience_size(list_id=segment.mailing_list_id, segment_id=None) or 0
        rows.append(SegmentSize(segment, audience_size(list_id=segment.mailing_list_id, segment_id=segment.pk),
                                totals[segment.mailing_list_id]))
    return rows


@dataclass(frozen=True)
class BreakerTrip:
    digest: Digest
    outcomes: int
    blocks: int
    complaints: int
    reason: str
    messages: list[tuple[str, int]]  # the most frequent SMTP answers of the blocks and complaints, with counts

    @property
    def block_percent(self) -> float:
        return round(100 * self.blocks / self.outcomes, 2) if self.outcomes else 0.0

    @property
    def complaint_percent(self) -> float:
        return round(100 * self.complaints / self.outcomes, 2) if self.outcomes else 0.0


def breaker_trips(*, user) -> list[BreakerTrip]:
    """Digests the circuit breaker paused (worker.breaker) that nobody has resumed or cancelled yet."""
    paused = {d.pk: d for d in visible(Digest.objects.all(), user).filter(status=Digest.Status.PAUSED)
              .select_related("mailing_list")}
    if not paused:
        return []
    counts = DigestEventCount.objects.filter(digest_id__in=list(paused), breaker_tripped_at__isnull=False)
    return [
        BreakerTrip(digest=paused[c.digest_id], outcomes=c.outcomes, blocks=c.block, complaints=c.complaint,
                    reason=c.breaker_reason,
                    messages=digest_failure_messages(digest_id=c.digest_id, bounce_classes=["block", "complaint"]))
        for c in counts.order_by("breaker_tripped_at")
    ]
