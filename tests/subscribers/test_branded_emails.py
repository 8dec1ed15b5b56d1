"""The confirmation and welcome emails: a text part and a branded HTML alternative in the reader's language (the
organisation's name, logo, accent colour and address), right-to-left in Arabic; premailer runs once per list and
language, whatever the number of emails, and the drain's sending threads fill in each reader's own link."""

import re
from html import unescape

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from subscribers import email_shells, notifications, queued_emails
from subscribers.models import QueuedEmail
from tests.subscribers.factories import make_list, make_subscriber, subscribe
from tests.support.organisations import make_organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def brand():
    return make_organisation(name="Asociación Luz", postal_address="12 Calle Mayor\n28013 Madrid",
                             logo_url="https://luz.example.org/logo.png", accent_colour="#c01c28")


def _html(message) -> str:
    [(content, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return content


def _confirm(person, mailing_list) -> None:
    subscribe(person, mailing_list, status="pending")
    QueuedEmail.objects.create(kind=QueuedEmail.Kind.CONFIRMATION, subscriber=person, list_ids=[mailing_list.pk],
                               topic_ids=[])


def test_it_sends_the_confirmation_as_text_with_a_branded_html_part_carrying_her_own_link(brand):
    news = make_list(name="Luz News", organisation=brand)
    person = make_subscriber(email="ana@example.org", language="en")
    _confirm(person, news)

    assert queued_emails.queued_emails_send_due() == 1
    [message] = mail.outbox
    html = _html(message)
    [link] = re.findall(r"https?://\S+/confirm/\S+/", message.body)
    assert f'href="{link}"' in unescape(html)
    assert "Asociación Luz" in html and "Luz News" in html
    assert 'src="https://luz.example.org/logo.png"' in html
    assert "#c01c28" in html  # the accent colour, inlined
    assert "12 Calle Mayor<br>28013 Madrid" in html
    assert 'dir="ltr"' in html and 'lang="en"' in html
    assert "<style" not in html.split("</head>")[1]  # the CSS went inline: no style block in the body
    assert email_shells.CONFIRM_URL not in html and email_shells.CONFIRM_URL not in message.body
    assert "Please confirm your subscription" in message.subject


def test_it_uses_the_list_s_own_logo_and_colour_before_the_organisation_s(brand):
    news = make_list(organisation=brand, logo_url="https://luz.example.org/news.png", accent_colour="#26a269")
    _confirm(make_subscriber(), news)

    queued_emails.queued_emails_send_due()
    html = _html(mail.outbox[0])
    assert "https://luz.example.org/news.png" in html and "#26a269" in html
    assert "https://luz.example.org/logo.png" not in html


def test_it_writes_an_arabic_confirmation_right_to_left_in_arabic(brand):
    news = make_list(name="Luz News", name_ar="أخبار النور", organisation=brand)
    _confirm(make_subscriber(language="ar"), news)

    queued_emails.queued_emails_send_due()
    [message] = mail.outbox
    html = _html(message)
    assert re.search(r'<html lang="ar" dir="rtl"', html)
    assert 'dir="rtl"' in html.split("<body")[1]
    assert "أخبار النور" in html
    assert "اضغط" in html or "لتأكيد" in html  # the sentences are the Arabic catalogue's
    assert "text-align:right" in html.replace(" ", "")


def test_it_runs_premailer_once_per_list_and_language_not_per_email(brand, premailer_runs):
    news, campaigns = make_list(organisation=brand), make_list(organisation=brand)
    for index in range(12):
        _confirm(make_subscriber(language="fr" if index % 2 else "en"), news)
    for _ in range(5):
        _confirm(make_subscriber(language="fr"), campaigns)

    assert queued_emails.queued_emails_send_due() == 17
    # (news, en), (news, fr), (campaigns, fr)
    assert premailer_runs.calls == 3
    links = {re.search(r'href="([^"]*/confirm/[^"]*)"', _html(message)).group(1) for message in mail.outbox}
    assert len(links) == 17  # each her own

    for _ in range(4):
        _confirm(make_subscriber(language="fr"), news)
    queued_emails.queued_emails_send_due()
    assert premailer_runs.calls == 3  # the shells stay for the next drains of this process


def test_it_inlines_again_after_the_organisation_changes_its_branding(brand, premailer_runs):
    news = make_list(organisation=brand)
    _confirm(make_subscriber(), news)
    queued_emails.queued_emails_send_due()
    brand.logo_url = "https://luz.example.org/new-logo.png"
    brand.save()
    _confirm(make_subscriber(), news)

    queued_emails.queued_emails_send_due()
    assert premailer_runs.calls == 2
    assert "https://luz.example.org/new-logo.png" in _html(mail.outbox[-1])


def test_it_renders_the_html_of_a_claim_without_a_query_per_email(brand):
    news = make_list(organisation=brand)

    def drain(count: int) -> int:
        for _ in range(count):
            _confirm(make_subscriber(), news)
        with CaptureQueriesContext(connection) as queries:
            assert queued_emails.queued_emails_send_due() == count
        return len(queries.captured_queries)

    assert drain(3) == drain(20)


def test_it_sends_the_welcome_with_a_branded_html_part_and_her_own_links(brand):
    news = make_list(name="Luz News", organisation=brand, welcome_enabled=True,
                     welcome_body="Thank you for joining us.\n\nOur digest comes every other Tuesday.")
    person = make_subscriber(email="ana@example.org")
    subscribe(person, news)

    assert notifications.welcome_email_send(subscriber_id=person.pk, list_id=news.pk)
    [message] = mail.outbox
    html = unescape(_html(message))
    assert "Thank you for joining us." in html and "Luz News" in html and "Asociación Luz" in html
    for url in re.findall(r"https?://\S+/(?:u|preferences)/\S+", message.body):
        assert f'href="{url}"' in html
    assert email_shells.UNSUBSCRIBE_URL not in html and email_shells.PREFERENCES_URL not in html
    assert message.body.startswith("Thank you for joining us.")  # the text part stays as it was


def test_it_writes_an_arabic_welcome_right_to_left(brand):
    news = make_list(organisation=brand, welcome_enabled=True, welcome_body="Welcome.", welcome_body_ar="أهلًا بك.")
    person = make_subscriber(language="ar")
    subscribe(person, news)

    notifications.welcome_email_send(subscriber_id=person.pk, list_id=news.pk)
    html = _html(mail.outbox[0])
    assert re.search(r'<html lang="ar" dir="rtl"', html)
    assert "أهلًا بك." in html
