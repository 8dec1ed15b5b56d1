"""Every digest message tells the provider whether to track opens and clicks, from its list's setting, and its
unsubscribe links carry the digest (subscribers.tokens)."""

import json
import re
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from newsletter.models import Digest
from subscribers import tokens
from tests.support.fake_mailgun import FakeMailgun
from tests.worker.factories import make_audience, make_digest, make_list, make_variant
from worker.messages import Envelope, Recipient, single_message
from worker.models import DigestSend
from worker.planning import audience_plan
from worker.prebuilt_mime import PrebuiltVariant
from worker.providers import PROVIDERS
from worker.sending import batch_send

pytestmark = [pytest.mark.django_db]


def _send(mailing_list, count: int = 3) -> Digest:
    make_audience(mailing_list, count)
    digest = make_digest(mailing_list, status=Digest.Status.SENDING)
    [batch_id] = audience_plan(digest=digest, variants=[make_variant(digest)], batch_size=1000).batch_ids
    DigestSend.objects.create(digest=digest)
    batch_send(batch_id=batch_id)
    return digest


@pytest.fixture
def mailgun(settings):
    with FakeMailgun() as fake:
        settings.EMAIL_PROVIDER = "mailgun"
        settings.SEND_RATE_PER_SECOND = 1000
        settings.ANYMAIL = {"MAILGUN_API_KEY": fake.api_key, "MAILGUN_SENDER_DOMAIN": fake.domain,
                            "MAILGUN_API_URL": fake.api_url}
        yield fake


def test_it_tells_mailgun_to_track_only_for_lists_with_tracking_on(mailgun):
    tracked = _send(make_list(tracking_enabled=True))
    untracked = _send(make_list(tracking_enabled=False))

    by_digest = {}
    for message in mailgun.messages:
        by_digest.setdefault(int(json.loads(message.variables["digest_id"])), []).append(message.options)
    assert mailgun.accepted_calls == 2
    assert by_digest[tracked.pk] == [{"tracking-opens": "yes", "tracking-clicks": "yes"}] * 3
    assert by_digest[untracked.pk] == [{"tracking-opens": "no", "tracking-clicks": "no"}] * 3


def test_it_puts_the_digest_in_each_readers_footer_link_and_list_unsubscribe(mailgun):
    digest = _send(make_list())

    for message in mailgun.messages:
        header = re.fullmatch(r"<(\S+)>", message.headers["List-Unsubscribe"]).group(1)
        assert f'href="{header}"' in message.html and header in message.text
        link = tokens.read_unsubscribe_link(header.rsplit("/u/", 1)[1].rstrip("/"))
        assert (link.list_id, link.digest_id) == (digest.mailing_list_id, digest.pk)


@pytest.fixture
def postmark(settings):
    received = []

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_POST(self):
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            received.append(body)
            data = json.dumps({"To": body["To"], "MessageID": str(uuid.uuid4()), "ErrorCode": 0, "Message": "OK",
                               "SubmittedAt": "2026-12-07T10:00:00Z"}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.EMAIL_PROVIDER = "postmark"
    settings.EMAIL_BACKEND = "anymail.backends.postmark.EmailBackend"
    settings.SEND_RATE_PER_SECOND = 1000
    settings.ANYMAIL = {"POSTMARK_SERVER_TOKEN": "pm-test",
                        "POSTMARK_API_URL": f"http://127.0.0.1:{server.server_address[1]}/"}
    yield received
    server.shutdown()
    server.server_close()


def test_it_tells_a_one_message_per_recipient_provider_the_lists_choice(postmark):
    tracked = _send(make_list(tracking_enabled=True), count=2)
    untracked = _send(make_list(tracking_enabled=False), count=2)

    by_digest = {}
    for call in postmark:
        by_digest.setdefault(int(call["Metadata"]["digest_id"]), []).append((call["TrackOpens"], call["TrackLinks"]))
    assert by_digest == {tracked.pk: [(True, "HtmlAndText")] * 2, untracked.pk: [(False, "None")] * 2}


def test_it_says_nothing_of_tracking_to_a_provider_without_the_option(settings):
    settings.EMAIL_PROVIDER = "smtp"
    assert not PROVIDERS["resend"].tracking_options and not PROVIDERS["smtp"].tracking_options
    digest = _send(make_list(tracking_enabled=True))  # locmem stands for SMTP here
    from django.core import mail

    sent = [m for m in mail.outbox if m.metadata["digest_id"] == digest.pk]
    assert len(sent) == 3 and not any(hasattr(m, "track_opens") or hasattr(m, "track_clicks") for m in sent)


def test_it_keeps_the_tracking_choice_on_prebuilt_messages():
    envelope = Envelope(digest_id=4, list_id=2, from_email="news@mmm.example.org", reply_to=[], subject="News",
                        html="<p>%%name%% <a href='%%unsubscribe_url%%'>x</a></p>", text="%%name%% %%preferences_url%%",
                        domain="mmm.example.org", headers={"List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
                        tracking=False)
    prebuilt = PrebuiltVariant.build(envelope)
    assert prebuilt is not None
    message = single_message(envelope=envelope, prebuilt=prebuilt,
                             recipient=Recipient(delivery_id=1, subscriber_id=9, email="a@example.org", name="A"))
    assert (message.track_opens, message.track_clicks) == (False, False)
    assert tokens.read_unsubscribe_link(message.extra_headers["List-Unsubscribe"].split("/u/")[1][:-2]).digest_id == 4
