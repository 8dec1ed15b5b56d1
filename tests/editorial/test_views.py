import json
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from anymail.signals import AnymailTrackingEvent
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from editorial.models import AuditEntry
from newsletter.models import Digest, EditorSettings
from subscribers import tokens
from subscribers.models import EmailEvent, Segment, Subscription
from subscribers.provider_events import provider_event_record
from tests.worker.factories import make_audience, make_digest, make_list, make_variant
from worker.models import Delivery, DigestSend
from worker.planning import audience_plan

pytestmark = [pytest.mark.django_db]


def sending_digest(count: int = 10, sent: int = 4, **fields) -> Digest:
    mailing_list = make_list(name="Lebanon chapter")
    make_audience(mailing_list, count)
    digest = make_digest(mailing_list, status=Digest.Status.SENDING, subject="Weekly news", **fields)
    Digest.objects.filter(pk=digest.pk).update(started_at=timezone.now() - timedelta(seconds=10))
    audience_plan(digest=digest, variants=[make_variant(digest)], batch_size=100)
    DigestSend.objects.create(digest=digest, total=count, planned_at=timezone.now() - timedelta(seconds=2))
    first = Delivery.objects.filter(digest=digest).order_by("id")[:sent]
    Delivery.objects.filter(pk__in=[d.pk for d in first]).update(
        status=Delivery.Status.SENT, sent_at=timezone.now() - timedelta(seconds=2))
    return digest


def test_it_answers_progress_as_json_with_rate_and_eta(editor_client):
    with time_machine.travel(datetime(2026, 11, 23, 10, 0, tzinfo=UTC), tick=False):
        digest = sending_digest(count=10, sent=4)  # 4 sent in the 2 seconds since the audience was frozen
        response = editor_client.get(reverse("editorial:progress"))

    assert response.status_code == 200
    [send] = response.json()["digests"]
    assert (send["id"], send["status"], send["total"], send["sent"], send["pending"]) == (digest.pk, "sending", 10, 4, 6)
    assert send["percent"] == 40.0
    assert send["rate"] == 2.0 and send["rate_text"] == "2.0 messages/s"
    assert send["eta_seconds"] == 3 and send["eta_text"] == "about 3 seconds"
    assert send["summary"] == "4 of 10 sent"
    assert (send["can_pause"], send["can_resume"], send["can_cancel"]) == (True, False, True)
    assert response.json()["updated_text"] == "Updated at 10:00:00 UTC"


def test_it_never_promises_more_than_the_configured_rate_limit(editor_client, settings):
    settings.SEND_RATE_PER_SECOND = 1
    with time_machine.travel(datetime(2026, 11, 23, 10, 0, tzinfo=UTC), tick=False):
        sending_digest(count=10, sent=4)  # 2 a second so far: the first batch went out at once
        [send] = editor_client.get(reverse("editorial:progress")).json()["digests"]

    assert (send["rate"], send["eta_seconds"]) == (1.0, 6)


def test_it_shows_the_sending_digest_with_a_progress_bar_and_buttons(editor_client):
    digest = sending_digest()

    body = editor_client.get(reverse("editorial:dashboard")).content.decode()

    assert f'data-id="{digest.pk}"' in body and 'class="fill" style="width: 40.0%"' in body
    assert reverse("editorial:control", args=[digest.pk, "pause"]) in body
    assert 'src="/static/editorial/dashboard.js"' in body


def test_it_pauses_resumes_and_cancels_by_post_and_records_who_did_it(editor_client, editor):
    digest = sending_digest()
    url = lambda action: reverse("editorial:control", args=[digest.pk, action])  # noqa: E731

    assert editor_client.get(url("pause")).status_code == 405
    assert editor_client.post(url("pause")).status_code == 302
    assert Digest.objects.get(pk=digest.pk).status == Digest.Status.PAUSED
    assert editor_client.get(reverse("editorial:progress")).json()["digests"][0]["can_resume"] is True
    editor_client.post(url("resume"))
    assert Digest.objects.get(pk=digest.pk).status == Digest.Status.SENDING
    editor_client.post(url("cancel"))
    assert Digest.objects.get(pk=digest.pk).status == Digest.Status.CANCELLED

    trail = list(AuditEntry.objects.filter(target_type="newsletter.digest").order_by("id")
                 .values_list("actor_name", "action", "target_id"))
    assert trail == [("edith", "digest_paused", str(digest.pk)), ("edith", "digest_resumed", str(digest.pk)),
                     ("edith", "digest_cancelled", str(digest.pk))]


