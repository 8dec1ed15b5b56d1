"""RFC 2919: a list's name may be encoded, its `<list-id>` never (clients group and filter on it)."""

import email
import email.policy

from subscribers.models import MailingList
from worker.messages import Recipient, build_envelope, list_id_header, single_message
from worker.prebuilt_mime import prebuild


def _envelope(name: str):
    mailing_list = MailingList(id=9, name=name, slug="mmm-news", from_name="MMM", from_email="news@mmm.example.org")
    return build_envelope(digest_id=3, mailing_list=mailing_list, subject="News", html_body="<p>%%unsubscribe_url%%</p>",
                          text_body="%%unsubscribe_url%%", web_url="")


def test_it_quotes_an_ascii_list_name():
    value = list_id_header(name='MMM "News"', slug="mmm-news", domain="mmm.example.org")
    assert value == '"MMM News" <mmm-news.lists.mmm.example.org>'


def test_it_encodes_only_the_name_of_a_list_named_in_another_script():
    value = list_id_header(name="Make Mothers Matter — أخبار", slug="mmm-news", domain="mmm.example.org")
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
