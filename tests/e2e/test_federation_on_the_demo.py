"""On the demo (three organisations, three languages), as issue 17 asks: an Arabic-speaking OUM-Action supporter
gets her confirmation, welcome and digest in OUM-Action's name and address, through its sending domain, with the
Arabic subject, preview line and intro; a French reader of the Lebanese chapter gets the French texts; an English
Make Mothers Matter reader gets MMM's identity.

In-process, with anymail's real Mailgun backend against the local fake: the fake answers only for the sending
domain of the organisation under test, so an accepted call is one made through that domain."""

import re
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.test import Client

from newsletter.models import Digest
from newsletter.rendering import render_digest_variants
from newsletter.services import digest_compose
from subscribers import queued_emails
from subscribers.models import MailingList, Subscription
from tests.support.fake_mailgun import FakeMailgun
from worker.models import DigestSend
from worker.planning import audience_plan
from worker.sending import batch_send

pytestmark = pytest.mark.django_db

ARABIC = re.compile("[\u0600-\u06ff]")

TEXTS = {
    "en": {"subject": "This week with mothers", "preheader": "Three stories from the field",
           "intro": "Dear friends, our news."},
    "fr": {"subject": "Cette semaine avec les mères", "preheader": "Trois histoires du terrain",
           "intro": "Chères amies, nos nouvelles."},
    "ar": {"subject": "هذا الأسبوع مع الأمهات", "preheader": "ثلاث قصص من الميدان",
           "intro": "صديقاتنا العزيزات، إليكنّ أخبارنا."},
}


@pytest.fixture
def demo(settings):
    call_command("load_demo", verbosity=0)
    settings.EMAIL_PROVIDER = "mailgun"
    settings.EMAIL_BACKEND = "anymail.backends.mailgun.EmailBackend"
    settings.SEND_RATE_PER_SECOND = 1000


@pytest.fixture
def provider(settings):
    """A fake Mailgun that answers only for `domain`; the installation's own default domain is another."""
    def answering_for(domain: str) -> FakeMailgun:
        fake = FakeMailgun(domain=domain).__enter__()
        settings.ANYMAIL = {"MAILGUN_API_KEY": fake.api_key, "MAILGUN_SENDER_DOMAIN": "mg.installation-default.example",
                            "MAILGUN_API_URL": fake.api_url}
        started.append(fake)
        return fake

    started: list[FakeMailgun] = []
    yield answering_for
    for fake in started:
        fake.__exit__(None, None, None)


def _subscribe_and_confirm(fake: FakeMailgun, *, email: str, language: str, slug: str):
    Client().post(f"/subscribe/?lang={language}", {"email": email, "name": "", "language": language, "lists": [slug],
                                                  "consent": "on"}, REMOTE_ADDR="10.0.0.5")
    queued_emails.queued_emails_send_due()
    [confirmation] = fake.by_recipient()[email]
    link = re.search(r"https?://\S+/confirm/\S+/", confirmation.text).group(0)
    Client().post(urlsplit(link).path)
    assert Subscription.objects.get(subscriber__email=email, mailing_list__slug=slug).status == "active"
    queued_emails.queued_emails_send_due()
    confirmation_, welcome = fake.by_recipient()[email]
    return confirmation, welcome


def _digest_to(fake: FakeMailgun, *, slug: str, email: str):
    mailing_list = MailingList.objects.get(slug=slug)
    default = TEXTS[mailing_list.default_language]
    digest = digest_compose(mailing_list_id=mailing_list.pk, **default,
                            other_languages={language: texts for language, texts in TEXTS.items()})
    variants = render_digest_variants(digest_id=digest.pk)
    Digest.objects.filter(pk=digest.pk).update(status=Digest.Status.SENDING)  # as sending it would, without a worker
    DigestSend.objects.create(digest=digest)
    for batch_id in audience_plan(digest=Digest.objects.get(pk=digest.pk), variants=variants, batch_size=1000).batch_ids:
        batch_send(batch_id=batch_id)
    return fake.by_recipient()[email][-1]


def test_it_speaks_for_oum_action_in_arabic_through_its_own_domain(demo, provider):
    fake = provider("mg.oum-action.example")
    confirmation, welcome = _subscribe_and_confirm(fake, email="amina@example.org", language="ar", slug="oum-action")
    digest = _digest_to(fake, slug="oum-action", email="amina@example.org")

    address = "OUM-Action, centre partenaire, avenue Mohammed V, Rabat, Maroc"
    for message in (confirmation, welcome, digest):
        assert message.from_email.endswith("<news@oum-action.example>")
        assert address in (message.text or message.html)
        assert "Make Mothers Matter" not in message.text and "Paris" not in message.text
    assert "OUM-Action" in confirmation.subject and ARABIC.search(confirmation.subject) and ARABIC.search(confirmation.text)
    assert welcome.subject == "مرحبًا بكِ في أوم-أكشن"
    assert digest.subject == TEXTS["ar"]["subject"]
    assert TEXTS["ar"]["preheader"] in digest.html and TEXTS["ar"]["intro"] in digest.html
    assert TEXTS["fr"]["intro"] not in digest.html


def test_it_gives_a_french_reader_of_the_lebanese_chapter_the_french_texts(demo, provider):
    fake = provider("mg.mmm-liban.example")
    _subscribe_and_confirm(fake, email="claire@example.org", language="fr", slug="mmm-liban")
    digest = _digest_to(fake, slug="mmm-liban", email="claire@example.org")

    assert digest.subject == TEXTS["fr"]["subject"]
    assert TEXTS["fr"]["intro"] in digest.html and TEXTS["ar"]["intro"] not in digest.html
    assert "Mouvement Mondial des Mères au Liban, rue Hamra, Beyrouth, Liban" in digest.text


def test_it_gives_an_english_mmm_reader_mmms_identity(demo, provider):
    fake = provider("mg.makemothersmatter.example")
    confirmation, _welcome = _subscribe_and_confirm(fake, email="jane@example.org", language="en", slug="mmm-news")
    digest = _digest_to(fake, slug="mmm-news", email="jane@example.org")

    assert "Make Mothers Matter" in confirmation.subject
    assert digest.subject == TEXTS["en"]["subject"]
    assert "5 rue de l'Université, 75007 Paris" in digest.text and "OUM-Action" not in digest.text
