"""Text direction: one rule gives each language its direction and alignment, and the plain-text confirmation and
welcome read right-to-left in Arabic, with the marks that clients deciding a line's direction by its first strong
character need (docs/decisions/0013-text-direction.md)."""

from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.template import Context, Template
from django.utils import timezone, translation

from subscribers import notifications
from subscribers.direction import LRM, RLM, auto_direction, direction, mark_run, mark_text_part, text_direction
from subscribers.models import Subscription
from tests.subscribers.factories import make_list, make_subscriber, subscribe

URL = "https://news.example.org/u/abc/"


@pytest.mark.parametrize(("language", "dir", "align", "end"), [
    ("ar", "rtl", "right", "left"), ("fa", "rtl", "right", "left"), ("he", "rtl", "right", "left"),
    ("en", "ltr", "left", "right"), ("fr", "ltr", "left", "right"), ("en-GB", "ltr", "left", "right"),
    ("ar-ma", "rtl", "right", "left"), ("", "ltr", "left", "right"),
])
def test_it_gives_each_language_its_direction_and_physical_alignment(language, dir, align, end):
    sides = direction(language)

    assert (sides.dir, sides.align, sides.end) == (dir, align, end)


def test_it_reads_text_of_unknown_language_by_its_first_strong_character():
    assert text_direction("2026 · لجنة وضع المرأة").dir == "rtl"  # digits and punctuation are not strong
    assert text_direction("«Care work counts»", fallback="ar").dir == "ltr"
    assert text_direction(f"{URL} مرحبا").dir == "rtl"  # a URL says nothing of the text's language
    assert text_direction("2026 ...", fallback="ar").dir == "rtl"  # nothing strong: the surrounding language
    with translation.override("fr"):
        assert text_direction("123").dir == "ltr"
    assert (auto_direction("مرحبا").dir, auto_direction("مرحبا").align) == ("auto", "right")


def test_it_gives_a_block_of_another_language_its_dir_and_explicit_alignment_and_free_text_dir_auto():
    template = Template('{% load direction %}<p{% dir_attrs item %}></p><p{% dir_attrs same %}></p>'
                        '<p{% dir_auto intro %}></p><span{% dir_span "ar" within="en" %}></span>')

    with translation.override("ar"):
        html = template.render(Context({"item": "en", "same": "ar", "intro": "Chers amis, voici nos nouvelles."}))

    assert html == ('<p lang="en" dir="ltr" align="left" style="text-align: left;"></p><p></p>'
                    '<p dir="auto" align="left" style="text-align: left;"></p><span lang="ar" dir="rtl"></span>')


def test_it_starts_every_line_of_an_arabic_text_with_rlm_and_keeps_a_urls_end_on_its_side():
    text = mark_text_part(f"مرحبا،\nرابط: {URL}\n\n[إلغاء الاشتراك](%%unsubscribe_url%%)\n", "ar")

    lines = text.split("\n")
    assert lines[0] == RLM + "مرحبا،"
    assert lines[1] == f"{RLM}رابط: {URL} {LRM}"  # the space keeps the mark out of the link clients make
    assert lines[2] == ""
    assert lines[3] == f"{RLM}[إلغاء الاشتراك](%%unsubscribe_url%% {LRM})"


def test_it_leaves_a_left_to_right_text_without_marks():
    text = f"Hello,\n\nConfirm: {URL}\n"

    assert mark_text_part(text, "en") == text
    assert mark_text_part(text, "fr") == text


def test_it_wraps_a_run_of_the_other_direction_in_its_own_marks():
    with translation.override("ar"):
        assert mark_run("Make Mothers Matter (news)") == f"{LRM}Make Mothers Matter (news){LRM}"
        assert mark_run("أخبار") == "أخبار"
    with translation.override("en"):
        assert mark_run("أخبار (لبنان)") == f"{RLM}أخبار (لبنان){RLM}"


def _visible_lines(body: str) -> list[str]:
    return [line for line in body.split("\n") if line.strip()]


@pytest.mark.django_db
def test_it_sends_the_arabic_confirmation_right_to_left_with_an_english_list_name_isolated():
    news = make_list(name="Make Mothers Matter (news)")
    subscriber = make_subscriber(language="ar")
    subscribe(subscriber, news, status=Subscription.Status.PENDING)

    assert notifications.confirmation_email_send(subscriber_id=subscriber.id, list_ids=[news.id], topic_ids=[],
                                                 requested_at=timezone.now())

    body = mail.outbox[0].body
    lines = _visible_lines(body)
    assert all(line.startswith(RLM) for line in lines[:-1]), [line[:20] for line in lines if not line.startswith(RLM)]
    assert f"- {LRM}Make Mothers Matter (news){LRM}" in body
    [link] = [line for line in lines if "/confirm/" in line or "http" in line]
    assert link.endswith(f" {LRM}")
    assert "\ue000" not in body and "\ue001" not in body and "\ue002" not in body


@pytest.mark.django_db
def test_it_sends_an_arabic_welcome_with_a_french_body_left_to_right_and_the_rest_right_to_left():
    news = make_list(name="أخبار لبنان", welcome_enabled=True, welcome_body="Bienvenue !\nÀ bientôt.\n\nمرحبا بكم.")
    subscriber = make_subscriber(language="ar")
    subscribe(subscriber, news)

    assert notifications.welcome_email_send(subscriber_id=subscriber.id, list_id=news.id)

    lines = _visible_lines(mail.outbox[0].body)
    assert lines[0] == f"{LRM}Bienvenue !{LRM}"  # its "!" stays at its end in a right-to-left client
    assert lines[1] == f"{LRM}À bientôt.{LRM}"
    assert lines[2] == f"{RLM}مرحبا بكم."
    assert all(line.startswith(RLM) for line in lines[3:-1])  # the frame: "--", the links (the address: its own)


@pytest.mark.django_db
def test_it_keeps_a_french_confirmation_as_it_was():
    news = make_list(name="Nouvelles")
    subscriber = make_subscriber(language="fr")
    subscribe(subscriber, news, status=Subscription.Status.PENDING)

    notifications.confirmation_email_send(subscriber_id=subscriber.id, list_ids=[news.id], topic_ids=[],
                                          requested_at=timezone.now())

    body = mail.outbox[0].body
    assert RLM not in body and LRM not in body


@pytest.mark.django_db
def test_it_lets_readers_type_in_either_direction_on_the_subscribe_page_and_in_the_embedded_form(client):
    from subscribers.embed import embed_snippet

    news = make_list(name="أخبار", is_public=True)

    page = client.get("/subscribe/?lang=fr").content.decode()
    snippet = embed_snippet(news)

    assert '<html lang="fr" dir="ltr">' in page
    assert page.count('dir="auto"') >= 3 and 'autocomplete="email" dir="auto"' in page
    assert 'autocomplete="name" dir="auto"' in page
    assert 'name="email" required maxlength="254" dir="auto"' in snippet and 'name="name" maxlength="200" dir="auto"' in snippet
    assert '<span dir="auto">أخبار</span>' in snippet


@pytest.mark.django_db
def test_it_isolates_a_list_name_of_the_other_direction_on_the_arabic_unsubscribe_page(client):
    from subscribers import tokens

    news = make_list(name="Make Mothers Matter (news)")
    subscriber = make_subscriber(language="ar")
    subscribe(subscriber, news)

    link = urlsplit(tokens.unsubscribe_url(subscriber_id=subscriber.id, list_id=news.id))
    page = client.get(link.path).content.decode()

    assert '<html lang="ar" dir="rtl">' in page
    assert "«<span dir=\"auto\">Make Mothers Matter (news)</span>»" in page
