"""A digest's results as an editor reads them (worker.results): figures, waiting for the provider, tracking off,
bounce classes, opens and clicks over time, clicks per link and everything per language."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from newsletter.models import Digest
from subscribers.models import DigestEventCount, EmailEvent, Subscription
from tests.worker.factories import make_audience, make_digest, make_list, make_variant
from worker.models import Delivery
from worker.planning import audience_plan
from worker.results import digest_activity, digest_clicks_per_link, digest_results, digest_results_per_language

pytestmark = [pytest.mark.django_db]

STARTED = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def sent_digest(*, tracking: bool = True, french: int = 2, arabic: int = 1) -> Digest:
    mailing_list = make_list(tracking_enabled=tracking)
    make_audience(mailing_list, french, language="fr")
    make_audience(mailing_list, arabic, language="ar")
    digest = make_digest(mailing_list, status=Digest.Status.SENDING, subject="March news")
    audience_plan(digest=digest, variants=[make_variant(digest, language="fr"), make_variant(digest, language="ar")],
                  batch_size=10)
    Delivery.objects.filter(digest=digest).update(status=Delivery.Status.SENT, sent_at=STARTED)
    Digest.objects.filter(pk=digest.pk).update(status=Digest.Status.SENT, started_at=STARTED,
                                               finished_at=STARTED + timedelta(minutes=1))
    return Digest.objects.get(pk=digest.pk)


_events = iter(range(1, 10**6))


def event(digest: Digest, delivery: Delivery, event_type: str, *, at: datetime = STARTED, **fields) -> EmailEvent:
    return EmailEvent.objects.create(event_id=f"ev-{next(_events)}", event_type=event_type, digest_id=digest.pk,
                                     delivery_id=delivery.pk, recipient_hash=f"r{delivery.pk}", occurred_at=at, **fields)


def deliveries(digest: Digest, language: str) -> list[Delivery]:
    return list(Delivery.objects.filter(digest=digest, language=language).order_by("id"))


def test_it_waits_for_the_provider_instead_of_showing_zero_per_cent():
    digest = sent_digest()

    results = digest_results(digest_id=digest.pk)

    assert results.waiting_for_reports
    figures = {f.key: f for f in results.figures}
    assert figures["total"].count == 3 and figures["sent"].count == 3
    for key in ("delivered", "bounced", "complained", "opened", "clicked"):
        assert figures[key].waiting and figures[key].count is None and figures[key].rate is None
    # Leaving through our own links is ours to count, not the provider's: never "waiting".
    assert figures["left_via_links"].count == 0 and not figures["left_via_links"].waiting


def test_it_gives_shares_of_what_readers_did_only_and_the_account_s_troubles_only_when_there_are_some():
    digest = sent_digest()
    Delivery.objects.filter(pk=deliveries(digest, "ar")[0].pk).update(status=Delivery.Status.PENDING)

    figures = {f.key: f for f in digest_results(digest_id=digest.pk).figures}

    assert (figures["pending"].count, figures["pending"].rate) == (1, None)
    assert figures["total"].rate is None and figures["sent"].rate is None
    assert "failed" not in figures and "uncertain" not in figures and "skipped" not in figures


def test_it_counts_the_figures_with_their_share_once_the_provider_reported():
    digest = sent_digest()
    [fr1, fr2], [ar1] = deliveries(digest, "fr"), deliveries(digest, "ar")
    event(digest, fr1, "delivered")
    event(digest, fr2, "delivered")
    event(digest, ar1, "bounced", bounce_class="hard")
    event(digest, fr1, "complained", bounce_class="complaint")
    DigestEventCount.objects.create(digest_id=digest.pk, outcomes=3, delivered=2, hard=1, complaint=1)

    results = digest_results(digest_id=digest.pk)

    figures = {f.key: f for f in results.figures}
    assert not results.waiting_for_reports
    assert (figures["delivered"].count, figures["delivered"].rate) == (2, 66.7)
    assert (figures["bounced"].count, figures["complained"].count, figures["opened"].count) == (1, 1, 0)
    assert results.bounces == [("hard", "Mailbox does not exist (address removed)", 1),
                               ("complaint", "Marked as spam", 1)]


def test_it_leaves_opens_and_clicks_out_when_the_list_does_not_track():
    digest = sent_digest(tracking=False)
    [fr1, _fr2] = deliveries(digest, "fr")
    event(digest, fr1, "delivered")
    event(digest, fr1, "opened")
    event(digest, fr1, "clicked", url="https://example.org/a")

    results = digest_results(digest_id=digest.pk)

    assert not results.tracking
    assert {f.key for f in results.figures} >= {"delivered"}
    assert not {"opened", "clicked"} & {f.key for f in results.figures}
    assert results.links == [] and results.activity == []
    assert all(row["opened"] is None and row["clicked"] is None for row in results.per_language)


def test_it_counts_clicks_per_link_with_readers_per_language():
    digest = sent_digest()
    [fr1, fr2], [ar1] = deliveries(digest, "fr"), deliveries(digest, "ar")
    event(digest, fr1, "clicked", url="https://example.org/report")
    event(digest, fr1, "clicked", url="https://example.org/report")  # the same reader twice: one reader, two clicks
    event(digest, fr2, "clicked", url="https://example.org/report")
    event(digest, ar1, "clicked", url="https://example.org/report")
    event(digest, ar1, "clicked", url="https://example.org/donate")

    links = digest_clicks_per_link(digest_id=digest.pk)

    assert links == [
        {"url": "https://example.org/report", "readers": 3, "clicks": 4, "languages": {"fr": 2, "ar": 1}},
        {"url": "https://example.org/donate", "readers": 1, "clicks": 1, "languages": {"ar": 1}},
    ]


def test_it_gives_every_figure_per_language_including_who_left_through_the_digest():
    digest = sent_digest()
    [fr1, fr2], [ar1] = deliveries(digest, "fr"), deliveries(digest, "ar")
    event(digest, fr1, "delivered")
    event(digest, fr2, "delivered")
    event(digest, ar1, "delivered")
    event(digest, fr1, "opened")
    event(digest, ar1, "opened")
    event(digest, ar1, "clicked", url="https://example.org/a")
    Subscription.objects.filter(subscriber_id=ar1.subscriber_id).update(
        status=Subscription.Status.UNSUBSCRIBED, unsubscribed_at=timezone.now(), unsubscribed_via_digest_id=digest.pk)

    rows = {row["language"]: row for row in digest_results_per_language(digest_id=digest.pk)}

    assert (rows["fr"]["total"], rows["fr"]["delivered"], rows["fr"]["opened"], rows["fr"]["clicked"]) == (2, 2, 1, 0)
    assert (rows["ar"]["total"], rows["ar"]["delivered"], rows["ar"]["opened"], rows["ar"]["clicked"]) == (1, 1, 1, 1)
    assert (rows["fr"]["left_via_links"], rows["ar"]["left_via_links"]) == (0, 1)


def test_it_counts_opens_and_clicks_by_the_hour_for_two_days_then_by_the_day():
    digest = sent_digest()
    [fr1, fr2], [ar1] = deliveries(digest, "fr"), deliveries(digest, "ar")
    event(digest, fr1, "opened", at=STARTED + timedelta(minutes=5))  # 09:35, the first hour
    event(digest, fr2, "opened", at=STARTED + timedelta(minutes=20))  # 09:50, the first hour
    event(digest, fr2, "clicked", at=STARTED + timedelta(minutes=21), url="https://example.org/a")
    event(digest, ar1, "opened", at=STARTED + timedelta(hours=3))  # 12:30
    event(digest, ar1, "opened", at=STARTED + timedelta(hours=47))  # the 48th hour: still hourly
    event(digest, fr1, "opened", at=STARTED + timedelta(days=4))  # then daily
    event(digest, fr1, "clicked", at=STARTED + timedelta(days=4, hours=1), url="https://example.org/a")

    with timezone.override("UTC"):
        buckets = digest_activity(digest_id=digest.pk, now=STARTED + timedelta(days=5))

    hourly = [b for b in buckets if b.hourly]
    daily = [b for b in buckets if not b.hourly]
    assert len(hourly) == 48
    assert hourly[0].start == datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    assert (hourly[0].opens, hourly[0].clicks) == (2, 1)
    assert (hourly[3].opens, hourly[47].opens) == (1, 1)
    assert sum(b.opens for b in hourly) == 4
    # Days run from the end of the hourly span to the last event, with empty days shown as empty.
    assert [b.start.isoformat() for b in daily] == ["2026-03-04", "2026-03-05", "2026-03-06"]
    assert [(b.opens, b.clicks) for b in daily] == [(0, 0), (0, 0), (1, 1)]


def test_it_stops_the_hours_at_the_present_while_a_send_is_young():
    digest = sent_digest()
    [fr1, _fr2] = deliveries(digest, "fr")
    event(digest, fr1, "opened", at=STARTED + timedelta(minutes=20))

    with timezone.override("UTC"):
        buckets = digest_activity(digest_id=digest.pk, now=STARTED + timedelta(hours=2, minutes=10))

    assert [b.start.hour for b in buckets] == [9, 10, 11]
    assert [b.opens for b in buckets] == [1, 0, 0]


def test_it_buckets_hours_in_the_editors_time_zone():
    digest = sent_digest()
    [fr1, _fr2] = deliveries(digest, "fr")
    event(digest, fr1, "opened", at=STARTED + timedelta(minutes=40))  # 10:10 UTC, 15:40 in Kolkata

    with timezone.override("Asia/Kolkata"):
        [first, *_] = digest_activity(digest_id=digest.pk, now=STARTED + timedelta(hours=1))

    assert (first.start.hour, first.start.minute, first.opens) == (15, 0, 1)


def test_it_has_no_activity_before_anybody_opened():
    digest = sent_digest()

    assert digest_activity(digest_id=digest.pk) == []
