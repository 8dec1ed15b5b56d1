"""A tailored digest sent at 09:00 on each reader's clock: batches per (variant, zone), each zone's waiting for its
instant; every reader gets exactly her items at her hour; whoever is cut later (a late joiner, a resend) waits for
her own zone's hour too (docs/decisions/0020-local-time-sends.md, 0021-tailored-digests.md)."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest
import time_machine
from django.core import mail

from newsletter.models import Digest
from newsletter.tailoring import SKIP_REASON
from tests.newsletter.factories import make_digest, make_list
from tests.worker import factories
from tests.worker.test_tailored import TITLES, item, reader, send, titles_received
from worker.models import Batch, Delivery, DigestSend
from worker.planning import audience_plan, batches_cut, deliveries_plan
from worker.recovery import sends_reconcile

pytestmark = [pytest.mark.django_db]

START = datetime(2026, 12, 8, 6, 0, tzinfo=UTC)
BEIRUT_NINE = datetime(2026, 12, 8, 7, 0, tzinfo=UTC)
PARIS_NINE = datetime(2026, 12, 8, 8, 0, tzinfo=UTC)
NEW_YORK_NINE = datetime(2026, 12, 8, 14, 0, tzinfo=UTC)
WATER, HEALTH, _BOARD = TITLES


def zoned_reader(mailing_list, language: str, zone: str, *topics: str):
    subscriber = reader(mailing_list, language, *topics)
    subscriber.time_zone = zone
    subscriber.save(update_fields=["time_zone"])
    return subscriber


def three_zone_digest():
    """Readers in Beirut, Paris (the list's zone) and New York, in English and French, with different topics; two items,
    one per topic, so that a reader of neither topic is skipped."""
    mailing_list = make_list(default_language="en", time_zone="Europe/Paris")
    readers = {
        "beirut_en_water_1": zoned_reader(mailing_list, "en", "Asia/Beirut", "water"),
        "beirut_en_water_2": zoned_reader(mailing_list, "en", "Asia/Beirut", "water"),
        "beirut_fr_health": zoned_reader(mailing_list, "fr", "Asia/Beirut", "health"),
        "paris_fr_water": zoned_reader(mailing_list, "fr", "", "water"),  # no zone of her own: her list's
        "paris_en_everything": zoned_reader(mailing_list, "en", "Europe/Paris"),
        "new_york_en_water": zoned_reader(mailing_list, "en", "America/New_York", "water"),
        "new_york_fr_education": zoned_reader(mailing_list, "fr", "America/New_York", "education"),
    }
    digest = make_digest(mailing_list=mailing_list, items=[item(WATER, "water"), item(HEALTH, "health")],
                         tailored=True, status=Digest.Status.SCHEDULED, send_at=START,
                         send_mode=Digest.SendMode.LOCAL_TIME, local_send_time=time(9, 0))
    return digest, readers


def batch_titles(batch: Batch) -> frozenset[str]:
    titles = dict(batch.digest.items.values_list("pk", "title"))
    return frozenset(titles[int(pk)] for pk in batch.variant.item_key.split(","))


def prepared(run_after_commit, settings):
    settings.SEND_BATCH_SIZE = 1
    digest, readers = three_zone_digest()
    with time_machine.travel(START, tick=False):
        send(run_after_commit)
    return digest, readers


def test_it_cuts_batches_per_variant_and_zone_each_waiting_for_nine_on_that_clock(run_after_commit, settings):
    digest, readers = prepared(run_after_commit, settings)

    batches = sorted(((b.zone, b.language, batch_titles(b), b.size, b.next_attempt_at)
                      for b in Batch.objects.filter(digest=digest)), key=lambda row: (row[0], row[1], sorted(row[2])))
    assert batches == [
        ("America/New_York", "en", {WATER}, 1, NEW_YORK_NINE),
        ("Asia/Beirut", "en", {WATER}, 1, BEIRUT_NINE),
        ("Asia/Beirut", "en", {WATER}, 1, BEIRUT_NINE),
        ("Asia/Beirut", "fr", {HEALTH}, 1, BEIRUT_NINE),
        ("Europe/Paris", "en", {HEALTH, WATER}, 1, PARIS_NINE),
        ("Europe/Paris", "fr", {WATER}, 1, PARIS_NINE),
    ]
    zone_of = dict(Delivery.objects.filter(digest=digest).values_list("subscriber_id", "batch__zone"))
    assert {name: zone_of[subscriber.id] for name, subscriber in readers.items()} == {
        "beirut_en_water_1": "Asia/Beirut", "beirut_en_water_2": "Asia/Beirut", "beirut_fr_health": "Asia/Beirut",
        "paris_fr_water": "Europe/Paris", "paris_en_everything": "Europe/Paris",
        "new_york_en_water": "America/New_York", "new_york_fr_education": None,
    }
    skipped = Delivery.objects.get(digest=digest, subscriber=readers["new_york_fr_education"])
    assert (skipped.status, skipped.error, skipped.batch_id) == (Delivery.Status.SKIPPED, SKIP_REASON, None)
    assert mail.outbox == []


def test_it_gives_each_reader_exactly_her_items_at_nine_on_her_clock(run_after_commit, settings):
    digest, readers = prepared(run_after_commit, settings)
    expected = {
        "beirut_en_water_1": [WATER], "beirut_en_water_2": [WATER], "beirut_fr_health": [HEALTH],
        "paris_fr_water": [WATER], "paris_en_everything": [WATER, HEALTH],
        "new_york_en_water": [WATER],
    }
    arrivals = {}

    def reconcile_at(moment):
        with time_machine.travel(moment, tick=False), run_after_commit():
            sends_reconcile()
        for message in mail.outbox:
            arrivals.setdefault(message.to[0], moment)

    for moment in (datetime(2026, 12, 8, 6, 59, 59, tzinfo=UTC), datetime(2026, 12, 8, 7, 0, 10, tzinfo=UTC),
                   datetime(2026, 12, 8, 7, 59, 59, tzinfo=UTC), datetime(2026, 12, 8, 8, 0, 10, tzinfo=UTC),
                   datetime(2026, 12, 8, 13, 59, 59, tzinfo=UTC), datetime(2026, 12, 8, 14, 0, 10, tzinfo=UTC),
                   datetime(2026, 12, 8, 14, 0, 20, tzinfo=UTC)):
        reconcile_at(moment)

    hour_of = {"beirut": BEIRUT_NINE, "paris": PARIS_NINE, "new_york": NEW_YORK_NINE}
    for name, titles in expected.items():
        subscriber = readers[name]
        assert titles_received(subscriber, TITLES) == titles, name
        nine = next(instant for prefix, instant in hour_of.items() if name.startswith(prefix))
        assert 0 <= (arrivals[subscriber.email] - nine).total_seconds() < 60, name
    assert readers["new_york_fr_education"].email not in arrivals
    assert len(mail.outbox) == len(expected)
    digest.refresh_from_db()
    assert digest.status == Digest.Status.SENT


def test_it_keeps_a_tailored_digest_sent_at_once_in_one_moment_for_everybody(run_after_commit, settings):
    settings.SEND_BATCH_SIZE = 1
    digest, _readers = three_zone_digest()
    Digest.objects.filter(pk=digest.pk).update(send_mode=Digest.SendMode.AT_ONCE)
    with time_machine.travel(START, tick=False), run_after_commit():
        from worker.planning import digests_claim_due

        digests_claim_due()

    assert set(Batch.objects.filter(digest=digest).values_list("zone", "next_attempt_at")) == {("", START)}
    assert len(mail.outbox) == 6


def test_it_makes_a_resent_tailored_reader_wait_for_her_zones_hour(run_after_commit, settings):
    digest, readers = prepared(run_after_commit, settings)
    resent = [readers["beirut_fr_health"], readers["new_york_en_water"]]
    # As an editor's resend of uncertain recipients leaves them: pending, without a batch.
    Delivery.objects.filter(digest=digest, subscriber__in=resent).update(batch=None)

    with time_machine.travel(datetime(2026, 12, 8, 7, 30, tzinfo=UTC), tick=False):
        batch_ids = batches_cut(digest_id=digest.id, batch_size=10)

    batches = sorted((b.zone, b.language, batch_titles(b), b.next_attempt_at) for b in Batch.objects.filter(pk__in=batch_ids))
    assert batches == [("America/New_York", "en", {WATER}, NEW_YORK_NINE),
                       ("Asia/Beirut", "fr", {HEALTH}, BEIRUT_NINE)]


def test_it_makes_a_late_joiner_of_a_local_time_send_wait_for_her_zones_hour():
    mailing_list = factories.make_list(time_zone="Europe/Zurich")
    factories.make_audience(mailing_list, 2, language="en", time_zone="Asia/Beirut")
    digest = factories.make_digest(mailing_list, status=Digest.Status.SENDING, send_at=START,
                                   send_mode=Digest.SendMode.LOCAL_TIME, local_send_time=time(9, 0))
    variants = [factories.make_variant(digest, language="en"), factories.make_variant(digest, language="fr")]
    with time_machine.travel(START, tick=False):
        audience_plan(digest=digest, variants=variants, batch_size=100)
    DigestSend.objects.create(digest=digest)
    [new_york] = factories.make_audience(mailing_list, 1, language="fr", time_zone="America/New_York")
    [no_zone] = factories.make_audience(mailing_list, 1, language="en")
    # She joined between the plan's count and its INSERT: her row is written without a batch.
    deliveries_plan(digest=digest, variants=variants)

    with time_machine.travel(datetime(2026, 12, 8, 7, 30, tzinfo=UTC), tick=False):
        batch_ids = batches_cut(digest_id=digest.id, batch_size=100)

    cut = {(b.language, b.zone): (b.next_attempt_at, list(b.deliveries.values_list("subscriber_id", flat=True)))
           for b in Batch.objects.filter(pk__in=batch_ids)}
    assert cut == {("fr", "America/New_York"): (NEW_YORK_NINE, [new_york.id]),
                   ("en", "Europe/Zurich"): (PARIS_NINE, [no_zone.id])}
    with time_machine.travel(datetime(2026, 12, 8, 8, 0, 10, tzinfo=UTC), tick=False):
        poked = sends_reconcile()["repoked"]
    assert poked == 2  # Beirut's (due since 07:00) and Zurich's; New York's waits for 14:00
    assert Batch.objects.get(pk__in=batch_ids, zone="America/New_York").poked_at is None
