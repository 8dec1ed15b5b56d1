"""RFC 2919: a list's name may be encoded, its `<list-id>` never (clients group and filter on it), and every
email of a list, the welcome as each digest, carries the same one."""

import email
import email.policy

import pytest
from django.core import mail

from newsletter.models import Digest
from subscribers import notifications
from subscribers.list_headers import list_id_header
from subscribers.models import MailingList
from tests.support.organisations import unsaved_organisation
from tests.worker.factories import make_audience, make_digest, make_list, make_variant
from worker.messages import Recipient, build_envelope, single_message
from worker.models import DigestSend
from worker.planning import audience_plan
from worker.prebuilt_mime import prebuild
from worker.sending import batch_send


def _list(name: str) -> MailingList:
    return MailingList(id=9, name=name, slug="mmm-news", from_name="MMM", from_email="news@MMM.example.org",
                       organisation=unsaved_organisation())


def _envelope(name: str):
    return build_envelope(digest_id=3, mailing_list=_list(name), subject="News", html_body="<p>%%unsubscribe_url%%</p>",
                          text_body="%%unsubscribe_url%%", web_url="")


def test_it_quotes_an_ascii_list_name():
    value = list_id_header(_list('MMM "News"'))
    assert value == '"MMM News" <mmm-news.lists.mmm.example.org>'


def test_it_encodes_only_the_name_of_a_list_named_in_another_script():
    value = list_id_header(_list("Make Mothers Matter — أخبار"))
    assert value.isascii() and "\n" not in value
    assert value.endswith(" <mmm-news.lists.mmm.example.org>")


def test_it_sends_the_list_id_readable_in_every_message_build():
    envelope = _envelope("Make Mothers Matter — News, a name long enough to need two encoded words in the header")
    recipient = Recipient(delivery_id=1, subscriber_id=2, email="ann@example.org", name="Ann")
    for prebuilt in (None, prebuild(envelope, backend=None)):
        raw = single_message(envelope=envelope, recipient=recipient, prebuilt=prebuilt).message().as_bytes()
        assert b"<mmm-news.lists.mmm.example.org>" in raw
        parsed = email.message_from_bytes(raw, policy=email.policy.default)
        assert str(parsed["List-Id"]).strip() == (  # a long value may start on a folded line
            "Make Mothers Matter — News, a name long enough to need two encoded words in the header "
            "<mmm-news.lists.mmm.example.org>"
        )


def _list_id_as_read(message) -> str:
    return str(email.message_from_bytes(message.message().as_bytes(), policy=email.policy.default)["List-Id"]).strip()


@pytest.mark.django_db
def test_it_gives_a_lists_welcome_email_and_its_digest_the_same_list_id(settings):
    settings.SITE_URL = "https://publisher.example.net"  # not the list's domain: the List-Id is the list's own
    news = make_list(name="Make Mothers Matter — أخبار", welcome_enabled=True, welcome_body="Glad to have you.")
    [reader] = make_audience(news, 1)
    digest = make_digest(news, status=Digest.Status.SENDING)
    [batch_id] = audience_plan(digest=digest, variants=[make_variant(digest)], batch_size=10).batch_ids
    DigestSend.objects.create(digest=digest)

    assert notifications.welcome_email_send(subscriber_id=reader.id, list_id=news.id)
    assert batch_send(batch_id=batch_id).sent == 1

    welcome, digest_message = mail.outbox
    assert welcome.extra_headers["List-Id"] == digest_message.extra_headers["List-Id"] == list_id_header(news)
    assert _list_id_as_read(welcome) == _list_id_as_read(digest_message) == (
        f"Make Mothers Matter — أخبار <{news.slug}.lists.mg.example.org>"
    )
