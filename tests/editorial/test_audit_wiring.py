"""Who created, scheduled, paused, resumed, cancelled or resent which digest, and who imported,
exported or erased subscribers: written by the admin screens and the management commands."""

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from editorial.models import AuditEntry
from newsletter.models import Digest
from subscribers.models import Segment, Subscriber
from tests.newsletter.factories import make_digest, make_item, make_list, make_subscriber
from tests.worker.factories import make_variant
from worker.models import Delivery
from worker.planning import audience_plan

pytestmark = [pytest.mark.django_db]

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def trail() -> list[tuple[str, str, str]]:
    # The fixtures' own role grants and memberships are not what these tests watch.
    return list(AuditEntry.objects.exclude(action__in=[AuditEntry.Action.ROLE_GRANTED, AuditEntry.Action.ORGANISATION_JOINED])
                .order_by("id")
                .values_list("actor_name", "action", "target_id"))


@time_machine.travel(NOW, tick=False)
def test_it_records_a_digest_composed_scheduled_rescheduled_unscheduled_and_cancelled_in_the_admin(editor_client):
    mailing_list = make_list()
    make_item(mailing_list=mailing_list, published_at=NOW - timedelta(hours=1))

    editor_client.post(reverse("admin:newsletter_digest_compose"), {"mailing_list": mailing_list.id, "subject": "News"})
    digest = Digest.objects.get()
    action = lambda name: reverse("admin:newsletter_digest_action", args=[digest.pk, name])  # noqa: E731
    editor_client.post(action("schedule"), {"send_at": "2026-11-24T09:00", "confirmed": "yes"})
    editor_client.post(action("reschedule"), {"send_at": "2026-11-25T09:00", "confirmed": "yes"})
    editor_client.post(action("unschedule"))
    editor_client.post(action("cancel"), {"confirmed": "yes"})

    pk = str(digest.pk)
    assert trail() == [("edith", "digest_created", pk), ("edith", "digest_scheduled", pk), ("edith", "digest_rescheduled", pk),
                       ("edith", "digest_unscheduled", pk), ("edith", "digest_cancelled", pk)]
    assert "2026-11-25 09:00" in AuditEntry.objects.get(action="digest_rescheduled").description


def test_it_records_the_send_levers_of_the_sends_admin(editor_client):
    mailing_list = make_list()
    make_subscriber(mailing_list=mailing_list)
    digest = make_digest(mailing_list=mailing_list, status=Digest.Status.SENDING)
    audience_plan(digest=digest, variants=[make_variant(digest)], batch_size=10)
    url = reverse("admin:worker_send_changelist")

    for name in ("pause", "resume", "cancel"):
        editor_client.post(url, {"action": name, "_selected_action": [digest.pk]})
    Delivery.objects.filter(digest=digest).update(status=Delivery.Status.UNCERTAIN)
    Digest.objects.filter(pk=digest.pk).update(status=Digest.Status.SENT)
    editor_client.post(url, {"action": "resend_uncertain", "_selected_action": [digest.pk]})

    pk = str(digest.pk)
    assert trail() == [("edith", "digest_paused", pk), ("edith", "digest_resumed", pk), ("edith", "digest_cancelled", pk),
                       ("edith", "digest_resent_uncertain", pk)]
    assert AuditEntry.objects.get(action="digest_resent_uncertain").extra["recipients"] == 1


def test_it_records_imports_exports_and_erasures_without_keeping_an_address(administrator_client):
    news = make_list(slug="news")
    person = make_subscriber(mailing_list=news, email="me@example.org")
    segment = Segment.objects.create(mailing_list=news, name="All", filters={})
    upload = SimpleUploadedFile("people.csv", b"email,name\nnew@example.org,New\n", content_type="text/csv")

    administrator_client.post(reverse("admin:subscribers_mailinglist_import"), {"mailing_list": news.id, "file": upload})
    for model, pk in (("mailinglist", news.pk), ("segment", segment.pk)):
        response = administrator_client.post(reverse(f"admin:subscribers_{model}_changelist"),
                                             {"action": "export_csv", "_selected_action": [pk]})
        b"".join(response.streaming_content)
    changelist = reverse("admin:subscribers_subscriber_changelist")
    administrator_client.post(changelist, {"action": "export_personal_data", "_selected_action": [person.pk]})
    administrator_client.post(changelist, {"action": "erase", "_selected_action": [person.pk]})

    assert [(name, action) for name, action, _ in trail()] == [
        ("ada", "subscribers_imported"), ("ada", "subscribers_exported"), ("ada", "subscribers_exported"),
        ("ada", "subscriber_data_exported"), ("ada", "subscriber_erased")]
    assert not Subscriber.objects.filter(pk=person.pk).exists()
    for entry in AuditEntry.objects.all():
        assert "me@example.org" not in f"{entry.target_repr} {entry.description} {entry.extra}"
    assert AuditEntry.objects.get(action="subscriber_erased").target_id == str(person.pk)


def test_it_records_what_the_management_commands_do(tmp_path):
    news = make_list(slug="news")
    csv = tmp_path / "people.csv"
    csv.write_text("email,name\nnew@example.org,New\n")
    digest = make_digest(mailing_list=news, status=Digest.Status.SENDING)

    call_command("import_subscribers", str(csv), "--list", "news", stdout=StringIO())
    call_command("send_digest", str(digest.pk), "--pause", stdout=StringIO())

    entries = list(AuditEntry.objects.order_by("id"))
    assert [e.action for e in entries] == ["subscribers_imported", "digest_paused"]
    assert [e.extra["command"] for e in entries] == ["manage.py import_subscribers", "manage.py send_digest"]
    assert all(e.actor_id is None for e in entries)