def test_it_explains_a_control_that_does_not_apply_and_records_nothing(editor_client):
    digest = make_digest(make_list(), status=Digest.Status.SENT)

    response = editor_client.post(reverse("editorial:control", args=[digest.pk, "pause"]), follow=True)

    assert "it can be paused only when it is sending" in response.content.decode()
    assert not AuditEntry.objects.filter(target_type="newsletter.digest").exists()


def test_it_refuses_the_dashboard_and_controls_without_permission(roles, django_user_model):
    digest = sending_digest()
    staff = django_user_model.objects.create_user(username="nobody", password="pw", is_staff=True)
    client = Client()
    client.force_login(staff)

    assert client.get(reverse("editorial:dashboard")).status_code == 403
    assert client.get(reverse("editorial:progress")).status_code == 403
    assert client.post(reverse("editorial:control", args=[digest.pk, "cancel"])).status_code == 403
    assert Digest.objects.get(pk=digest.pk).status == Digest.Status.SENDING
    anonymous = Client().get(reverse("editorial:progress"))
    assert anonymous.status_code == 302 and "/admin/login/" in anonymous["Location"]


def test_it_lists_scheduled_digests_with_time_in_the_editors_zone_and_audience_size(editor_client, editor):
    EditorSettings.objects.create(user=editor, time_zone="Asia/Beirut")
    mailing_list = make_list(name="Lebanon chapter")
    make_audience(mailing_list, 3, language="ar")
    make_audience(mailing_list, 2, language="en")
    segment = Segment.objects.create(mailing_list=mailing_list, name="Arabic readers", filters={"language": ["ar"]})
    send_at = timezone.datetime(2026, 12, 1, 7, 0, tzinfo=UTC)
    make_digest(mailing_list, status=Digest.Status.SCHEDULED, send_at=send_at, subject="December news", segment=segment)

    body = editor_client.get(reverse("editorial:dashboard")).content.decode()

    scheduled = body[body.index('id="scheduled"'):body.index('id="finished"')]
    assert "December news" in scheduled and "Sends at (Asia/Beirut)" in scheduled
    assert "Tue 1 Dec 2026, 09:00 EET" in scheduled  # 07:00 UTC is 09:00 in Beirut
    assert '<td class="number">3</td>' in scheduled
    assert "Time zone: Asia/Beirut" in body  # in the header of every admin page


def test_it_shows_the_last_sent_digests_with_counts_and_rates(editor_client):
    mailing_list = make_list(tracking_enabled=True)
    make_audience(mailing_list, 4)
    digest = make_digest(mailing_list, status=Digest.Status.SENDING, subject="March news")
    audience_plan(digest=digest, variants=[make_variant(digest)], batch_size=1000)
    Delivery.objects.filter(digest=digest).update(status=Delivery.Status.SENT, sent_at=timezone.now())
    Digest.objects.filter(pk=digest.pk).update(status=Digest.Status.SENT, finished_at=timezone.now())
    for n, kind in enumerate(["delivered", "delivered", "delivered", "bounced", "complained", "opened", "opened", "clicked"]):
        EmailEvent.objects.create(event_id=f"e{n}", event_type=kind, digest_id=digest.pk, recipient_hash=f"r{n % 4}")

    body = editor_client.get(reverse("editorial:dashboard")).content.decode()

    row = body[body.index(f'data-digest="{digest.pk}"'):]
    row = row[:row.index("</tr>")]
    cells = [cell.split(">", 1)[1] for cell in row.split('<td class="number')[1:]]
    assert cells[0].startswith("4<")  # sent
    assert "3<br><span class=\"rate\">75.0 %" in cells[1]  # delivered
    assert "1<br><span class=\"rate\">25.0 %" in cells[2]  # bounced
    assert "2<br><span class=\"rate\">50.0 %" in cells[6]  # opened
    assert 'class="outcome-delivered"' in body and "<svg" in body  # the outcome chart


