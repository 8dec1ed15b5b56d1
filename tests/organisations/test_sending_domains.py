"""Each message goes out through its organisation's sending domain: Mailgun's per-message sender domain (the
URL path /v3/<domain>/messages, proved with anymail's real backend against the fake), the SMTP envelope sender
on that domain with the From header unchanged; a blank domain keeps the installation's MAILGUN_SENDER_DOMAIN.
A From address that cannot align with the domain (DMARC, relaxed) refuses the send and warns in the admin."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from newsletter.checks import blocking, digest_check
from newsletter.models import Digest
from organisations.sending import aligned, organisational_domain
from subscribers import notifications
from subscribers.models import Subscriber, Subscription
from tests.support.fake_mailgun import FakeMailgun
from tests.support.organisations import make_organisation
from tests.support.smtp_sink import SmtpSink
from tests.worker.factories import make_audience, make_digest, make_list, make_variant
from worker.models import DigestSend
from worker.planning import audience_plan
from worker.sending import batch_send

pytestmark = pytest.mark.django_db


def _send_digest(mailing_list, count: int = 2) -> Digest:
    make_audience(mailing_list, count)
    digest = make_digest(mailing_list, status=Digest.Status.SENDING)
    [batch_id] = audience_plan(digest=digest, variants=[make_variant(digest)], batch_size=1000).batch_ids
    DigestSend.objects.create(digest=digest)
    batch_send(batch_id=batch_id)
    return digest


def _confirm_and_welcome(mailing_list, address: str = "new@example.org") -> None:
    subscriber = Subscriber.objects.create(email=address)
    Subscription.objects.create(subscriber=subscriber, mailing_list=mailing_list, status=Subscription.Status.PENDING)
    assert notifications.confirmation_email_send(subscriber_id=subscriber.id, list_ids=[mailing_list.id],
                                                 topic_ids=[], requested_at=timezone.now())
    Subscription.objects.filter(subscriber=subscriber).update(status=Subscription.Status.ACTIVE)
    assert notifications.welcome_email_send(subscriber_id=subscriber.id, list_id=mailing_list.id)


@pytest.fixture
def mailgun(settings):
    """The fake answers only for its own domain, the OUM-Action one; the installation's default is another."""
    with FakeMailgun(domain="mg.oum-action.example") as fake:
        settings.EMAIL_PROVIDER = "mailgun"
        settings.EMAIL_BACKEND = "anymail.backends.mailgun.EmailBackend"
        settings.SEND_RATE_PER_SECOND = 1000
        settings.ANYMAIL = {"MAILGUN_API_KEY": fake.api_key, "MAILGUN_SENDER_DOMAIN": "mg.makemothersmatter.example",
                            "MAILGUN_API_URL": fake.api_url}
        yield fake


def test_it_sends_each_digest_through_its_organisations_mailgun_domain(mailgun):
    oum = make_organisation(name="OUM-Action", sending_domain="mg.oum-action.example")
    _send_digest(make_list(organisation=oum, from_email="news@oum-action.example"))

    assert mailgun.accepted_calls == 1
    assert len(mailgun.messages) == 2


def test_it_keeps_the_installations_mailgun_domain_for_an_organisation_without_one(mailgun):
    mmm = make_organisation(name="Make Mothers Matter", sending_domain="")
    _send_digest(make_list(organisation=mmm, from_email="news@makemothersmatter.example"))

    # The fake refuses /v3/mg.makemothersmatter.example/messages: the call went to the installation's domain.
    assert mailgun.accepted_calls == 0 and mailgun.messages == []


def test_it_sends_confirmations_and_welcomes_through_the_organisations_mailgun_domain(mailgun):
    oum = make_organisation(name="OUM-Action", sending_domain="mg.oum-action.example")
    news = make_list(organisation=oum, from_email="news@oum-action.example", welcome_enabled=True,
                     welcome_body="Bienvenue.")

    _confirm_and_welcome(news)

    assert mailgun.accepted_calls == 2
    assert [m.to for m in mailgun.messages] == ["new@example.org", "new@example.org"]


