"""An erasure leaves her address and name nowhere: not in the admin history, provider events, the outbox,
queued mail, undecided requests or send errors (a full pg_dump of the database is searched), and no admin
path deletes a subscriber without erasing her."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from anymail.signals import AnymailTrackingEvent
from django.contrib.admin.models import LogEntry
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection
from django.utils import timezone

from editorial.models import AuditEntry
from newsletter.models import Digest
from operations.models import OutboxMessage
from subscribers.emails import email_hash
from subscribers.erasure import ADDRESS_PLACEHOLDER
from subscribers.models import EmailEvent, QueuedEmail, Subscriber, SubscribeRequest, Suppression
from subscribers.provider_events import provider_event_record
from subscribers.services import subscriber_erase
from tests.subscribers.factories import make_list, make_subscriber, subscribe
from tests.worker.factories import make_digest, make_variant
from worker.models import Batch, Delivery, DigestSend

ADDRESS = "zelda.quixotic-erasure@erasure-test.example.org"
NAME = "Zelda Quixoticmarchetti"
SHOUTED = "ZELDA.Quixotic-Erasure@Erasure-Test.EXAMPLE.org"


def _pg_dump() -> str:
    """The whole test database as SQL text, as an attacker with a backup would read it."""
    binary = next(p for p in ("/usr/lib/postgresql/15/bin/pg_dump", shutil.which("pg_dump")) if p and Path(p).exists())
    database = connection.settings_dict
    environment = {**os.environ, "PGPASSWORD": database.get("PASSWORD") or ""}
    result = subprocess.run(
        [binary, "--host", database.get("HOST") or "127.0.0.1", "--port", str(database.get("PORT") or 5432),
         "--username", database.get("USER") or "postgres", "--no-owner", database["NAME"]],
        capture_output=True, text=True, env=environment, timeout=120, check=True,
    )
    return result.stdout


def _change_in_admin(client, person: Subscriber, **changes) -> None:
    response = client.post(f"/admin/subscribers/subscriber/{person.pk}/change/", {
        "email": person.email, "name": person.name, "language": person.language, "country": person.country,
        "time_zone": person.time_zone, "attributes": "{}",
        "subscriptions-TOTAL_FORMS": "0", "subscriptions-INITIAL_FORMS": "0",
        "consents-TOTAL_FORMS": "0", "consents-INITIAL_FORMS": "0",
        **changes,
    })
    assert response.status_code == 302, response.content.decode()[:2000]


def _provider_event(kind: str, text: str, *, delivery_id: int | None = None) -> None:
    event = AnymailTrackingEvent(
        event_type=kind, recipient=SHOUTED, description=text, mta_response=text, event_id=f"evt-{kind}-{delivery_id}",
        message_id="<m1@mg.example.org>", metadata={"delivery_id": delivery_id} if delivery_id else {},
        timestamp=timezone.now(),
    )
    assert provider_event_record(event=event, esp_name="Mailgun")


def _outbox_send(to: str, body: str) -> None:
    message = EmailMultiAlternatives(subject="Please confirm", body=body, from_email="news@example.org", to=[to])
    message.attach_alternative(f"<p>{body}</p>", "text/html")
    get_connection("operations.outbox.OutboxEmailBackend").send_messages([message])


def _sent_digest_with_her_failure(news, person: Subscriber, neighbour: Subscriber) -> None:
    digest = make_digest(news, status=Digest.Status.SENT, status_detail=f"1 failed: 452 <{SHOUTED}> mailbox full")
    variant = make_variant(digest)
    failure = f"452 4.2.2 <{SHOUTED}>: mailbox full"
    batch = Batch.objects.create(digest=digest, variant=variant, language="en", status=Batch.Status.FAILED, size=2,
                                 error=failure)
    DigestSend.objects.create(digest=digest, total=2, last_error=failure)
    Delivery.objects.create(digest=digest, subscriber=person, batch=batch, language="en", status="failed", error=failure)
    # A batch's error is copied onto every delivery of the batch, so her address sits on her neighbour's row too.
    Delivery.objects.create(digest=digest, subscriber=neighbour, batch=batch, language="en", status="failed",
                            error=failure)


@pytest.mark.django_db(transaction=True)
def test_it_leaves_neither_address_nor_name_anywhere_in_a_full_database_dump(admin_client):
    news = make_list(name="MMM News", slug="news")
    person = make_subscriber(ADDRESS, name=NAME)
    subscribe(person, news)
    neighbour = make_subscriber("neighbour@example.org", name="Nadia Neighbour")
    subscribe(neighbour, news)
    _change_in_admin(admin_client, person, country="lb")  # the admin history names her by her address
    admin_client.post("/admin/subscribers/subscriber/", {"action": "export_personal_data", "_selected_action": [person.pk]})
    # An entry written before the trail named subscribers by id only.
    AuditEntry.objects.create(action="subscriber_data_exported", target_type="subscribers.subscriber",
                              target_id=str(person.pk), target_repr=ADDRESS, description=f"Sent to {NAME} <{SHOUTED}>.")
    _sent_digest_with_her_failure(news, person, neighbour)
    her_delivery = Delivery.objects.get(subscriber=person)
    _provider_event("deferred", f"452 <{SHOUTED}>: mailbox full ({NAME})", delivery_id=her_delivery.pk)
    _provider_event("bounced", f"550 5.1.1 <{SHOUTED}>: user unknown")
    _outbox_send(f"{NAME} <{ADDRESS}>", f"Dear {NAME}, confirm {ADDRESS} at https://news.example.org/confirm/tok/")
    _outbox_send("neighbour@example.org", "Dear Nadia")
    QueuedEmail.objects.create(kind=QueuedEmail.Kind.CONFIRMATION, subscriber=person, list_ids=[news.pk],
                               last_error=f"SMTP 421 for <{ADDRESS}>")
    SubscribeRequest.objects.create(email=SHOUTED, name=NAME, language="en", list_slugs=["news"],
                                    consent_source="form", consent_text="I agree", consent_version="1")
    before = _pg_dump().lower()
    assert ADDRESS in before and NAME.lower() in before  # the search below can find what it looks for

    response = admin_client.post("/admin/subscribers/subscriber/", {"action": "erase", "_selected_action": [person.pk]})

    assert response.status_code == 302
    dump = _pg_dump().lower()
    assert ADDRESS not in dump
    assert NAME.lower() not in dump
    assert "quixotic" not in dump
    # What the erasure must keep is still there: suppressions by hash, the events' statistics, the neighbour.
    assert set(Suppression.objects.values_list("email_hash", "reason")) == {(email_hash(ADDRESS), "hard_bounce")}
    assert set(EmailEvent.objects.values_list("event_type", flat=True)) == {"deferred", "bounced"}
    assert Delivery.objects.get().subscriber_id == neighbour.pk
    assert ADDRESS_PLACEHOLDER in Delivery.objects.get().error
    assert list(OutboxMessage.objects.values_list("to", flat=True)) == ["neighbour@example.org"]
    assert "neighbour@example.org" in dump and "nadia neighbour" in dump


@pytest.mark.django_db
def test_it_scrubs_only_whole_addresses_never_a_longer_one_that_contains_hers(admin_client):
    person = make_subscriber("ann@example.org", name="Ann")
    joann = make_subscriber("joann@example.org", name="Joann")
    _change_in_admin(admin_client, person, country="fr")
    _change_in_admin(admin_client, joann, country="fr")
    _outbox_send("ann@example.org", "Hello Ann")
    _outbox_send("joann@example.org", "Hello")
    _outbox_send("ann@example.org.evil.test", "Hello")

    subscriber_erase(subscriber_id=person.pk)

    reprs = sorted(LogEntry.objects.values_list("object_repr", flat=True))
    assert reprs == ["joann@example.org", f"subscriber #{person.pk} (erased)"]
    assert sorted(OutboxMessage.objects.values_list("to", flat=True)) == ["ann@example.org.evil.test", "joann@example.org"]


@pytest.mark.django_db
def test_it_offers_no_plain_delete_of_subscribers_only_the_erase_action(admin_client):
    person = make_subscriber("keep-out@example.org")

    page = admin_client.get("/admin/subscribers/subscriber/").content.decode()
    refused = admin_client.post("/admin/subscribers/subscriber/", {"action": "delete_selected", "_selected_action": [person.pk]})

    assert 'value="erase"' in page and 'value="delete_selected"' not in page
    assert Subscriber.objects.filter(pk=person.pk).exists()
    assert refused.status_code == 302  # back to the list ("no action selected"): nothing was deleted
    assert not Suppression.objects.exists()


@pytest.mark.django_db
def test_it_erases_when_a_subscriber_is_deleted_from_her_own_page(admin_client):
    person = make_subscriber("from-her-page@example.org", name="Paloma Pagewise")
    _change_in_admin(admin_client, person, country="es")

    response = admin_client.post(f"/admin/subscribers/subscriber/{person.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert not Subscriber.objects.exists()
    assert Suppression.objects.get().email_hash == email_hash("from-her-page@example.org")
    assert Suppression.objects.get().reason == "erased"
    reprs = list(LogEntry.objects.values_list("object_repr", flat=True))
    assert len(reprs) == 2 and all("from-her-page" not in r for r in reprs)  # her change and her deletion
    assert list(AuditEntry.objects.values_list("action", flat=True)) == ["subscriber_erased"]


@pytest.mark.django_db(transaction=True)
def test_it_keeps_no_text_of_a_bounce_that_arrives_after_her_erasure():
    person = make_subscriber(ADDRESS, name=NAME)
    subscriber_erase(subscriber_id=person.id)
    _provider_event("bounced", f"550 5.1.1 <{ADDRESS}>: mailbox unavailable")
    event = EmailEvent.objects.get()
    assert event.event_type == "bounced" and event.description == ""
    assert ADDRESS not in _pg_dump().lower()