def test_it_shows_who_left_through_a_digest_beside_complaints_and_provider_unsubscribes(editor_client):
    mailing_list = make_list()
    readers = make_audience(mailing_list, 4)
    digest = make_digest(mailing_list, status=Digest.Status.SENDING, subject="April news")
    audience_plan(digest=digest, variants=[make_variant(digest)], batch_size=1000)
    Delivery.objects.filter(digest=digest).update(status=Delivery.Status.SENT, sent_at=timezone.now())
    Digest.objects.filter(pk=digest.pk).update(status=Digest.Status.SENT, finished_at=timezone.now())
    Subscription.objects.filter(subscriber__in=readers[:2]).update(status="unsubscribed", unsubscribed_via_digest_id=digest.pk)
    EmailEvent.objects.create(event_id="c1", event_type="complained", digest_id=digest.pk, recipient_hash="r1")
    EmailEvent.objects.create(event_id="u1", event_type="unsubscribed", digest_id=digest.pk, recipient_hash="r2")

    body = editor_client.get(reverse("editorial:dashboard")).content.decode()

    row = body[body.index(f'data-digest="{digest.pk}"'):]
    row = row[:row.index("</tr>")]
    cells = {cell.split('"', 1)[0].split()[-1]: cell.split(">", 1)[1] for cell in row.split('<td class="number')[2:]}
    assert cells["outcome-left_via_links"].startswith("2<br><span class=\"rate\">50.0 %")
    assert cells["outcome-complained"].startswith("1<br>")
    assert cells["outcome-unsubscribed"].startswith("1<br>")
    assert "Left through it" in body


def test_it_shows_clicks_per_link_without_personal_tokens(editor_client, settings):
    mailing_list = make_list(tracking_enabled=True)
    readers = make_audience(mailing_list, 3)
    digest = make_digest(mailing_list, status=Digest.Status.SENDING, subject="May news")
    audience_plan(digest=digest, variants=[make_variant(digest)], batch_size=1000)
    Delivery.objects.filter(digest=digest).update(status=Delivery.Status.SENT, sent_at=timezone.now())
    Digest.objects.filter(pk=digest.pk).update(status=Digest.Status.SENT, finished_at=timezone.now())
    clicks = [(reader, tokens.unsubscribe_url(subscriber_id=reader.pk, list_id=mailing_list.pk, digest_id=digest.pk))
              for reader in readers[:2]]
    clicks += [(reader, "https://example.org/report?ref=digest") for reader in readers]
    clicks += [(readers[0], "https://example.org/report?ref=digest")]  # a second click, same reader
    for n, (reader, url) in enumerate(clicks):
        provider_event_record(event=AnymailTrackingEvent(
            event_type="clicked", event_id=f"click-{n}", recipient=reader.email, click_url=url,
            metadata={"digest_id": str(digest.pk)}, timestamp=timezone.now()), esp_name="Mailgun")

    body = editor_client.get(reverse("editorial:dashboard")).content.decode()

    links = body[body.index(f'<details class="links" data-digest="{digest.pk}">'):]
    links = links[:links.index("</details>")]
    rows = [[cell.split("<", 1)[0] for cell in tr.split("<td")[1:]] for tr in links.split("<tr>")[2:]]
    rows = [[cell.split(">", 1)[1] for cell in row] for row in rows]
    assert rows == [["https://example.org/report?ref=digest", "3", "4"], [f"{settings.SITE_URL}/u/", "2", "2"]]
    assert "/u/" + str(readers[0].pk) not in body
    stored = set(EmailEvent.objects.filter(digest_id=digest.pk).values_list("url", flat=True))
    assert stored == {"https://example.org/report?ref=digest", f"{settings.SITE_URL}/u/"}  # no token kept


