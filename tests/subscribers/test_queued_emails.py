"""The audience's emails through the outbox: the confirmation queued with the pending subscription, the welcome
with the confirmation; poked once, sent by a drain that claims each row once, retried with backoff, never lost
when Redis or the provider fails."""

import socket
import threading
from datetime import timedelta

import pytest
import redis
import time_machine
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from config.redis_client import shared_client
from subscribers import queued_emails, services, subscribe_requests, tasks
from subscribers.models import ConsentRecord, MailingList, QueuedEmail, Subscriber, SubscribeRequest, Subscription
from tests.subscribers.factories import make_list, make_subscriber, make_topic, subscribe
from tests.support.concurrency import run_together
from tests.support.processes import wait_until

pytestmark = pytest.mark.django_db


@pytest.fixture
def news():
    return make_list(name="MMM News", slug="news")


def _post(email="new@example.org", **fields):
    """Post the form and let a worker decide the request (subscribers.subscribe_requests), as the drain's first step does."""
    data = {"email": email, "name": "", "language": "en", "lists": ["news"], "consent": "on", **fields}
    response = Client().post("/subscribe/", data, REMOTE_ADDR="10.0.0.1")
    subscribe_requests.subscribe_requests_apply_due(limit=100)
    return response


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def unreachable_smtp(settings):
    """Email goes to an SMTP port nobody listens on: every send fails as a provider outage would."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", _closed_port(), 2
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    return settings


@pytest.fixture
def published(monkeypatch):
    """Count the pokes published to Celery instead of running them."""
    calls = []
    monkeypatch.setattr(tasks.send_queued_emails, "delay", lambda: calls.append(1))
    return calls


def test_it_queues_the_confirmation_email_with_the_pending_subscription(news, published):
    health = make_topic("health")
    person = make_subscriber("known@example.org")
    with_topics = Client().post("/api/subscribe", {"email": "known@example.org", "lists": ["news"], "topics": ["health"],
                                                   "consent": True}, content_type="application/json")
    assert with_topics.status_code == 202
    assert not QueuedEmail.objects.exists()  # decided behind the answer
    subscribe_requests.subscribe_requests_apply_due(limit=100)
    row = QueuedEmail.objects.get()
    assert (row.subscriber_id, row.list_ids, row.topic_ids, row.attempts) == (person.pk, [news.pk], [health.pk], 0)
    assert Subscription.objects.get().status == "pending" and ConsentRecord.objects.count() == 1
    assert mail.outbox == []  # nothing is sent inside the request


def test_it_queues_nothing_when_the_request_is_refused(news, published):
    assert _post(lists=["nope"]).status_code == 400
    assert _post(email="not an address").status_code == 400
    assert not QueuedEmail.objects.exists() and not Subscriber.objects.exists()


def test_it_publishes_one_poke_until_a_drain_starts(news, published, django_capture_on_commit_callbacks):
    for n in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            assert _post(email=f"p{n}@example.org").status_code == 200
    assert len(published) == 1 and QueuedEmail.objects.count() == 3
    assert queued_emails.queued_emails_send_due() == 3
    with django_capture_on_commit_callbacks(execute=True):
        _post(email="later@example.org")
    assert len(published) == 2  # the drain reset the poke: the next request wakes a worker again


def test_it_sends_the_queued_emails_and_deletes_their_rows(news, published, django_capture_on_commit_callbacks):
    for email in ("a@example.org", "b@example.org"):
        with django_capture_on_commit_callbacks(execute=True):
            _post(email=email)
    assert queued_emails.queued_emails_send_due() == 2
    assert sorted(message.to[0] for message in mail.outbox) == ["a@example.org", "b@example.org"]
    assert "/confirm/" in mail.outbox[0].body
    assert not QueuedEmail.objects.exists()
    assert queued_emails.queued_emails_send_due() == 0  # nothing twice


def test_it_keeps_the_request_and_the_email_when_redis_is_gone_after_the_commit(news, monkeypatch,
                                                                                   django_capture_on_commit_callbacks):
    gone = redis.Redis(host="127.0.0.1", port=_closed_port(), socket_connect_timeout=0.5)
    monkeypatch.setattr(queued_emails, "shared_client", lambda: gone)
    with django_capture_on_commit_callbacks(execute=True):
        assert _post().status_code == 200  # the poke failed; the answer does not
    assert QueuedEmail.objects.count() == 1
    assert queued_emails.queued_emails_send_due() == 1  # the beat's drain sends it
    assert mail.outbox[0].to == ["new@example.org"]


def test_it_retries_a_failed_email_after_a_backoff_and_sends_it_when_the_provider_is_back(
    news, published, unreachable_smtp, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _post()
    started = timezone.now()
    assert queued_emails.queued_emails_send_due() == 0
    row = QueuedEmail.objects.get()
    assert row.attempts == 1 and "ConnectionRefusedError" in row.last_error
    assert started + timedelta(seconds=55) < row.send_after < started + timedelta(seconds=65)
    assert queued_emails.queued_emails_send_due() == 0 and QueuedEmail.objects.get().attempts == 1  # not due yet

    unreachable_smtp.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with time_machine.travel(row.send_after + timedelta(seconds=1)):
        assert queued_emails.queued_emails_send_due() == 1
    assert len(mail.outbox) == 1 and not QueuedEmail.objects.exists()


def test_it_gives_up_after_the_last_attempt_until_an_administrator_retries(news, published, unreachable_smtp, admin_client,
                                                                         django_capture_on_commit_callbacks, settings):
    with django_capture_on_commit_callbacks(execute=True):
        _post()
    QueuedEmail.objects.update(attempts=settings.QUEUED_EMAIL_MAX_ATTEMPTS - 1)
    assert queued_emails.queued_emails_send_due() == 0
    row = QueuedEmail.objects.get()
    assert row.attempts == settings.QUEUED_EMAIL_MAX_ATTEMPTS and row.last_error
    with time_machine.travel(timezone.now() + timedelta(days=2)):
        assert queued_emails.queued_emails_send_due() == 0  # left alone, however long it waits
    assert QueuedEmail.objects.get().attempts == settings.QUEUED_EMAIL_MAX_ATTEMPTS

    page = admin_client.get("/admin/subscribers/queuedemail/")
    assert page.status_code == 200 and "ConnectionRefusedError" in page.content.decode()
    unreachable_smtp.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        answer = admin_client.post("/admin/subscribers/queuedemail/",
                                   {"action": "retry_now", "_selected_action": [row.pk]}, follow=True)
    assert "1 email will be sent again now" in answer.content.decode()
    assert len(published) == 2  # the retry pokes a worker
    assert queued_emails.queued_emails_send_due() == 1 and len(mail.outbox) == 1


def test_it_drops_the_email_of_someone_erased_or_no_longer_pending(news, published, django_capture_on_commit_callbacks):
    for email in ("erased@example.org", "left@example.org"):
        with django_capture_on_commit_callbacks(execute=True):
            _post(email=email)
    Subscriber.objects.get(email="erased@example.org").delete()
    left = Subscription.objects.get(subscriber__email="left@example.org")
    services.subscription_unsubscribe(subscriber_id=left.subscriber_id, list_id=left.mailing_list_id, source="link")
    assert QueuedEmail.objects.count() == 1  # the erased person's row went with her
    assert queued_emails.queued_emails_send_due() == 0
    assert mail.outbox == [] and not QueuedEmail.objects.exists()


def test_it_sends_again_a_row_whose_claimer_was_lost_after_the_lease(news, published, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _post()
    assert len(queued_emails.claim_due(QueuedEmail, limit=10)) == 1  # a worker claims it, then dies before sending
    assert queued_emails.queued_emails_send_due() == 0
    with time_machine.travel(timezone.now() + queued_emails.CLAIM_LEASE + timedelta(seconds=1)):
        assert queued_emails.queued_emails_send_due() == 1
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_it_claims_each_row_once_when_drains_run_together():
    mailing_list = make_list()
    people = [make_subscriber() for _ in range(60)]
    for person in people:
        subscribe(person, mailing_list, status="pending")
    QueuedEmail.objects.bulk_create(
        QueuedEmail(kind="confirmation", subscriber=person, list_ids=[mailing_list.pk]) for person in people
    )
    claims = run_together(lambda: [row.pk for row in queued_emails.claim_due(QueuedEmail, limit=40)], times=3)
    claimed = [pk for claim in claims for pk in claim]
    assert len(claimed) == len(set(claimed)) == 60
    assert set(QueuedEmail.objects.values_list("attempts", flat=True)) == {1}


def test_it_keeps_the_poke_for_a_short_while_only(news, published, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _post()
    ttl = shared_client().ttl(cache.make_key(queued_emails.POKE_KEY))
    assert 0 < ttl <= queued_emails.POKE_TTL_SECONDS  # a lost poke silences later requests for seconds, not for ever


def _confirm_path(body: str) -> str:
    return "/confirm/" + body.split("/confirm/", 1)[1].split()[0]


def test_it_queues_the_welcome_with_the_confirmation_and_sends_it(published, django_capture_on_commit_callbacks):
    make_list(name="MMM News", slug="news", welcome_enabled=True, welcome_subject="Welcome to MMM News",
              welcome_body="Glad to have you.")
    make_list(name="Quiet", slug="quiet")  # no welcome
    with django_capture_on_commit_callbacks(execute=True):
        _post(lists=["news", "quiet"])
    queued_emails.queued_emails_send_due()
    with django_capture_on_commit_callbacks(execute=True):
        assert Client().post(_confirm_path(mail.outbox[0].body)).status_code == 200
    row = QueuedEmail.objects.get()
    assert (row.kind, row.list_ids) == ("welcome", [MailingList.objects.get(slug="news").pk])
    assert len(mail.outbox) == 1  # not sent inside the request

    assert queued_emails.queued_emails_send_due() == 1
    welcome = mail.outbox[1]
    assert welcome.subject == "Welcome to MMM News" and "Glad to have you." in welcome.body
    assert welcome.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert not QueuedEmail.objects.exists()


def test_it_confirms_and_keeps_the_welcome_when_redis_is_gone_after_the_commit(monkeypatch,
                                                                                django_capture_on_commit_callbacks):
    make_list(name="MMM News", slug="news", welcome_enabled=True, welcome_body="Glad to have you.")
    with django_capture_on_commit_callbacks(execute=True):
        _post()
    queued_emails.queued_emails_send_due()
    gone = redis.Redis(host="127.0.0.1", port=_closed_port(), socket_connect_timeout=0.5)
    monkeypatch.setattr(queued_emails, "shared_client", lambda: gone)
    with django_capture_on_commit_callbacks(execute=True):
        assert Client().post(_confirm_path(mail.outbox[0].body)).status_code == 200  # the poke failed; the page did not
    assert Subscription.objects.get().status == "active"
    monkeypatch.undo()
    assert queued_emails.queued_emails_send_due() == 1  # the beat's drain
    assert "Glad to have you." in mail.outbox[1].body


def test_it_drops_a_welcome_switched_off_before_it_was_sent(published, django_capture_on_commit_callbacks):
    news = make_list(name="MMM News", slug="news", welcome_enabled=True, welcome_body="Glad to have you.")
    with django_capture_on_commit_callbacks(execute=True):
        _post()
    queued_emails.queued_emails_send_due()
    with django_capture_on_commit_callbacks(execute=True):
        Client().post(_confirm_path(mail.outbox[0].body))
    MailingList.objects.filter(pk=news.pk).update(welcome_enabled=False)
    assert queued_emails.queued_emails_send_due() == 0
    assert len(mail.outbox) == 1 and not QueuedEmail.objects.exists()


def test_it_keeps_a_subscribe_request_that_failed_and_an_administrator_can_retry_it(news, published, admin_client,
                                                                                   monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("database hiccup")

    monkeypatch.setattr(subscribe_requests.services, "subscription_request", broken)
    _post(email="kept@example.org")
    row = SubscribeRequest.objects.get()
    assert row.attempts == 1 and "database hiccup" in row.last_error and not Subscriber.objects.exists()
    page = admin_client.get("/admin/subscribers/subscriberequest/")
    assert page.status_code == 200 and "database hiccup" in page.content.decode()
    assert "kept@example.org" not in page.content.decode()
    monkeypatch.undo()
    admin_client.post("/admin/subscribers/subscriberequest/", {"action": "retry_now", "_selected_action": [row.pk]})
    subscribe_requests.subscribe_requests_apply_due(limit=10)
    assert Subscriber.objects.get().email == "kept@example.org" and not SubscribeRequest.objects.exists()


def test_it_sends_a_drains_emails_over_one_smtp_connection_and_opens_a_new_one_after_a_refusal(
        news, published, settings, django_capture_on_commit_callbacks):
    from tests.support.smtp_sink import SmtpSink

    with SmtpSink(refuse={"refused@example.org"}) as sink:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", sink.port, 5
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.QUEUED_EMAIL_SEND_THREADS = 1
        for email in ("a@example.org", "b@example.org", "refused@example.org", "c@example.org", "d@example.org"):
            with django_capture_on_commit_callbacks(execute=True):
                _post(email=email)

        assert queued_emails.queued_emails_send_due() == 4

    assert sorted(sink.by_recipient()) == ["a@example.org", "b@example.org", "c@example.org", "d@example.org"]
    # one session for the drain's sending thread, and one more after the refusal closed it (not one per email)
    assert sink.sessions == 2
    assert QueuedEmail.objects.get().attempts == 1  # the refused one waits for its retry


def test_it_keeps_several_provider_calls_in_flight_each_thread_over_its_own_connection(
        news, published, settings, django_capture_on_commit_callbacks):
    from tests.support.fake_mailgun import FakeMailgun

    settings.QUEUED_EMAIL_SEND_THREADS = 4
    emails = [f"reader{n}@example.org" for n in range(12)]
    for email in emails:
        with django_capture_on_commit_callbacks(execute=True):
            _post(email=email)
    release = threading.Event()
    with FakeMailgun(hold=release) as fake:
        settings.EMAIL_BACKEND = "anymail.backends.mailgun.EmailBackend"
        settings.ANYMAIL = {**settings.ANYMAIL, "MAILGUN_API_KEY": fake.api_key, "MAILGUN_API_URL": fake.api_url,
                            "MAILGUN_SENDER_DOMAIN": fake.domain}
        together = threading.Event()

        def release_once_four_are_held():
            # Held by the provider, four calls arrive together; one call at a time would never get past the first.
            try:
                wait_until(lambda: fake.calls >= 4, timeout=30, interval=0.01, what="four provider calls at once")
                together.set()
            finally:
                release.set()

        threading.Thread(target=release_once_four_are_held, daemon=True).start()
        assert queued_emails.queued_emails_send_due() == 12
        assert together.is_set()

    assert sorted(fake.by_recipient()) == sorted(emails)
    assert not QueuedEmail.objects.exists()
