"""The desk knows local-time and tailored digests: the compose page saves "tailored by interests" and schedules
at an hour in each reader's time zone (newsletter.services.send_plan, as the admin does); the confirmation says
where and when it goes and, for a tailored digest, its variants and who is skipped; a refused plan says why and
keeps what she typed; the live card and the results page show each zone and the readers no item matched."""

from datetime import UTC, datetime, time
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.urls import reverse

from newsletter.models import Digest
from newsletter.tailoring import SKIP_REASON
from subscribers.models import Subscriber, Subscription
from tests.desk.test_compose import form_data
from tests.newsletter.factories import make_digest, make_item, make_list, make_subscriber
from tests.support.organisations import make_organisation
from tests.worker.test_local_time_planning import five_zone_list, planned
from tests.worker.test_tailored import item, reader
from worker.models import Batch, Delivery

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)


def a_draft_for_readers_in(zones, **fields):
    mailing_list = make_list(time_zone="Europe/Zurich")
    for zone in zones:
        someone = make_subscriber(mailing_list=mailing_list)
        Subscriber.objects.filter(pk=someone.pk).update(time_zone=zone)
    return make_digest(mailing_list=mailing_list, items=[make_item(title="CSW69", mailing_list=mailing_list)],
                       **fields)


def schedule_form(digest, **fields):
    return form_data(digest.mailing_list, items=list(digest.items.all()), then="schedule", **fields)


def test_it_saves_a_new_draft_tailored_by_interests_and_unticks_it_again(editor_client):
    news = make_list()
    story = make_item(title="CSW69", mailing_list=news)

    editor_client.post(reverse("desk:digest_new"), form_data(news, items=[story], tailored="on"))
    digest = Digest.objects.get(mailing_list=news)
    assert digest.tailored is True
    page = editor_client.get(reverse("desk:digest_edit", args=[digest.pk])).content.decode()
    assert 'id="tailored" data-testid="compose-tailored" checked' in page

    editor_client.post(reverse("desk:digest_edit", args=[digest.pk]), form_data(news, items=[story]))
    assert Digest.objects.get(pk=digest.pk).tailored is False


def test_it_previews_a_tailored_digest_whole_and_says_each_reader_gets_only_her_topics(editor_client):
    news = make_list()
    water = make_item(title="Water in the camps", mailing_list=news)
    board = make_item(title="Letter from the board", mailing_list=news)

    page = editor_client.post(reverse("desk:digest_preview"), form_data(
        news, items=[water, board], tailored="on")).content.decode()

    assert 'id="preview-tailored"' in page
    assert "Water in the camps" in page and "Letter from the board" in page


@time_machine.travel(NOW, tick=False)
def test_it_schedules_at_an_hour_in_each_readers_time_zone_after_a_confirmation_with_the_spread(editor_client):
    digest = a_draft_for_readers_in(["Asia/Beirut", "America/New_York"])

    asked = editor_client.post(reverse("desk:digest_edit", args=[digest.pk]), schedule_form(
        digest, send_at="2026-12-08T09:00", send_mode="local_time"), follow=True)

    page = asked.content.decode()
    assert asked.redirect_chain[-1][0].startswith(reverse("desk:digest_confirm", args=[digest.pk, "schedule"]))
    assert ("Readers in 2 time zones, first at 07:00 UTC (Beirut), last at 14:00 UTC (New York); "
            "the send spans 7 hours.") in page
    assert 'id="confirm-local-time"' in page and 'id="confirm-when"' not in page
    assert 'name="send_mode" value="local_time"' in page and 'id="confirm-audience"' in page
    assert Digest.objects.get(pk=digest.pk).status == Digest.Status.DRAFT  # asking changes nothing

    done = editor_client.post(reverse("desk:digest_act", args=[digest.pk, "schedule"]),
                              {"confirmed": "yes", "send_at": "2026-12-08T09:00", "send_mode": "local_time"},
                              follow=True)

    digest.refresh_from_db()
    assert (digest.status, digest.send_mode, digest.local_send_time, digest.send_at) == (
        Digest.Status.SCHEDULED, "local_time", time(9, 0), datetime(2026, 12, 8, 7, 0, tzinfo=UTC))
    assert "at 09:00 in each reader&#x27;s time zone" in done.content.decode()


