"""The dashboard before and during a local-time send: the span before it starts, each zone's state while it goes."""

from datetime import UTC, datetime, time

import pytest
import time_machine
from django.urls import reverse

from newsletter.models import Digest
from tests.worker.factories import make_audience, make_digest, make_list, make_variant
from worker.models import Batch, DigestSend
from worker.planning import audience_plan

pytestmark = pytest.mark.django_db

START = datetime(2026, 12, 8, 7, 0, tzinfo=UTC)


def readers_in_three_zones():
    mailing_list = make_list(time_zone="Europe/Paris")
    make_audience(mailing_list, 2, time_zone="Asia/Beirut")
    make_audience(mailing_list, 1)  # her list's zone, Paris
    make_audience(mailing_list, 3, time_zone="America/New_York")
    return mailing_list


def test_it_shows_a_scheduled_local_time_sends_zones_and_span_before_it_starts(admin_client):
    make_digest(readers_in_three_zones(), status=Digest.Status.SCHEDULED, send_at=START,
                send_mode=Digest.SendMode.LOCAL_TIME, local_send_time=time(9, 0))

    with time_machine.travel(datetime(2026, 12, 7, 12, 0, tzinfo=UTC), tick=False):
        page = admin_client.get(reverse("editorial:dashboard")).content.decode()

    assert ("At 09:00 in each reader's time zone. Readers in 3 time zones, first at 07:00 UTC (Beirut), "
            "last at 14:00 UTC (New York); the send spans 7 hours.") in page.replace("&#x27;", "'")


def test_it_shows_each_zone_waiting_sending_or_done_in_the_live_progress(admin_client):
    digest = make_digest(readers_in_three_zones(), status=Digest.Status.SENDING, send_at=START,
                         send_mode=Digest.SendMode.LOCAL_TIME, local_send_time=time(9, 0))
    with time_machine.travel(START, tick=False):
        audience_plan(digest=digest, variants=[make_variant(digest)], batch_size=100)
    DigestSend.objects.create(digest=digest)
    Batch.objects.filter(digest=digest, zone="Asia/Beirut").update(status=Batch.Status.SUBMITTED)

    with time_machine.travel(datetime(2026, 12, 8, 8, 0, 30, tzinfo=UTC), tick=False):
        body = admin_client.get(reverse("editorial:progress")).json()

    [send] = body["digests"]
    assert [(zone["label"], zone["state"], zone["starts_at_text"], zone["readers"]) for zone in send["zones"]] == [
        ("Beirut", "done", "07:00 UTC", 2), ("Paris", "sending", "08:00 UTC", 1), ("New York", "waiting", "14:00 UTC", 3)]
    assert send["zones_text"] == "1 of 3 time zones done; next: New York at 14:00 UTC"
