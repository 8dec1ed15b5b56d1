"""What a merged (Mailgun) batch records once the provider has answered."""

import pytest
from anymail.message import AnymailRecipientStatus, AnymailStatus

from newsletter.models import Digest
from subscribers.emails import email_hash
from subscribers.models import Suppression
from tests.support.fake_mailgun import FakeMailgun
from tests.worker.factories import make_audience, make_digest, make_list, make_variant
from worker import sending
from worker.models import Batch, Delivery, DigestSend
from worker.planning import audience_plan
from worker.sending import MAX_MERGED_CALLS, batch_send

pytestmark = [pytest.mark.django_db]


class AnsweringBackend:
    """Stands in for the Mailgun backend: accepts everybody, optionally after the reconcile scan gave up on us."""

    def __init__(self, *, before_answer=None, statuses=None):
        self.before_answer = before_answer
        self.statuses = statuses or {}

    def send_messages(self, messages):
        [message] = messages
        if self.before_answer:
            self.before_answer()
        status = AnymailStatus()
        status.set_recipient_status({
            email: AnymailRecipientStatus(message_id="<m1@mg>", status=self.statuses.get(email, "queued"))
            for email in message.to
        })
        message.anymail_status = status
        return 1


@pytest.fixture
def merged_batch(settings):
    settings.EMAIL_PROVIDER = "mailgun"
    settings.ANYMAIL = {"MAILGUN_API_KEY": "key-test", "MAILGUN_SENDER_DOMAIN": "mg.example.org"}
    mailing_list = make_list()
    subscribers = make_audience(mailing_list, 30)
    digest = make_digest(mailing_list, status=Digest.Status.SENDING)
    [batch_id] = audience_plan(digest=digest, variants=[make_variant(digest)], batch_size=1000).batch_ids
    DigestSend.objects.create(digest=digest)
    return digest, subscribers, batch_id


def test_it_records_every_recipient_sent_under_the_providers_message_id(merged_batch, monkeypatch):
    digest, subscribers, batch_id = merged_batch
    monkeypatch.setattr(sending, "get_connection", lambda *args, **kwargs: AnsweringBackend())
    assert (batch_send(batch_id=batch_id).sent, Batch.objects.get(pk=batch_id).provider_calls) == (30, 1)
    assert set(Delivery.objects.filter(digest=digest).values_list("status", "provider_message_id")) == {("sent", "<m1@mg>")}
    assert Batch.objects.get(pk=batch_id).status == Batch.Status.SUBMITTED


def test_it_lets_the_providers_late_answer_win_over_the_reconcile_scans_uncertain(merged_batch, monkeypatch):
    digest, subscribers, batch_id = merged_batch

    def reconcile_gave_up():  # what worker.recovery does to a batch whose call outlived SEND_SUBMITTING_TIMEOUT
        Batch.objects.filter(pk=batch_id).update(status=Batch.Status.UNCERTAIN)
        Delivery.objects.filter(batch_id=batch_id).update(status=Delivery.Status.UNCERTAIN)

    monkeypatch.setattr(sending, "get_connection", lambda *args, **kwargs: AnsweringBackend(before_answer=reconcile_gave_up))
    batch_send(batch_id=batch_id)
    assert set(Delivery.objects.filter(digest=digest).values_list("status", flat=True)) == {"sent"}
    assert Batch.objects.get(pk=batch_id).status == Batch.Status.SUBMITTED


def test_it_fails_only_the_recipients_the_provider_refused(merged_batch, monkeypatch):
    digest, subscribers, batch_id = merged_batch
    refused = subscribers[3].email
    monkeypatch.setattr(sending, "get_connection",
                        lambda *args, **kwargs: AnsweringBackend(statuses={refused: "rejected"}))
    assert (batch_send(batch_id=batch_id).sent, Batch.objects.get(pk=batch_id).provider_calls) == (29, 1)
    statuses = dict(Delivery.objects.filter(digest=digest).values_list("subscriber__email", "status"))
    assert statuses.pop(refused) == "failed"
    assert set(statuses.values()) == {"sent"}


@pytest.fixture
def mailgun_batch_with(settings):
    """A planned 30-recipient Mailgun batch whose addresses at the given indexes are moved to invalid.example."""

    def make(fake, invalid_indexes=()):
        settings.EMAIL_PROVIDER = "mailgun"
        settings.SEND_RATE_PER_SECOND = 1_000_000
        settings.ANYMAIL = {"MAILGUN_API_KEY": fake.api_key, "MAILGUN_API_URL": fake.api_url,
                            "MAILGUN_SENDER_DOMAIN": fake.domain}
        mailing_list = make_list()
        subscribers = make_audience(mailing_list, 30)
        for index in invalid_indexes:
            subscribers[index].email = f"reader{index}@invalid.example"
            subscribers[index].save(update_fields=["email"])
        digest = make_digest(mailing_list, status=Digest.Status.SENDING)
        [batch_id] = audience_plan(digest=digest, variants=[make_variant(digest)], batch_size=1000).batch_ids
        DigestSend.objects.create(digest=digest)
        return digest, batch_id

    return make


def test_it_sends_everybody_else_when_mailgun_refuses_a_batch_for_one_invalid_address(mailgun_batch_with):
    with FakeMailgun(invalid_domains=frozenset({"invalid.example"})) as fake:
        digest, batch_id = mailgun_batch_with(fake, invalid_indexes=(4, 21))
        outcome = batch_send(batch_id=batch_id)

    received = fake.by_recipient()
    assert len(received) == 28 and all(len(copies) == 1 for copies in received.values())
    statuses = dict(Delivery.objects.filter(digest=digest).values_list("subscriber__email", "status"))
    assert {email for email, status in statuses.items() if status == "failed"} == {
        "reader4@invalid.example", "reader21@invalid.example"}
    assert Suppression.objects.filter(email_hash__in=[email_hash("reader4@invalid.example"),
                                                      email_hash("reader21@invalid.example")]).count() == 2
    batch = Batch.objects.get(pk=batch_id)
    assert batch.status == Batch.Status.SUBMITTED
    assert (outcome.sent, outcome.calls) == (28, batch.provider_calls) and 1 < batch.provider_calls <= MAX_MERGED_CALLS


def test_it_fails_the_batch_at_once_when_mailgun_refuses_it_for_another_reason(mailgun_batch_with):
    refusal = (400, {}, {"message": "from parameter is missing"})
    with FakeMailgun(responder=lambda number: refusal) as fake:
        digest, batch_id = mailgun_batch_with(fake)
        batch_send(batch_id=batch_id)
    assert fake.calls == 1
    assert set(Delivery.objects.filter(digest=digest).values_list("status", flat=True)) == {"failed"}
    assert Batch.objects.get(pk=batch_id).status == Batch.Status.FAILED
