"""The confirmation and the welcome are filed with the list's digests: the same List-Id (its `<id>` readable, only
the name encoded), a Feedback-ID of the same shape, a Message-ID on the list's domain; their text is not HTML, so
nothing in it is escaped. Checked on the messages as an SMTP server receives them."""

import re

import pytest
from django.core import mail
from django.utils import timezone

from newsletter.models import Digest
from subscribers import notifications
from subscribers.emails import email_hash
from subscribers.list_headers import feedback_id, list_id_header
from subscribers.models import MailingList, Subscriber, Subscription
from tests.support.smtp_sink import SmtpSink
from tests.worker.factories import make_audience, make_digest, make_list, make_variant
from worker.models import DigestSend
from worker.planning import audience_plan
from worker.sending import batch_send

pytestmark = pytest.mark.django_db


@pytest.fixture
def news():
    return make_list(name="Make Mothers Matter — أخبار", from_email="news@mg.example.org", welcome_enabled=True,
                     welcome_body="Glad to have you.")


def _pending(mailing_list: MailingList, address: str = "new@example.org") -> Subscriber:
    subscriber = Subscriber.objects.create(email=address, email_hash=email_hash(address))
    Subscription.objects.create(subscriber=subscriber, mailing_list=mailing_list, status=Subscription.Status.PENDING)
    return subscriber


def _send_confirmation_and_welcome(mailing_list: MailingList) -> None:
    subscriber = _pending(mailing_list)
    assert notifications.confirmation_email_send(subscriber_id=subscriber.id, list_ids=[mailing_list.id], topic_ids=[],
                                                 requested_at=timezone.now())
    Subscription.objects.filter(subscriber=subscriber).update(status=Subscription.Status.ACTIVE)
    assert notifications.welcome_email_send(subscriber_id=subscriber.id, list_id=mailing_list.id)


@pytest.fixture
def smtp(settings):
    with SmtpSink() as sink:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", sink.port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        yield sink


def test_it_files_the_confirmation_and_the_welcome_under_the_digests_list_id(news, smtp):
    _send_confirmation_and_welcome(news)

    confirmation, welcome = smtp.messages
    for message in (confirmation, welcome):
        assert message.headers["List-Id"] == f"Make Mothers Matter — أخبار <{news.slug}.lists.mg.example.org>"


def test_it_keeps_the_list_ids_angle_brackets_out_of_the_encoded_words(news):
    _send_confirmation_and_welcome(news)

    for message in mail.outbox:
        raw = message.message().as_bytes()
        unfolded = re.sub(rb"\r?\n[ \t]+", b" ", raw)
        [header] = re.findall(rb"^List-Id: (.*)$", unfolded, re.M)
        assert header.endswith(f" <{news.slug}.lists.mg.example.org>".encode())
        assert b"=?utf-8?" in header.split(b"<")[0]  # only the name is an encoded word


def test_it_gives_transactional_emails_a_message_id_on_the_lists_domain_and_a_feedback_id(news, smtp):
    _send_confirmation_and_welcome(news)

    confirmation, welcome = smtp.messages
    assert re.fullmatch(r"<[^@<>\s]+@mg\.example\.org>", confirmation.headers["Message-ID"])
    assert re.fullmatch(r"<[^@<>\s]+@mg\.example\.org>", welcome.headers["Message-ID"])
    assert confirmation.headers["Message-ID"] != welcome.headers["Message-ID"]
    assert confirmation.headers["Feedback-ID"] == f"confirmation:{news.slug}:mmm"
    assert welcome.headers["Feedback-ID"] == f"welcome:{news.slug}:mmm"


def test_it_builds_the_feedback_id_of_a_digest_and_a_welcome_with_the_same_function(news):
    [reader] = make_audience(news, 1)
    digest = make_digest(news, status=Digest.Status.SENDING)
    [batch_id] = audience_plan(digest=digest, variants=[make_variant(digest)], batch_size=10).batch_ids
    DigestSend.objects.create(digest=digest)
    assert batch_send(batch_id=batch_id).sent == 1
    assert notifications.welcome_email_send(subscriber_id=reader.id, list_id=news.id)

    digest_message, welcome = mail.outbox
    assert digest_message.extra_headers["Feedback-ID"] == feedback_id(campaign=f"digest-{digest.id}", mailing_list=news)
    assert welcome.extra_headers["Feedback-ID"] == feedback_id(campaign="welcome", mailing_list=news)
    assert welcome.extra_headers["List-Id"] == digest_message.extra_headers["List-Id"] == list_id_header(news)


def test_it_sends_a_confirmation_for_several_lists_under_the_first_ones_headers(smtp):
    first = make_list(name="A first list", from_email="news@first.example.org")
    second = make_list(name="B second list", from_email="news@second.example.org")
    subscriber = _pending(first)
    Subscription.objects.create(subscriber=subscriber, mailing_list=second, status=Subscription.Status.PENDING)

    assert notifications.confirmation_email_send(subscriber_id=subscriber.id, list_ids=[first.id, second.id],
                                                 topic_ids=[], requested_at=timezone.now())

    [message] = smtp.messages
    assert message.headers["List-Id"] == list_id_header(first)
    assert message.headers["Message-ID"].endswith("@first.example.org>")


def test_it_never_html_escapes_text_emails(news, smtp):
    news.organisation.postal_address = "Make Mothers Matter, 5 rue de l'Université, 75007 Paris <France> & co"
    news.organisation.save()
    news.welcome_body = 'Say "hello" & meet l\'équipe <3'
    news.save()

    _send_confirmation_and_welcome(news)

    confirmation, welcome = smtp.messages
    for message in (confirmation, welcome):
        assert "5 rue de l'Université, 75007 Paris <France> & co" in message.text
        assert "&#x27;" not in message.text and "&amp;" not in message.text and "&lt;" not in message.text
    assert 'Say "hello" & meet l\'équipe <3' in welcome.text


def test_it_dates_transactional_emails_with_a_real_zone(news, smtp):
    _send_confirmation_and_welcome(news)

    for message in smtp.messages:
        assert message.headers["Date"].endswith(" +0000"), message.headers["Date"]

