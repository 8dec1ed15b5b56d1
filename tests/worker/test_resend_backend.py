"""Resend: one call per recipient, each with an Idempotency-Key derived from digest, batch and delivery."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from newsletter.models import Digest
from tests.worker.factories import make_audience, make_digest, make_list, make_variant
from worker.models import Delivery, DigestSend
from worker.planning import audience_plan
from worker.sending import batch_send

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def resend_api(settings):
    received = []

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_POST(self):
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            received.append({"path": self.path, "key": self.headers.get("Idempotency-Key"), "body": body})
            data = json.dumps({"id": f"re-{len(received)}"}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.EMAIL_PROVIDER = "resend"
    settings.SEND_RATE_PER_SECOND = 1000
    settings.ANYMAIL = {"RESEND_API_KEY": "re_test", "RESEND_API_URL": f"http://127.0.0.1:{server.server_address[1]}/"}
    yield received
    server.shutdown()
    server.server_close()


def test_it_sends_each_resend_message_with_an_idempotency_key(resend_api):
    mailing_list = make_list()
    make_audience(mailing_list, 2)
    digest = make_digest(mailing_list, status=Digest.Status.SENDING)
    [batch_id] = audience_plan(digest=digest, variants=[make_variant(digest)], batch_size=10).batch_ids
    DigestSend.objects.create(digest=digest)

    assert batch_send(batch_id=batch_id).sent == 2

    deliveries = {d.subscriber.email: d for d in Delivery.objects.filter(digest=digest).select_related("subscriber")}
    assert len(resend_api) == 2
    for call in resend_api:
        [to] = call["body"]["to"]
        delivery = deliveries[to]
        assert call["path"] == "/emails"
        assert call["key"] == f"digest-{digest.id}-batch-{batch_id}-delivery-{delivery.id}"
        assert call["body"]["headers"]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert delivery.status == Delivery.Status.SENT and delivery.provider_message_id.startswith("re-")


def test_it_sends_a_tracked_lists_digest_through_resend_without_a_tracking_option(resend_api):
    # Resend has no per-message tracking option (anymail would refuse one): the domain's setting applies.
    mailing_list = make_list(tracking_enabled=True)
    make_audience(mailing_list, 2)
    digest = make_digest(mailing_list, status=Digest.Status.SENDING)
    [batch_id] = audience_plan(digest=digest, variants=[make_variant(digest)], batch_size=10).batch_ids
    DigestSend.objects.create(digest=digest)

    assert batch_send(batch_id=batch_id).sent == 2
    assert len(resend_api) == 2 and not any("track" in key.lower() for call in resend_api for key in call["body"])
