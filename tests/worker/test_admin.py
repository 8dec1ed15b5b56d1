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


def test_it_shows_sends_with_progress_and_the_report_with_uncertain_batches(admin_client, sending):
    listing = admin_client.get(reverse("admin:worker_send_changelist"))
    detail = admin_client.get(reverse("admin:worker_send_change", args=[sending.pk]))

    assert listing.status_code == 200 and "Weekly news" in listing.content.decode()
    assert "0/3 sent" in listing.content.decode()
    body = detail.content.decode()
    assert detail.status_code == 200
    assert "<th>uncertain</th><td>3</td>" in body
    assert "lost during the call" in body and "provider calls" in body


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
