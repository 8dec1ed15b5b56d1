"""An installation from before organisations migrates with no change in what its lists send: the organisation the
migration makes from its settings gives the same From, List-Id, Feedback-ID, Message-ID domain, Mailgun sending
domain, footer address, confirmation text and consent sentence as the settings gave before.

The child process stands in for such an installation on a fresh SQLite file (EMAIL_PROVIDER=mailgun, the
ORGANISATION_* settings set): migrated to subscribers 0006, a list made with the old schema, then migrated to the
end. "Before" is what the code before organisations built from those settings (subscribers.list_headers,
subscribers.notifications, newsletter.rendering at the commit before organisations), written out literally.
"""

from __future__ import annotations

from tests.support.processes import run_on_fresh_sqlite

SCRIPT = r"""
import json
import django

django.setup()
from django.core import mail
from django.core.mail import get_connection
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

call_command("migrate", "subscribers", "0006", verbosity=0)
old_apps = MigrationExecutor(connection).loader.project_state([("subscribers", "0006_unsubscribe_attribution")]).apps
old_apps.get_model("subscribers", "MailingList").objects.create(
    name="Old NGO News", slug="news", from_name="Old NGO", from_email="news@old-ngo.example", accent_colour="#123456",
    welcome_enabled=True, welcome_body="Welcome aboard.")
call_command("migrate", verbosity=0)

from newsletter.rendering import render_digest_variants
from subscribers import notifications
from subscribers.consent import CONSENT_VERSION, consent_text, consent_version
from subscribers.models import MailingList, Subscriber, Subscription
from tests.newsletter.factories import make_digest, make_item
from worker.messages import Recipient, build_envelope, single_message

news = MailingList.objects.select_related("organisation").get(slug="news")
digest = make_digest(mailing_list=news, items=[make_item(mailing_list=news)])
[variant] = render_digest_variants(digest_id=digest.id)
envelope = build_envelope(digest_id=digest.id, mailing_list=news, subject=variant.subject, html_body=variant.html,
                          text_body=variant.text, web_url="https://news.example.org/archive/1/")
digest_message = single_message(envelope=envelope, recipient=Recipient(7, 1, "reader@example.org", "Reader"))

subscriber = Subscriber.objects.create(email="new@example.org", language="en")
Subscription.objects.create(subscriber=subscriber, mailing_list=news, status="pending")
outbox = get_connection("django.core.mail.backends.locmem.EmailBackend")
notifications.confirmation_email_send(subscriber_id=subscriber.id, list_ids=[news.id], topic_ids=[],
                                      requested_at=timezone.now(), connection=outbox)
Subscription.objects.filter(subscriber=subscriber).update(status="active")
notifications.welcome_email_send(subscriber_id=subscriber.id, list_id=news.id, connection=outbox)
confirmation, welcome = mail.outbox

def seen(message):
    mime = message.message()
    return {"from": mime["From"], "list_id": mime["List-Id"], "feedback_id": mime["Feedback-ID"],
            "message_id_domain": mime["Message-ID"].rsplit("@", 1)[1], "subject": mime["Subject"],
            "sender_domain": (getattr(message, "esp_extra", None) or {}).get("sender_domain"),
            "body": message.body}

print(json.dumps({
    "digest": {**seen(digest_message), "html": variant.html},
    "confirmation": seen(confirmation),
    "welcome": seen(welcome),
    "consent": [consent_text(news.organisation), consent_version(news.organisation), CONSENT_VERSION],
    "digest_id": digest.id,
}))
"""

ADDRESS = "Old NGO, 1 Old Street, 99999 Oldtown"


def test_it_sends_what_an_installation_sent_before_organisations(tmp_path):
    sent = run_on_fresh_sqlite(SCRIPT, tmp_path, EMAIL_PROVIDER="mailgun", MAILGUN_API_KEY="key-test",
                               MAILGUN_SENDER_DOMAIN="mg.old-ngo.example", ORGANISATION_NAME="Old NGO",
                               ORGANISATION_ADDRESS=ADDRESS, ORGANISATION_ID="oldngo")
    campaigns = {"digest": f"digest-{sent['digest_id']}", "confirmation": "confirmation", "welcome": "welcome"}
    for kind, campaign in campaigns.items():
        message = sent[kind]
        assert message["from"] == "Old NGO <news@old-ngo.example>", kind
        assert message["list_id"] == '"Old NGO News" <news.lists.old-ngo.example>', kind
        assert message["feedback_id"] == f"{campaign}:news:oldngo", kind
        assert message["message_id_domain"] == "old-ngo.example>", kind
        # Before, anymail sent every message through MAILGUN_SENDER_DOMAIN; now the organisation says the same.
        assert message["sender_domain"] == "mg.old-ngo.example", kind
        assert ADDRESS in message["body"], kind
    assert ADDRESS in sent["digest"]["html"] and "#123456" in sent["digest"]["html"]
    assert sent["confirmation"]["subject"] == "Please confirm your subscription to Old NGO"
    assert sent["welcome"]["body"].startswith("Welcome aboard.")
    text, version, standard_version = sent["consent"]
    assert text == ("I agree that Old NGO emails me the newsletters I chose. I can unsubscribe at any time with the "
                    "link in every email. My address is never shared.")
    assert version == standard_version
