"""Scheduling a digest at the same hour in each reader's time zone: the preview's confirmation says where and
when it goes, the service stores the mode, and a date whose hour has passed somewhere is refused."""

import re
from datetime import UTC, datetime, time

import pytest
import time_machine
from django.urls import reverse

from newsletter.models import Digest
from newsletter.services import NewsletterError, digest_reschedule, digest_schedule, digest_send_now, send_plan
from subscribers.models import Subscriber
from tests.newsletter.factories import make_digest, make_item, make_list, make_subscriber

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
ZONES = ["Asia/Beirut", "Europe/Paris", "Africa/Casablanca", "America/New_York", "Asia/Kolkata", "Europe/Zurich"]


def a_digest_for_readers_in(zones, **fields):
    mailing_list = make_list(time_zone="Europe/Zurich")
    for zone in zones:
        reader = make_subscriber(mailing_list=mailing_list)
        Subscriber.objects.filter(pk=reader.pk).update(time_zone=zone)
    return make_digest(mailing_list=mailing_list, items=[make_item(title="CSW69")], **fields)


def action(digest, name: str) -> str:
    return reverse("admin:newsletter_digest_action", args=[digest.pk, name])


@time_machine.travel(NOW, tick=False)
def test_it_starts_a_local_time_send_when_the_first_readers_clock_shows_the_hour(editor):
    digest = a_digest_for_readers_in(ZONES)

    plan = send_plan(digest_id=digest.id, send_at=datetime(2026, 12, 8, 9, 0), send_mode="local_time",
                     user_id=editor.id)

    assert (plan.first_zone, plan.send_at, plan.local_send_time) == (
        "Asia/Kolkata", datetime(2026, 12, 8, 3, 30, tzinfo=UTC), time(9, 0))


@time_machine.travel(NOW, tick=False)
def test_it_stores_the_mode_and_the_hour_when_a_local_time_send_is_scheduled(editor):
    digest = a_digest_for_readers_in(["Asia/Beirut", "America/New_York"])

    digest_schedule(digest_id=digest.id, send_at=datetime(2026, 12, 8, 9, 0), send_mode="local_time")

    digest.refresh_from_db()
    assert (digest.status, digest.send_mode, digest.local_send_time, digest.send_at) == (
        Digest.Status.SCHEDULED, "local_time", time(9, 0), datetime(2026, 12, 8, 7, 0, tzinfo=UTC))


@time_machine.travel(NOW, tick=False)
def test_it_refuses_a_date_whose_hour_has_already_passed_for_some_readers(editor):
    digest = a_digest_for_readers_in(["Asia/Beirut", "America/New_York"])

    with pytest.raises(NewsletterError, match="already passed in Asia/Beirut"):
        digest_schedule(digest_id=digest.id, send_at=datetime(2026, 12, 7, 9, 0), send_mode="local_time")
    assert Digest.objects.get(pk=digest.pk).status == Digest.Status.DRAFT


@time_machine.travel(NOW, tick=False)
def test_it_sends_a_local_time_digest_now_at_once_for_everybody(editor):
    digest = a_digest_for_readers_in(["Asia/Beirut"])
    digest_schedule(digest_id=digest.id, send_at=datetime(2026, 12, 8, 9, 0), send_mode="local_time")

    digest_send_now(digest_id=digest.id)

    digest.refresh_from_db()
    assert (digest.send_mode, digest.local_send_time, digest.send_at) == ("at_once", None, NOW)


@time_machine.travel(NOW, tick=False)
def test_it_keeps_the_local_time_mode_when_a_digest_is_moved(editor):
    digest = a_digest_for_readers_in(["Asia/Beirut"])
    digest_schedule(digest_id=digest.id, send_at=datetime(2026, 12, 8, 9, 0), send_mode="local_time")

    digest_reschedule(digest_id=digest.id, send_at=datetime(2026, 12, 9, 8, 0))

    digest.refresh_from_db()
    assert (digest.send_mode, digest.local_send_time, digest.send_at) == (
        "local_time", time(8, 0), datetime(2026, 12, 9, 6, 0, tzinfo=UTC))


@time_machine.travel(NOW, tick=False)
def test_it_says_on_the_confirmation_how_many_zones_and_when_the_first_and_last_go(client, editor):
    digest = a_digest_for_readers_in(ZONES)

    asked = client.post(action(digest, "schedule"), {"send_at": "2026-12-08T09:00", "send_mode": "local_time"})

    body = asked.content.decode()
    assert "It goes out at 09:00 in each reader's time zone." in body
    assert ("Readers in 6 time zones, first at 03:30 UTC (Kolkata), last at 14:00 UTC (New York); "
            "the send spans 10.5 hours.") in body
    assert 'name="send_mode" value="local_time"' in body
    assert Digest.objects.get(pk=digest.pk).status == Digest.Status.DRAFT

    client.post(action(digest, "schedule"), {"send_at": "2026-12-08T09:00", "send_mode": "local_time",
                                              "confirmed": "yes"})
    digest.refresh_from_db()
    assert (digest.status, digest.send_mode) == (Digest.Status.SCHEDULED, "local_time")
    preview = client.get(reverse("admin:newsletter_digest_preview", args=[digest.pk])).content.decode()
    assert "Readers in 6 time zones, first at 03:30 UTC (Kolkata)" in preview


@time_machine.travel(NOW, tick=False)
def test_it_schedules_at_one_moment_for_everybody_by_default(client, editor):
    digest = a_digest_for_readers_in(["Asia/Beirut", "America/New_York"])

    client.post(action(digest, "schedule"), {"send_at": "2026-12-08T09:00", "confirmed": "yes"})

    digest.refresh_from_db()
    assert (digest.status, digest.send_mode, digest.local_send_time) == (Digest.Status.SCHEDULED, "at_once", None)


@time_machine.travel(NOW, tick=False)
def test_it_offers_the_typed_date_and_hour_again_when_a_local_time_digest_is_moved(client, editor):
    digest = a_digest_for_readers_in(["Asia/Beirut", "America/New_York"])
    digest_schedule(digest_id=digest.id, send_at=datetime(2026, 12, 8, 9, 0), send_mode="local_time")

    page = client.get(reverse("admin:newsletter_digest_preview", args=[digest.pk])).content.decode()

    assert 'value="2026-12-08T09:00"' in page
    assert re.search(r'value="local_time"[^>]*checked', page)


@time_machine.travel(NOW, tick=False)
def test_it_keeps_a_local_time_digests_hour_when_the_command_confirms_its_schedule(editor):
    from worker.control import digest_schedule_send

    digest = a_digest_for_readers_in(["Asia/Beirut", "America/New_York"])
    digest_schedule(digest_id=digest.id, send_at=datetime(2026, 12, 8, 9, 0), send_mode="local_time")

    digest_schedule_send(digest_id=digest.id)

    digest.refresh_from_db()
    assert (digest.status, digest.send_mode, digest.local_send_time, digest.send_at) == (
        Digest.Status.SCHEDULED, "local_time", time(9, 0), datetime(2026, 12, 8, 7, 0, tzinfo=UTC))