@pytest.fixture
def smtp(settings):
    with SmtpSink() as sink:
        settings.EMAIL_PROVIDER = "smtp"
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", sink.port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.SEND_RATE_PER_SECOND = 1000
        yield sink


def test_it_puts_the_smtp_envelope_sender_on_the_sending_domain_and_keeps_the_from_header(smtp):
    liban = make_organisation(name="MMM Liban", sending_domain="mg.mmm-liban.example")
    news = make_list(organisation=liban, from_name="MMM Liban", from_email="nouvelles@mmm-liban.example",
                     welcome_enabled=True, welcome_body="Bienvenue.")

    _send_digest(news)
    _confirm_and_welcome(news)

    assert len(smtp.messages) == 4  # two digests, a confirmation, a welcome
    for message in smtp.messages:
        assert message.mail_from == "bounces@mg.mmm-liban.example"
        assert message.headers["From"] == "MMM Liban <nouvelles@mmm-liban.example>"


def test_it_leaves_the_smtp_envelope_sender_as_it_was_without_a_sending_domain(smtp):
    news = make_list(organisation=make_organisation(sending_domain=""), from_email="news@example.org")

    _send_digest(news)

    assert [m.mail_from for m in smtp.messages] == ["news@example.org", "news@example.org"]


@pytest.mark.parametrize(("from_email", "domain", "expected"), [
    ("news@oum-action.example", "mg.oum-action.example", True),
    ("news@makemothersmatter.example", "mg.oum-action.example", False),
    ("news@mmm.org.uk", "bounce.mmm.org.uk", True),  # org.uk is a public suffix: mmm.org.uk is the organisation
    ("news@a.org.uk", "mg.b.org.uk", False),
    ("news@Example.ORG", "example.org", True),
    ("anyone@example.org", "", True),  # no sending domain: the provider's settings decide, not judged here
])
def test_it_judges_relaxed_dmarc_alignment_by_organisational_domain(from_email, domain, expected):
    assert aligned(from_email=from_email, domain=domain) is expected


def test_it_reads_organisational_domains_from_the_public_suffix_list():
    assert organisational_domain("mg.news.example.co.uk") == "example.co.uk"
    assert organisational_domain("mg.makemothersmatter.example") == "makemothersmatter.example"


def test_it_refuses_a_send_whose_from_address_is_not_aligned_and_says_what_to_configure():
    mmm = make_organisation(name="Make Mothers Matter", sending_domain="mg.makemothersmatter.example")
    digest = make_digest(make_list(organisation=mmm, from_email="news@oum-action.example"))

    [problem] = [p for p in blocking(digest_check(digest_id=digest.pk)) if p.code == "dmarc_alignment"]

    assert "news@oum-action.example" in problem.message and "mg.makemothersmatter.example" in problem.message
    assert "sender address at makemothersmatter.example" in problem.message
    assert "sending domain to a domain under oum-action.example" in problem.message


def test_it_finds_nothing_to_refuse_when_the_from_address_is_aligned():
    oum = make_organisation(sending_domain="mg.oum-action.example")
    digest = make_digest(make_list(organisation=oum, from_email="news@oum-action.example"))

    assert [p for p in digest_check(digest_id=digest.pk) if p.code == "dmarc_alignment"] == []


def test_it_warns_in_the_admin_when_a_list_and_its_organisation_are_not_aligned():
    admin = get_user_model().objects.create_superuser("root", "root@example.org", "pw-long-enough-1")
    web = Client()
    web.force_login(admin)
    mmm = make_organisation(name="Make Mothers Matter", sending_domain="mg.makemothersmatter.example",
                            feedback_sender_id="mmm-admin")
    news = make_list(organisation=mmm, from_email="news@oum-action.example")

    response = web.post(f"/admin/organisations/organisation/{mmm.pk}/change/", {
        "name": mmm.name, "postal_address": mmm.postal_address, "website": "", "logo_url": "",
        "accent_colour": "#1a5fb4", "consent_text": "", "sending_domain": "mg.makemothersmatter.example",
        "feedback_sender_id": "mmm-admin",
    }, follow=True)

    shown = [str(m) for m in response.context["messages"]]
    assert any(m.startswith(f"{news.name}: The sender address news@oum-action.example") for m in shown)
