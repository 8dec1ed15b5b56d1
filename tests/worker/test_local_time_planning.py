"""Planning a local-time send: batches per (language, zone), each zone's waiting until its instant; the claim,
the reconcile and the editor's levers honour that wait."""

from datetime import UTC, datetime, time, timedelta

import pytest
import time_machine
from django.utils import timezone

from newsletter.models import Digest
from tests.worker.factories import claim_batch, make_audience, make_digest, make_list, make_variant
from worker.control import digest_cancel, digest_pause, digest_resume
from worker.models import Batch, Delivery, DigestSend
from worker.planning import audience_plan, readers_per_zone
from worker.recovery import sends_reconcile
from worker.selectors import zone_progress

pytestmark = [pytest.mark.django_db]

START = datetime(2026, 12, 8, 6, 0, tzinfo=UTC)


def local_digest(mailing_list, *, status=Digest.Status.SENDING, send_at=START):
    return make_digest(mailing_list, status=status, send_at=send_at, send_mode=Digest.SendMode.LOCAL_TIME,
                       local_send_time=time(9, 0))


def five_zone_list():
    mailing_list = make_list(time_zone="Europe/Zurich")
    make_audience(mailing_list, 3, language="en", time_zone="Asia/Beirut")
    make_audience(mailing_list, 2, language="fr", time_zone="Asia/Beirut")
    make_audience(mailing_list, 2, language="fr", time_zone="Europe/Paris")
    make_audience(mailing_list, 1, language="fr", time_zone="Africa/Casablanca")
    make_audience(mailing_list, 2, language="en", time_zone="America/New_York")
    make_audience(mailing_list, 1, language="en")  # no known zone: her list's, Zurich (Geneva)
    return mailing_list


def planned(mailing_list, *, batch_size=100):
    digest = local_digest(mailing_list)
    variants = [make_variant(digest, language="en"), make_variant(digest, language="fr")]
    with time_machine.travel(START, tick=False):
        plan = audience_plan(digest=digest, variants=variants, batch_size=batch_size)
    DigestSend.objects.create(digest=digest, total=plan.total)
    return digest, plan


def test_it_cuts_batches_per_language_and_zone_each_waiting_for_nine_on_that_clock():
    digest, plan = planned(five_zone_list())

    batches = {(b.language, b.zone): (b.size, b.next_attempt_at)
               for b in Batch.objects.filter(digest=digest)}
    assert batches == {
        ("en", "Asia/Beirut"): (3, datetime(2026, 12, 8, 7, 0, tzinfo=UTC)),
        ("fr", "Asia/Beirut"): (2, datetime(2026, 12, 8, 7, 0, tzinfo=UTC)),
        ("fr", "Europe/Paris"): (2, datetime(2026, 12, 8, 8, 0, tzinfo=UTC)),
        ("fr", "Africa/Casablanca"): (1, datetime(2026, 12, 8, 8, 0, tzinfo=UTC)),
        ("en", "Europe/Zurich"): (1, datetime(2026, 12, 8, 8, 0, tzinfo=UTC)),
        ("en", "America/New_York"): (2, datetime(2026, 12, 8, 14, 0, tzinfo=UTC)),
    }
    assert plan.total == 11 == Delivery.objects.filter(digest=digest, batch__isnull=False).count()


def test_it_puts_every_reader_in_the_batch_of_her_own_zone():
    mailing_list = make_list(time_zone="UTC")
    beirut = make_audience(mailing_list, 3, time_zone="Asia/Beirut")
    new_york = make_audience(mailing_list, 3, time_zone="America/New_York")
    digest, _plan = planned(mailing_list, batch_size=2)

    zone_of = dict(Delivery.objects.filter(digest=digest).values_list("subscriber_id", "batch__zone"))
    assert {zone_of[reader.id] for reader in beirut} == {"Asia/Beirut"}
    assert {zone_of[reader.id] for reader in new_york} == {"America/New_York"}
    assert Batch.objects.filter(digest=digest).count() == 4


def test_it_keeps_one_moment_for_everybody_when_the_digest_is_sent_at_once():
    mailing_list = five_zone_list()
    digest = make_digest(mailing_list, status=Digest.Status.SENDING)
    with time_machine.travel(START, tick=False):
        audience_plan(digest=digest, variants=[make_variant(digest, language="en"), make_variant(digest, language="fr")],
                      batch_size=100)

    assert set(Batch.objects.filter(digest=digest).values_list("language", "zone", "next_attempt_at")) == {
        ("en", "", START), ("fr", "", START)}


def test_it_counts_the_readers_of_each_zone_for_the_preview():
    mailing_list = five_zone_list()
    digest = local_digest(mailing_list, status=Digest.Status.DRAFT)

    assert readers_per_zone(digest=digest, variants=[make_variant(digest)]) == {
        "Asia/Beirut": 5, "Europe/Paris": 2, "Africa/Casablanca": 1, "America/New_York": 2, "Europe/Zurich": 1}


def test_it_refuses_to_claim_a_zones_batch_before_its_time():
    digest, _plan = planned(five_zone_list())
    new_york = Batch.objects.get(digest=digest, zone="America/New_York")

    with time_machine.travel(datetime(2026, 12, 8, 13, 59, 59, tzinfo=UTC), tick=False):
        assert claim_batch(batch_id=new_york.id) is None
    with time_machine.travel(datetime(2026, 12, 8, 14, 0, tzinfo=UTC), tick=False):
        assert claim_batch(batch_id=new_york.id) is not None


