import pytest
from django.urls import reverse

from newsletter.models import Digest
from tests.worker.factories import make_audience, make_digest, make_list, make_variant
from worker.models import Batch, Delivery
from worker.planning import audience_plan

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def sending(admin_client):
    mailing_list = make_list()
    make_audience(mailing_list, 3)
    digest = make_digest(mailing_list, status=Digest.Status.SENDING, subject="Weekly news")
    [batch_id] = audience_plan(digest=digest, variants=[make_variant(digest)], batch_size=10).batch_ids
    Delivery.objects.filter(digest=digest).update(status=Delivery.Status.UNCERTAIN)
    Batch.objects.filter(pk=batch_id).update(status=Batch.Status.UNCERTAIN, error="lost during the call")
    return digest


def test_it_shows_sends_with_progress_and_the_results_with_uncertain_batches(admin_client, sending):
    listing = admin_client.get(reverse("admin:worker_send_changelist"))
    detail = admin_client.get(reverse("admin:worker_send_change", args=[sending.pk]))

    assert listing.status_code == 200 and "Weekly news" in listing.content.decode()
    assert "0/3 sent" in listing.content.decode()
    body = detail.content.decode()
    assert detail.status_code == 200
    assert "<th>Uncertain (perhaps sent)</th><td>3</td>" in body
    assert "lost during the call" in body
    # A superuser also has the delivery engine's own figures, folded away.
    folded = body.index('class="module aligned collapse"')
    assert "<details><summary>" in body[folded:folded + 300] and "Technical" in body[folded:folded + 500]
    assert "provider calls" in body[folded:] and "provider calls" not in body[:folded]


def _editor_client(client, django_user_model, digest, *codenames):
    from django.contrib.auth.models import Permission

    from editorial.models import OrganisationMembership

    editor = django_user_model.objects.create_user(username="edith", is_staff=True)
    editor.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    OrganisationMembership.objects.create(user=editor, organisation=digest.mailing_list.organisation)
    client.force_login(editor)
    return client


def test_it_shows_an_editor_a_read_only_results_page_without_internal_counters(client, django_user_model, sending):
    editor = _editor_client(client, django_user_model, sending, "view_send", "change_send")
    url = reverse("admin:worker_send_change", args=[sending.pk])

    body = editor.get(url).content.decode()
    posted = editor.post(url, {"subject": "Changed"})

    assert "<title>Weekly news | Results |" in body and "Change send" not in body
    assert 'name="_save"' not in body and 'name="_continue"' not in body
    assert "provider calls" not in body and "Technical" not in body
    assert "Audience (copies planned)" in body and "Planned for" in body
    assert posted.status_code == 403
    sending.refresh_from_db()
    assert sending.subject == "Weekly news"


def test_it_gives_results_per_language_and_bounce_class_and_waits_for_the_first_report(admin_client):
    from django.utils import timezone

    from subscribers.models import DigestEventCount, EmailEvent

    mailing_list = make_list(tracking_enabled=True)
    make_audience(mailing_list, 3, language="fr")
    make_audience(mailing_list, 2, language="ar")
    digest = make_digest(mailing_list, status=Digest.Status.SENDING, subject="Results news")
    audience_plan(digest=digest, variants=[make_variant(digest, language="fr"), make_variant(digest, language="ar")],
                  batch_size=10)
    Delivery.objects.filter(digest=digest).update(status=Delivery.Status.SENT, sent_at=timezone.now())
    Digest.objects.filter(pk=digest.pk).update(status=Digest.Status.SENT, finished_at=timezone.now())
    url = reverse("admin:worker_send_change", args=[digest.pk])

    before = admin_client.get(url).content.decode()
    arabic = list(Delivery.objects.filter(digest=digest, language="ar").order_by("id"))
    french = list(Delivery.objects.filter(digest=digest, language="fr").order_by("id"))
    for n, (delivery, kind) in enumerate([(arabic[0], "delivered"), (arabic[1], "bounced"), (french[0], "delivered"),
                                          (french[1], "delivered"), (french[1], "opened")]):
        EmailEvent.objects.create(event_id=f"e{n}", event_type=kind, digest_id=digest.pk, delivery_id=delivery.pk,
                                  recipient_hash=f"r{delivery.pk}", bounce_class="hard" if kind == "bounced" else "")
    DigestEventCount.objects.create(digest_id=digest.pk, outcomes=4, delivered=3, hard=1)
    after = admin_client.get(url).content.decode()

    assert "<th>Delivered</th><td><span class=\"waiting\">waiting for provider reports</span></td>" in before
    assert "<th>Delivered</th><td>3</td>" in after and "<th>Bounced</th><td>1</td>" in after
    per_language = after[after.index("Per language"):]
    # language, planned, sent, delivered, bounced, complained, opened, clicked
    assert "<td>العربية</td><td>2</td><td>2</td><td>1</td><td>1</td><td>0</td><td>0</td><td>0</td>" in per_language
    assert "<td>Français</td><td>3</td><td>3</td><td>2</td><td>0</td><td>0</td><td>1</td><td>0</td>" in per_language
    assert "<th>Mailbox does not exist (address removed)</th><td>1</td>" in after
    # Opens and clicks over time, from the same reads as the desk (worker.results.digest_activity).
    assert 'class="chart"' in after and "1 opens and 0 clicks" in after


def test_it_tells_the_editor_why_a_batch_failed(admin_client, sending):
    Batch.objects.filter(digest=sending).update(status=Batch.Status.FAILED, error="The worker was lost 3 times")

    body = admin_client.get(reverse("admin:worker_send_change", args=[sending.pk])).content.decode()

    assert "Failed batches:" in body and "The worker was lost 3 times" in body


def test_it_pauses_and_cancels_from_the_admin_actions(admin_client, sending):
    url = reverse("admin:worker_send_changelist")

    admin_client.post(url, {"action": "pause", "_selected_action": [sending.pk]})
    sending.refresh_from_db()
    assert sending.status == Digest.Status.PAUSED

    admin_client.post(url, {"action": "cancel", "_selected_action": [sending.pk]})
    sending.refresh_from_db()
    assert sending.status == Digest.Status.CANCELLED

    response = admin_client.post(url, {"action": "resume", "_selected_action": [sending.pk]}, follow=True)
    assert "it can be resumed only when it is paused" in response.content.decode()


def test_it_lists_batches_and_deliveries_read_only(admin_client, sending):
    assert admin_client.get(reverse("admin:worker_batch_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:worker_delivery_changelist") + "?status=uncertain").status_code == 200
    assert admin_client.get(reverse("admin:worker_delivery_add")).status_code == 403


def test_it_offers_no_lever_to_someone_who_may_only_view_sends(client, django_user_model, sending):
    from django.contrib.auth.models import Permission

    from editorial.models import OrganisationMembership

    watcher = django_user_model.objects.create_user(username="watcher", is_staff=True)
    watcher.user_permissions.add(Permission.objects.get(codename="view_send"))
    OrganisationMembership.objects.create(user=watcher, organisation=sending.mailing_list.organisation)
    client.force_login(watcher)
    Digest.objects.filter(pk=sending.pk).update(status=Digest.Status.SENDING)
    url = reverse("admin:worker_send_changelist")

    page = client.get(url).content.decode()
    client.post(url, {"action": "pause", "_selected_action": [sending.pk]})

    assert "Weekly news" in page and 'value="pause"' not in page
    sending.refresh_from_db()
    assert sending.status == Digest.Status.SENDING
