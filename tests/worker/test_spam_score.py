"""A digest rendered the real way (template, premailer, html2text) and sent through the delivery engine, and a
confirmation and a welcome email, each as the full RFC 5322 message a provider receives, scored by SpamAssassin's
own rules (Debian's package; `make test` installs it) in local mode: no DNS, no network tests. A score above 0
is a rule our own message trips.

No rule is excluded: the ones this test environment trips (NO_RECEIVED, NO_RELAYS: nothing relayed the message)
score 0.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass

import pytest
from django.core import mail
from django.utils import timezone

from newsletter.models import Digest, DigestItem
from newsletter.rendering import render_digest_variants
from subscribers import notifications
from subscribers.emails import email_hash
from subscribers.models import Subscriber, Subscription
from tests.newsletter.factories import make_item
from tests.worker.factories import make_audience, make_digest, make_list
from worker.models import DigestSend
from worker.planning import audience_plan
from worker.sending import batch_send

pytestmark = pytest.mark.django_db

SPAMASSASSIN = "/usr/bin/spamassassin"
_RULE_LINE = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s+([A-Z][A-Z0-9_]+)\s", re.M)


@dataclass(frozen=True)
class Verdict:
    score: float
    rules: dict[str, float]  # every rule that fired, with its points

    def __str__(self) -> str:
        return f"score {self.score}: " + ", ".join(f"{name} {points}" for name, points in sorted(self.rules.items()))


def spam_verdict(raw: bytes) -> Verdict:
    """`spamassassin --local --test-mode`: local rules only; the report lists each rule's points."""
    result = subprocess.run([SPAMASSASSIN, "--local", "--test-mode"], input=raw, capture_output=True, check=True)
    output = result.stdout.decode("utf-8", "replace")
    status = re.search(r"^X-Spam-Status: \w+, score=(-?\d+(?:\.\d+)?)", output, re.M)
    assert status is not None, output[:2000]
    report = output.split("Content analysis details:", 1)[-1]
    return Verdict(float(status.group(1)), {name: float(points) for points, name in _RULE_LINE.findall(report)})


@pytest.fixture(autouse=True)
def _production_like(settings):
    # Links as production sends them (an https site, no port); the lists' sender domain is mg.example.org.
    settings.SITE_URL = "https://news.example.org"


def _sent_digest(language: str) -> bytes:
    news = make_list(name="Make Mothers Matter News", from_name="Make Mothers Matter", accent_colour="#1a5fb4")
    make_audience(news, 1, language=language)
    digest = make_digest(news, status=Digest.Status.SENDING, subject="Our news this week",
                         preheader="Care work at the UN, and mothers building peace", intro="Dear friends,")
    items = [
        make_item(title="Commission on the Status of Women", dateline="UN New York", language="en",
                  link="https://makemothersmatter.example.org/news/csw", translation_key="csw",
                  image_url="https://makemothersmatter.example.org/img/csw.jpg", image_alt="Delegates in New York",
                  summary="Mothers' organisations met in New York to speak about the value of unpaid care work."),
        make_item(title="Mothers at the heart of change", dateline="Casablanca", language="en",
                  link="https://makemothersmatter.example.org/news/peace",
                  summary="A conference gathered mothers who build peace in their communities."),
    ]
    make_item(title="لجنة وضع المرأة", language="ar", translation_key="csw",
              link="https://makemothersmatter.example.org/ar/news/csw",
              summary="اجتمعت منظمات الأمهات في نيويورك للحديث عن قيمة أعمال الرعاية غير المدفوعة.")
    for position, item in enumerate(items):
        DigestItem.objects.create(digest=digest, news_item=item, position=position)
    variants = render_digest_variants(digest_id=digest.id)
    [batch_id] = audience_plan(digest=digest, variants=variants, batch_size=10).batch_ids
    DigestSend.objects.create(digest=digest)

    assert batch_send(batch_id=batch_id).sent == 1
    [message] = mail.outbox
    return message.message().as_bytes()


@pytest.mark.parametrize("language", ["en", "ar"])
def test_it_sends_a_digest_that_spamassassin_scores_at_most_0(language):
    verdict = spam_verdict(_sent_digest(language))

    assert verdict.score <= 0, str(verdict)
    assert not {name for name, points in verdict.rules.items() if points > 0}, str(verdict)


def test_it_sends_a_confirmation_and_a_welcome_that_spamassassin_scores_at_most_0():
    news = make_list(name="Make Mothers Matter News", from_name="Make Mothers Matter", welcome_enabled=True,
                     welcome_body="Thank you for joining us. Our digest comes every other Tuesday.")
    subscriber = Subscriber.objects.create(email="new.reader@example.org", email_hash=email_hash("new.reader@example.org"))
    Subscription.objects.create(subscriber=subscriber, mailing_list=news, status=Subscription.Status.PENDING)

    assert notifications.confirmation_email_send(subscriber_id=subscriber.id, list_ids=[news.id], topic_ids=[],
                                                 requested_at=timezone.now())
    Subscription.objects.filter(subscriber=subscriber).update(status=Subscription.Status.ACTIVE)
    assert notifications.welcome_email_send(subscriber_id=subscriber.id, list_id=news.id)

    for message in mail.outbox:
        verdict = spam_verdict(message.message().as_bytes())
        assert verdict.score <= 0, f"{message.subject}: {verdict}"
        assert not {name for name, points in verdict.rules.items() if points > 0}, f"{message.subject}: {verdict}"