@time_machine.travel(NOW, tick=False)
def test_it_keeps_scheduling_at_one_moment_for_everybody_by_default(editor_client):
    digest = a_draft_for_readers_in(["Asia/Beirut", "America/New_York"])

    editor_client.post(reverse("desk:digest_act", args=[digest.pk, "schedule"]),
                       {"confirmed": "yes", "send_at": "2026-12-08T09:00"})

    digest.refresh_from_db()
    assert (digest.send_mode, digest.local_send_time, digest.send_at) == (
        "at_once", None, datetime(2026, 12, 8, 9, 0, tzinfo=UTC))


@time_machine.travel(NOW, tick=False)
def test_it_refuses_an_hour_that_has_passed_in_a_readers_zone_in_words_and_keeps_what_she_typed(editor_client):
    digest = a_draft_for_readers_in(["Asia/Beirut", "America/New_York"])

    refused = editor_client.post(reverse("desk:digest_edit", args=[digest.pk]), schedule_form(
        digest, send_at="2026-12-07T09:00", send_mode="local_time"), follow=True)

    page = refused.content.decode()
    url = urlsplit(refused.redirect_chain[-1][0])
    assert url.path == reverse("desk:digest_edit", args=[digest.pk])
    assert parse_qs(url.query) == {"send_at": ["2026-12-07T09:00"], "send_mode": ["local_time"]}
    assert "has already passed in Asia/Beirut" in page
    assert 'value="2026-12-07T09:00"' in page and 'id="send-mode-local_time" checked' in page
    assert Digest.objects.get(pk=digest.pk).status == Digest.Status.DRAFT

    editor_client.post(reverse("desk:digest_act", args=[digest.pk, "schedule"]),
                       {"confirmed": "yes", "send_at": "2026-12-07T09:00", "send_mode": "local_time"})
    assert Digest.objects.get(pk=digest.pk).status == Digest.Status.DRAFT


def test_it_names_the_variants_of_a_tailored_digest_and_the_readers_skipped_before_sending(editor_client):
    news = make_list()
    reader(news, "en", "water")
    reader(news, "en", "health")
    reader(news, "en", "sport")  # chose a topic no item has: skipped
    water, health = item("Water in the camps", "water"), item("Health of mothers", "health")
    digest = make_digest(mailing_list=news, items=[water, health], tailored=True)

    page = editor_client.get(reverse("desk:digest_confirm", args=[digest.pk, "send_now"])).content.decode()

    assert 'id="confirm-variants" data-skipped="1"' in page
    assert "2 variants" in page and "“Water in the camps”" in page and "“Health of mothers”" in page
    assert "1 reader skipped: no item matches her interests" in page
    assert 'id="confirm-audience"' in page and 'id="confirm-checks-ok"' in page


def test_it_says_why_a_tailored_digest_with_too_many_variants_cannot_go(editor_client, settings):
    settings.TAILORED_VARIANTS_MAX = 1
    news = make_list()
    reader(news, "en", "water")
    reader(news, "en", "health")
    digest = make_digest(mailing_list=news, items=[item("Water", "water"), item("Health", "health")], tailored=True)

    page = editor_client.get(reverse("desk:digest_confirm", args=[digest.pk, "send_now"])).content.decode()

    assert 'id="confirm-problems"' in page and "TAILORED_VARIANTS_MAX" in page
    assert 'id="confirm-yes" class="" disabled' in page


