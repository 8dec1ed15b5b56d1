"""Lists' and topics' texts in the reader's language: welcome emails, confirmation emails, public pages, embed form."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.test import Client

from subscribers import tokens
from subscribers.embed import embed_snippet
from subscribers.notifications import confirmation_email_send, welcome_email_send
from subscribers.texts import fallback_order
from tests.subscribers.factories import make_list, make_subscriber, make_topic, subscribe

pytestmark = pytest.mark.django_db


def _lebanese_list(**fields):
    return make_list(name="", name_ar="نشرة لبنان", name_fr="Lettre du Liban", slug="liban", default_language="ar",
                     welcome_enabled=True, welcome_subject_ar="أهلا بك", welcome_subject_fr="Bienvenue",
                     welcome_body_ar="شكرا لاشتراكك", **fields)


def test_it_orders_the_languages_reader_then_list_default_then_the_others():
    assert fallback_order("fr", "ar") == ["fr", "ar", "en"]
    assert fallback_order("ar", "ar") == ["ar", "en", "fr"]


def test_it_sends_the_welcome_subject_and_body_in_the_readers_language_or_the_lists():
    mailing_list = _lebanese_list()
    french, arabic = make_subscriber(language="fr"), make_subscriber(language="ar")
    for person in (french, arabic):
        subscribe(person, mailing_list)

    welcome_email_send(subscriber_id=french.pk, list_id=mailing_list.pk)
    welcome_email_send(subscriber_id=arabic.pk, list_id=mailing_list.pk)

    to_french, to_arabic = mail.outbox
    assert to_french.subject == "Bienvenue" and "شكرا لاشتراكك" in to_french.body  # no French body: the list's
    assert to_arabic.subject == "أهلا بك" and "شكرا لاشتراكك" in to_arabic.body


def test_it_names_the_lists_in_the_readers_language_in_the_confirmation_email():
    mailing_list = _lebanese_list()
    french = make_subscriber(language="fr")
    subscription = subscribe(french, mailing_list, status="pending")

    confirmation_email_send(subscriber_id=french.pk, list_ids=[mailing_list.pk], topic_ids=[],
                            requested_at=subscription.created_at)

    assert "Lettre du Liban" in mail.outbox[0].body and "نشرة لبنان" not in mail.outbox[0].body


def test_it_names_lists_and_topics_in_the_pages_language_on_the_subscribe_page():
    _lebanese_list()
    make_list(name="Global news", slug="global")
    topic = make_topic("health", name="")
    topic.name_fr, topic.name_ar, topic.name_en = "Santé", "الصحة", "Health"
    topic.save()

    french = Client().get("/subscribe/?lang=fr").content.decode()
    arabic = Client().get("/subscribe/?lang=ar").content.decode()
    english = Client().get("/subscribe/?lang=en").content.decode()

    assert "Lettre du Liban" in french and "Santé" in french and "Global news" in french  # English only: any value
    assert "نشرة لبنان" in arabic and "الصحة" in arabic
    assert "نشرة لبنان" in english and "Health" in english  # no English name: the list's default language


def test_it_names_the_lists_in_the_pages_language_on_the_preferences_page():
    mailing_list = _lebanese_list()
    french = make_subscriber(language="fr")
    subscribe(french, mailing_list)

    page = Client().get(urlsplit(tokens.preferences_url(subscriber_id=french.pk)).path).content.decode()

    assert "Lettre du Liban" in page and "نشرة لبنان" not in page


def test_it_names_the_list_in_the_forms_language_in_the_embed_snippet():
    mailing_list = _lebanese_list()

    assert "نشرة لبنان" in embed_snippet(mailing_list)
    assert "Lettre du Liban" in embed_snippet(mailing_list, language="fr")