def test_it_pokes_each_zones_batches_when_their_time_comes_and_not_before(settings):
    digest, _plan = planned(five_zone_list())
    batch_ids = dict(Batch.objects.filter(digest=digest).values_list("zone", "id").order_by("id"))

    with time_machine.travel(datetime(2026, 12, 8, 6, 59, tzinfo=UTC), tick=False):
        assert sends_reconcile()["repoked"] == 0
    with time_machine.travel(datetime(2026, 12, 8, 7, 0, 10, tzinfo=UTC), tick=False):
        assert sends_reconcile()["repoked"] == 2  # Beirut, English and French
    poked = set(Batch.objects.filter(digest=digest, poked_at__isnull=False).values_list("zone", flat=True))
    assert poked == {"Asia/Beirut"}
    assert Batch.objects.get(pk=batch_ids["America/New_York"]).poked_at is None


def test_it_shows_each_zone_waiting_sending_or_done():
    digest, _plan = planned(five_zone_list())
    beirut = list(Batch.objects.filter(digest=digest, zone="Asia/Beirut"))
    Batch.objects.filter(pk=beirut[0].pk).update(status=Batch.Status.SUBMITTED)
    Batch.objects.filter(pk=beirut[1].pk).update(status=Batch.Status.SUBMITTED)
    Batch.objects.filter(digest=digest, zone="Europe/Paris").update(status=Batch.Status.SUBMITTING)

    with time_machine.travel(datetime(2026, 12, 8, 8, 0, 5, tzinfo=UTC), tick=False):
        zones = {zone.zone: (zone.state, zone.readers) for zone in zone_progress(digest_id=digest.id)}

    assert zones == {
        "Asia/Beirut": ("done", 5),
        "Europe/Paris": ("sending", 2),
        "Africa/Casablanca": ("sending", 1),  # due, not yet claimed
        "Europe/Zurich": ("sending", 1),
        "America/New_York": ("waiting", 2),
    }


def test_it_lets_pause_hold_and_resume_release_only_the_zones_whose_time_has_come():
    digest, _plan = planned(five_zone_list())
    with time_machine.travel(datetime(2026, 12, 8, 8, 30, tzinfo=UTC), tick=False):
        digest_pause(digest_id=digest.id)
        assert all(claim_batch(batch_id=b.id) is None for b in Batch.objects.filter(digest=digest))
        Batch.objects.update(poked_at=None)
        digest_resume(digest_id=digest.id)

    poked = set(Batch.objects.filter(digest=digest, poked_at__isnull=False).values_list("zone", flat=True))
    assert poked == {"Asia/Beirut", "Europe/Paris", "Africa/Casablanca", "Europe/Zurich"}
    with time_machine.travel(datetime(2026, 12, 8, 8, 30, tzinfo=UTC), tick=False):
        assert claim_batch(batch_id=Batch.objects.get(digest=digest, zone="America/New_York").id) is None


def test_it_cancels_the_zones_still_waiting_so_nobody_there_receives_it():
    digest, _plan = planned(five_zone_list())
    with time_machine.travel(datetime(2026, 12, 8, 7, 30, tzinfo=UTC), tick=False):
        beirut = [claim_batch(batch_id=b.id) for b in Batch.objects.filter(digest=digest, zone="Asia/Beirut")]
        assert all(beirut)
        digest_cancel(digest_id=digest.id)

    waiting = Batch.objects.filter(digest=digest).exclude(zone="Asia/Beirut")
    assert set(waiting.values_list("status", flat=True)) == {Batch.Status.CANCELLED}
    assert set(Delivery.objects.filter(batch__in=waiting).values_list("status", flat=True)) == {Delivery.Status.SKIPPED}
    with time_machine.travel(datetime(2026, 12, 8, 15, 0, tzinfo=UTC), tick=False):
        assert all(claim_batch(batch_id=b.id) is None for b in waiting)
        assert sends_reconcile()["repoked"] == 0


def test_it_sends_at_once_the_zones_whose_hour_passed_while_the_digest_waited(settings):
    mailing_list = five_zone_list()
    digest = local_digest(mailing_list, send_at=START)
    with time_machine.travel(START + timedelta(hours=3), tick=False):  # prepared late: a worker was down
        audience_plan(digest=digest, variants=[make_variant(digest), make_variant(digest, language="fr")],
                      batch_size=100)
        due = set(Batch.objects.filter(digest=digest, next_attempt_at__lte=timezone.now()).values_list("zone", flat=True))

    assert due == {"Asia/Beirut", "Europe/Paris", "Africa/Casablanca", "Europe/Zurich"}


def test_it_reports_each_zone_on_the_command_line_and_in_the_sends_results(admin_client):
    from io import StringIO

    from django.core.management import call_command
    from django.urls import reverse

    digest, _plan = planned(five_zone_list())
    out = StringIO()
    with time_machine.travel(datetime(2026, 12, 8, 7, 30, tzinfo=UTC), tick=False):
        call_command("send_digest", str(digest.id), "--report", stdout=out)
        page = admin_client.get(reverse("admin:worker_send_change", args=[digest.id])).content.decode()

    assert "zone Asia/Beirut: sending from 2026-12-08 07:00 UTC, 5 readers, 0/2 batches done" in out.getvalue()
    assert "zone America/New_York: waiting from 2026-12-08 14:00 UTC, 2 readers" in out.getvalue()
    assert "New York (America/New_York)" in page and "2026-12-08 14:00" in page