@time_machine.travel(NOW, tick=False)
def test_it_never_subscribes_anyone_when_scheduling_at_local_time(editor_client):
    digest = a_draft_for_readers_in(["Asia/Beirut"])
    gone = make_subscriber(mailing_list=digest.mailing_list, status=Subscription.Status.UNSUBSCRIBED)
    Subscriber.objects.filter(pk=gone.pk).update(time_zone="America/New_York")

    page = editor_client.get(reverse("desk:digest_confirm", args=[digest.pk, "schedule"]) +
                             "?send_at=2026-12-08T09:00&send_mode=local_time").content.decode()
    editor_client.post(reverse("desk:digest_act", args=[digest.pk, "schedule"]),
                       {"confirmed": "yes", "send_at": "2026-12-08T09:00", "send_mode": "local_time"})

    assert "All readers in one time zone (Beirut)" in page  # the unsubscribed reader's zone is not counted
    assert Subscription.objects.get(subscriber=gone).status == Subscription.Status.UNSUBSCRIBED


def test_it_shows_each_zones_state_with_its_instant_and_readers_on_the_live_card_and_results(editor_client):
    digest, _plan = planned(five_zone_list())
    beirut = Batch.objects.filter(digest=digest, zone="Asia/Beirut")
    beirut.update(status=Batch.Status.SUBMITTED)

    with time_machine.travel(datetime(2026, 12, 8, 7, 30, tzinfo=UTC), tick=False):
        live = editor_client.get(reverse("desk:digest_live", args=[digest.pk]) + "?shown=going").content.decode()
        results = editor_client.get(reverse("desk:digest_results", args=[digest.pk])).content.decode()

    for page in (live, results):
        assert ' id="live-zones"' in page
        assert '<li class="live-zone zone-done" data-zone="Asia/Beirut" data-state="done">' in page
        assert 'data-zone="America/New_York" data-state="waiting"' in page
        assert "14:00 UTC" in page and "2 readers" in page


def test_it_shows_each_local_time_sends_zones_on_the_live_overview_and_none_for_a_send_at_one_moment(editor_client):
    digest, _plan = planned(five_zone_list())
    Batch.objects.filter(digest=digest, zone="Asia/Beirut").update(status=Batch.Status.SUBMITTED)
    at_once = make_digest(mailing_list=make_list(), status=Digest.Status.SENDING)

    with time_machine.travel(datetime(2026, 12, 8, 7, 30, tzinfo=UTC), tick=False):
        pages = [editor_client.get(reverse(name)).content.decode() for name in ("desk:live", "desk:live_partial")]

    for page in pages:
        send = page[page.index(f'data-digest="{digest.pk}"'):page.index(f'data-digest="{at_once.pk}"')]
        assert 'data-testid="live-zones"' in send and "1 of 5 time zones done" in send
        assert '<li class="live-zone zone-done" data-zone="Asia/Beirut" data-state="done">' in send
        assert 'data-zone="America/New_York" data-state="waiting"' in send and "14:00 UTC" in send
        assert page.count('data-testid="live-zones"') == 1  # the send at one moment has none
        assert ' id="live-zones"' not in page  # the card's id stays unique to the digest's own page


def test_it_counts_readers_no_item_matched_apart_in_the_figures(editor_client):
    digest, _plan = planned(five_zone_list())
    deliveries = list(Delivery.objects.filter(digest=digest).order_by("id"))
    Delivery.objects.filter(pk__in=[d.pk for d in deliveries[:2]]).update(status=Delivery.Status.SKIPPED,
                                                                          error=SKIP_REASON)
    Delivery.objects.filter(pk__in=[d.pk for d in deliveries[2:]]).update(status=Delivery.Status.SENT)
    Digest.objects.filter(pk=digest.pk).update(status=Digest.Status.SENT)

    page = editor_client.get(reverse("desk:digest_results", args=[digest.pk])).content.decode()

    assert 'data-figure="skipped_no_match"' in page and "Skipped: no item matches her interests" in page
    assert 'data-figure="skipped"' not in page


def test_it_answers_404_for_another_organisations_digest_on_the_confirmation(editor_client):
    other = make_digest(mailing_list=make_list(organisation=make_organisation()))

    response = editor_client.get(reverse("desk:digest_confirm", args=[other.pk, "schedule"]) +
                                 "?send_at=2026-12-08T09:00&send_mode=local_time")

    assert response.status_code == 404