def test_it_draws_joins_and_leaves_per_week_and_segment_sizes(editor_client):
    mailing_list = make_list(name="News")
    subscribers = make_audience(mailing_list, 5)
    Segment.objects.create(mailing_list=mailing_list, name="French", filters={"language": ["fr"]})
    from subscribers.models import Subscription
    Subscription.objects.filter(subscriber=subscribers[0]).update(status="unsubscribed", unsubscribed_at=timezone.now())

    body = editor_client.get(reverse("editorial:dashboard")).content.decode()

    growth = body[body.index('id="growth"'):body.index('id="segments"')]
    assert "4 active subscribers" in growth
    assert growth.count('class="join"') == 1 and "5 joined" in growth
    assert growth.count('class="leave"') == 1 and "1 left" in growth
    assert "French (News)" in body and "0 / 4" in body


def test_it_serves_the_dashboard_in_french(editor_client):
    sending_digest()

    body = editor_client.get(reverse("editorial:dashboard"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    progress = json.loads(editor_client.get(reverse("editorial:progress"), HTTP_ACCEPT_LANGUAGE="fr").content)

    assert "Envoi en cours" in body and "Programmés" in body and "Mettre en pause" in body
    assert progress["digests"][0]["summary"] == "4 envoyés sur 10"


def test_it_links_the_dashboard_from_the_admin_index_and_every_admin_page(editor_client):
    index = editor_client.get(reverse("admin:index")).content.decode()
    news = editor_client.get(reverse("admin:newsletter_newsitem_changelist")).content.decode()

    assert index.count(f'href="{reverse("editorial:dashboard")}"') == 2  # the box on the index and the header link
    assert 'id="dashboard-link"' in news


def test_it_lets_an_editor_confirm_a_digest_that_waits_for_confirmation(editor_client):
    mailing_list = make_list()
    make_audience(mailing_list, 2)
    digest = make_digest(mailing_list, status=Digest.Status.NEEDS_CONFIRMATION, subject="Old news",
                         send_at=timezone.now() - timedelta(days=2))
    url = reverse("editorial:control", args=[digest.pk, "send_now"])

    assert url in editor_client.get(reverse("editorial:dashboard")).content.decode()
    editor_client.post(url)

    digest.refresh_from_db()
    assert digest.status == Digest.Status.SCHEDULED and digest.send_at > timezone.now() - timedelta(minutes=1)
    entry = AuditEntry.objects.get(action=AuditEntry.Action.DIGEST_SENT_NOW)
    assert (entry.actor_name, entry.target_id) == ("edith", str(digest.pk))


def test_it_points_at_failed_and_uncertain_recipients_of_a_finished_digest(editor_client):
    mailing_list = make_list()
    make_audience(mailing_list, 3)
    digest = make_digest(mailing_list, status=Digest.Status.SENDING, subject="May news")
    audience_plan(digest=digest, variants=[make_variant(digest)], batch_size=1000)
    first, second, third = Delivery.objects.filter(digest=digest).order_by("id")
    Delivery.objects.filter(pk=first.pk).update(status=Delivery.Status.SENT, sent_at=timezone.now())
    Delivery.objects.filter(pk=second.pk).update(status=Delivery.Status.FAILED)
    Delivery.objects.filter(pk=third.pk).update(status=Delivery.Status.UNCERTAIN)
    Digest.objects.filter(pk=digest.pk).update(status=Digest.Status.SENT, finished_at=timezone.now())

    body = editor_client.get(reverse("editorial:dashboard")).content.decode()

    row = body[body.index(f'data-digest="{digest.pk}"'):]
    assert "1 failed, 1 uncertain" in row[:row.index("</tr>")]
    assert reverse("admin:worker_send_change", args=[digest.pk]) in row[:row.index("</tr>")]


def _finished_digest(*, sent: int, finished_at, subject: str = "June news", status=Digest.Status.SENT, **list_fields):
    mailing_list = make_list(**list_fields)
    make_audience(mailing_list, sent)
    digest = make_digest(mailing_list, status=Digest.Status.SENDING, subject=subject)
    audience_plan(digest=digest, variants=[make_variant(digest)], batch_size=1000)
    Delivery.objects.filter(digest=digest).update(status=Delivery.Status.SENT, sent_at=finished_at)
    Digest.objects.filter(pk=digest.pk).update(status=status, started_at=finished_at - timedelta(seconds=1),
                                               finished_at=finished_at)
    return digest


def test_it_says_waiting_for_provider_reports_instead_of_zero_until_the_first_report(editor_client):
    digest = _finished_digest(sent=4, finished_at=timezone.now(), tracking_enabled=True)

    def row() -> str:
        body = editor_client.get(reverse("editorial:dashboard")).content.decode()
        row = body[body.index(f'<tr data-digest="{digest.pk}"'):]
        return row[:row.index("</tr>")]

    waiting = row()
    EmailEvent.objects.create(event_id="d1", event_type="delivered", digest_id=digest.pk, recipient_hash="r1")
    reported = row()

    delivered = waiting[waiting.index("outcome-delivered"):]
    assert delivered[:delivered.index("</td>")].endswith('<span class="waiting">waiting for provider reports</span>')
    assert 'class="number outcome-bounced"><span class="waiting"' in waiting  # not "0 / 0.0 %"
    assert "waiting for provider reports" not in reported and "1<br><span class=\"rate\">25.0 %" in reported


def test_it_keeps_a_send_that_ended_between_two_polls_in_the_live_view_with_its_account(editor_client, editor):
    EditorSettings.objects.create(user=editor, time_zone="Europe/Paris")
    with time_machine.travel(datetime(2026, 11, 23, 9, 2, 30, tzinfo=UTC), tick=False):
        digest = _finished_digest(sent=37, finished_at=timezone.now() - timedelta(seconds=20))
        old = _finished_digest(sent=2, finished_at=timezone.now() - timedelta(hours=3), subject="Old news")
        never_started = make_digest(make_list(), status=Digest.Status.CANCELLED, subject="Dropped news")
        Digest.objects.filter(pk=never_started.pk).update(finished_at=timezone.now())
        live = editor_client.get(reverse("editorial:progress")).json()["digests"]
        body = editor_client.get(reverse("editorial:dashboard")).content.decode()

    [send] = live
    assert (send["id"], send["status"], send["finished"], send["sent"]) == (digest.pk, "sent", True, 37)
    assert send["summary"] == "Sent 37 at 10:02"  # in the editor's time zone
    assert (send["rate_text"], send["eta_text"]) == ("", "")
    assert (send["percent"], send["can_pause"], send["can_cancel"]) == (100.0, False, False)
    section = body[body.index('id="sending"'):body.index('id="scheduled"')]
    assert f'class="send finished" data-id="{digest.pk}"' in section and "Sent 37 at 10:02" in section
    assert str(old.subject) not in section and "Dropped news" not in section


def test_it_tells_the_live_view_about_digests_scheduled_after_the_page_was_opened(editor_client):
    from tests.support.organisations import make_organisation

    page = editor_client.get(reverse("editorial:dashboard")).content.decode()
    ours = make_digest(make_list(), status=Digest.Status.SCHEDULED, subject="July news",
                       send_at=timezone.now() + timedelta(minutes=5))
    theirs = make_digest(make_list(organisation=make_organisation()), status=Digest.Status.SCHEDULED,
                         send_at=timezone.now() + timedelta(minutes=5))

    progress = editor_client.get(reverse("editorial:progress")).json()
    later = editor_client.get(reverse("editorial:dashboard")).content.decode()

    assert 'data-scheduled=""' in page
    assert progress["scheduled"] == [ours.pk]  # another organisation's digest stays out of sight
    assert f'data-scheduled="{ours.pk}"' in later and "July news" in later and theirs.subject not in later
