"""The desk's results: the list of digests that went out, one digest's results, its live state as it is polled,
and the live view of sends. Each narrowed to the editor's organisations."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from newsletter.models import Digest
from subscribers.models import DigestEventCount, EmailEvent
from tests.support.organisations import make_organisation
from tests.worker.factories import make_audience, make_digest, make_list, make_variant
from worker.models import Delivery
from worker.planning import audience_plan

pytestmark = pytest.mark.django_db


def planned_digest(*, tracking: bool = True, subject: str = "Spring news", status=Digest.Status.SENDING, **list_fields):
    mailing_list = make_list(tracking_enabled=tracking, **list_fields)
    make_audience(mailing_list, 2, language="en")
    make_audience(mailing_list, 1, language="ar")
    digest = make_digest(mailing_list, status=Digest.Status.SENDING, subject=subject)
    audience_plan(digest=digest, variants=[make_variant(digest, language="en"), make_variant(digest, language="ar")],
                  batch_size=10)
    Digest.objects.filter(pk=digest.pk).update(status=status, started_at=timezone.now())
    return Digest.objects.get(pk=digest.pk)


def finish(digest: Digest) -> None:
    Delivery.objects.filter(digest=digest).update(status=Delivery.Status.SENT, sent_at=timezone.now())
    Digest.objects.filter(pk=digest.pk).update(status=Digest.Status.SENT, finished_at=timezone.now())


def report_clicks(digest: Digest) -> None:
    for n, delivery in enumerate(Delivery.objects.filter(digest=digest).order_by("id")):
        kind = "bounced" if n == 2 else "delivered"
        EmailEvent.objects.create(event_id=f"d{digest.pk}-{n}", event_type=kind, digest_id=digest.pk,
                                  delivery_id=delivery.pk, recipient_hash=f"r{delivery.pk}",
                                  bounce_class="soft" if kind == "bounced" else "", occurred_at=timezone.now())
        if kind == "delivered":
            EmailEvent.objects.create(event_id=f"c{digest.pk}-{n}", event_type="clicked", digest_id=digest.pk,
                                      delivery_id=delivery.pk, recipient_hash=f"r{delivery.pk}",
                                      url="https://example.org/petition", occurred_at=timezone.now())
    DigestEventCount.objects.create(digest_id=digest.pk, outcomes=3, delivered=2, soft=1)


def results_url(digest: Digest) -> str:
    return reverse("desk:digest_results", args=[digest.pk])


def live_url(digest: Digest, shown: str) -> str:
    return reverse("desk:digest_live", args=[digest.pk]) + f"?shown={shown}"


def test_it_lives_at_the_address_the_compose_page_links_to():
    assert reverse("desk:digest_results", args=[7]) == "/desk/digests/7/results/"


def test_it_says_waiting_for_provider_reports_instead_of_zero(editor_client):
    digest = planned_digest()
    finish(digest)

    page = editor_client.get(results_url(digest)).content.decode()

    assert 'data-testid="results-waiting"' in page
    for key in ("delivered", "bounced", "opened", "clicked"):
        row = page[page.index(f'<tr data-figure="{key}">'):]
        assert row[:row.index("</tr>")].endswith('<span class="waiting">waiting for provider reports</span></td>')
    assert 'data-phase="ended"' in page and "Sent 3 at" in page


def test_it_shows_the_figures_bounces_per_link_and_per_language_once_reported(editor_client):
    digest = planned_digest()
    finish(digest)
    report_clicks(digest)

    page = editor_client.get(results_url(digest)).content.decode()

    assert 'data-testid="results-waiting"' not in page
    assert '<tr data-figure="delivered"><th scope="row">Delivered</th>' in page and "(66.7 %)" in page
    assert "Temporary failure (full mailbox, server down)" in page
    links = page[page.index('data-testid="results-links"'):]
    assert "https://example.org/petition" in links and '<td>2</td><td>2</td>' in links  # readers, clicks
    assert 'lang="en">EN' in links
    assert 'data-language="ar"' in page and 'data-language="en"' in page
    # Nothing internal: no provider calls, batches or claims.
    assert "provider calls" not in page and "batch" not in page.lower()


def test_it_says_tracking_is_off_instead_of_showing_zero_opens(editor_client):
    digest = planned_digest(tracking=False)
    finish(digest)
    report_clicks(digest)

    page = editor_client.get(results_url(digest)).content.decode()

    assert 'data-testid="results-tracking-off"' in page
    assert 'data-figure="opened"' not in page and 'data-testid="results-links"' not in page


def test_it_answers_another_organisations_digest_like_a_missing_one(editor_client):
    theirs = planned_digest(organisation=make_organisation(name="OUM-Action"), subject="Their news")
    finish(theirs)

    assert editor_client.get(results_url(theirs)).status_code == 404
    assert editor_client.get(live_url(theirs, "sending")).status_code == 404
    listing = editor_client.get(reverse("desk:results")).content.decode()
    live = editor_client.get(reverse("desk:live_partial")).content.decode()
    assert "Their news" not in listing and "Their news" not in live


def test_it_sends_a_stranger_to_sign_in_and_refuses_staff_without_the_permission(client, django_user_model, roles):
    digest = planned_digest()
    assert client.get(results_url(digest))["Location"].startswith("/desk/login/")
    staff = django_user_model.objects.create_user(username="staffonly", password="pw", is_staff=True)
    client.force_login(staff)
    assert client.get(results_url(digest)).status_code == 403
    assert client.get(reverse("desk:results")).status_code == 403


def test_it_lists_sent_and_sending_digests_with_headline_figures(editor_client):
    sent = planned_digest(subject="Sent news")
    finish(sent)
    report_clicks(sent)
    planned_digest(subject="Going out now")
    draft = make_digest(make_list(), status=Digest.Status.DRAFT, subject="Not yet")

    page = editor_client.get(reverse("desk:results")).content.decode()

    assert "Sent news" in page and "Going out now" in page and draft.subject not in page
    assert page.index("Going out now") < page.index("Sent news")  # newest first
    assert f'href="{results_url(sent)}"' in page
    assert "2 <span class=\"muted\">(66.7 %)</span>" in page  # delivered


@pytest.mark.parametrize(("status", "phase", "heading", "figures"), [
    (Digest.Status.SCHEDULED, "scheduled", "Scheduled", False),
    (Digest.Status.PREPARING, "preparing", "Preparing", False),
    (Digest.Status.SENDING, "sending", "Sending", True),
    (Digest.Status.PAUSED, "paused", "Paused", True),
])
def test_it_shows_each_phase_and_keeps_polling_until_the_send_ends(editor_client, status, phase, heading, figures):
    digest = planned_digest(status=status)

    response = editor_client.get(live_url(digest, phase))
    partial = response.content.decode()

    assert f'data-phase="{phase}"' in partial and f'<h2 data-testid="live-status">{heading}</h2>' in partial
    assert 'hx-trigger="every 2s"' in partial and f"shown={phase}" in partial
    assert "HX-Refresh" not in response
    # While the send goes out, its figures come with every poll (an out-of-band swap), never stale.
    assert ('id="results-figures" data-testid="results-figures" hx-swap-oob="true"' in partial) is figures


def test_it_reloads_the_page_once_when_the_send_starts(editor_client):
    digest = planned_digest(status=Digest.Status.SCHEDULED)
    page = editor_client.get(results_url(digest)).content.decode()
    Digest.objects.filter(pk=digest.pk).update(status=Digest.Status.SENDING)

    response = editor_client.get(live_url(digest, "scheduled"))
    following = editor_client.get(live_url(digest, "sending"))

    assert 'data-testid="results-not-started"' in page and 'data-testid="results-bounces"' not in page
    assert response["HX-Refresh"] == "true"
    assert "HX-Refresh" not in following and "Audience (copies planned)" in following.content.decode()


def test_it_shows_sent_with_its_account_for_a_send_that_started_and_ended_between_two_polls(editor_client):
    digest = planned_digest(status=Digest.Status.SCHEDULED)
    first = editor_client.get(live_url(digest, "scheduled"))
    finish(digest)  # preparing, sending and sent, all before the next poll

    second = editor_client.get(live_url(digest, "scheduled"))

    assert 'data-phase="scheduled"' in first.content.decode()
    partial = second.content.decode()
    assert 'data-phase="ended"' in partial and '<h2 data-testid="live-status">Sent</h2>' in partial
    assert "Sent 3 at" in partial
    assert "hx-trigger" not in partial  # polling stops
    assert second["HX-Refresh"] == "true"  # and the page reloads once to show the final figures


def test_it_does_not_reload_a_page_that_already_showed_the_end(editor_client):
    digest = planned_digest()
    finish(digest)

    response = editor_client.get(live_url(digest, "ended"))

    assert "HX-Refresh" not in response and 'data-phase="ended"' in response.content.decode()


def test_the_live_view_says_finished_when_every_send_has_ended(editor_client):
    digest = planned_digest(subject="Short send")
    sending = editor_client.get(reverse("desk:live_partial")).content.decode()
    finish(digest)
    ended = editor_client.get(reverse("desk:live_partial")).content.decode()

    assert '<h2 data-testid="live-heading">Sending now</h2>' in sending
    assert '<h2 data-testid="live-heading">Finished a moment ago</h2>' in ended and "Sent 3 at" in ended


def test_the_dashboard_heading_no_longer_says_sending_now_for_a_finished_send(administrator_client):
    digest = planned_digest(subject="Short send")
    finish(digest)
    Digest.objects.filter(pk=digest.pk).update(finished_at=timezone.now() - timedelta(minutes=1))

    page = administrator_client.get(reverse("editorial:dashboard")).content.decode()
    progress = administrator_client.get(reverse("editorial:progress")).json()

    assert '<h2 data-field="heading">Finished a moment ago</h2>' in page
    assert progress["heading"] == "Finished a moment ago"


def test_the_live_view_points_those_who_may_pause_a_send_to_the_dashboard(editor_client):
    page = editor_client.get(reverse("desk:live")).content.decode()

    assert 'data-testid="live-levers"' in page and 'data-testid="live-sends"' in page


def test_it_offers_results_in_the_desk_navigation(editor_client):
    page = editor_client.get("/desk/").content.decode()

    assert f'href="{reverse("desk:results")}"' in page and f'href="{reverse("desk:live")}"' in page


def test_it_reads_in_arabic_right_to_left(editor_client):
    digest = planned_digest()
    finish(digest)
    editor_client.cookies["django_language"] = "ar"

    page = editor_client.get(results_url(digest)).content.decode()

    assert '<html lang="ar" dir="rtl">' in page and "في انتظار تقارير مزوّد البريد" in page
