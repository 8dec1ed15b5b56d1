import lxml.html
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from newsletter import placeholders, rendering
from newsletter.models import DigestVariant
from newsletter.selectors import web_version_url
from tests.newsletter.factories import make_digest, make_item, make_list, make_subscriber

pytestmark = pytest.mark.django_db


def _digest_with_audience(languages):
    mailing_list = make_list()
    for language in languages:
        make_subscriber(mailing_list=mailing_list, language=language)
    items = [
        make_item(title="Commission on the Status of Women", dateline="UN New York", translation_key="csw"),
        make_item(title="Mothers at the heart of change", dateline="Casablanca", translation_key="peace"),
    ]
    make_item(title="Commission de la condition de la femme", language="fr", translation_key="csw")
    make_item(title="لجنة وضع المرأة", language="ar", translation_key="csw")
    return make_digest(mailing_list=mailing_list, items=items)


def test_it_renders_one_variant_per_audience_language_with_rtl_for_arabic():
    digest = _digest_with_audience(["en", "fr", "ar", "ar"])

    variants = rendering.render_digest_variants(digest_id=digest.id)

    by_language = {v.language: v for v in variants}
    assert set(by_language) == {"en", "fr", "ar"}
    assert 'dir="rtl"' in by_language["ar"].html
    assert 'dir="rtl"' not in by_language["en"].html
    assert "لجنة وضع المرأة" in by_language["ar"].html
    assert "Commission de la condition de la femme" in by_language["fr"].html
    assert "Commission on the Status of Women" not in by_language["fr"].html
    # No French translation of the second story: the original is shown.
    assert "Mothers at the heart of change" in by_language["fr"].html
    assert "Se désabonner" in by_language["fr"].html
    assert "إلغاء الاشتراك" in by_language["ar"].html
    assert DigestVariant.objects.filter(digest=digest).count() == 3


def test_it_marks_an_untranslated_item_with_its_own_language_and_direction():
    digest = _digest_with_audience(["ar"])

    html = rendering.render_digest_variants(digest_id=digest.id)[0].html

    # The English story without an Arabic translation reads left-to-right, aligned left, inside the right-to-left
    # email: its block, dateline, title, summary and read-more line each say so.
    document = lxml.html.document_fromstring(html)
    english = document.xpath('//*[@lang="en"]')
    assert {element.get("class") for element in english} == {"item", "item-meta", "item-title", "item-summary", "item-more"}
    for element in english:
        assert element.get("dir") == "ltr" and element.get("align") == "left"
        assert "text-align:left" in element.get("style").replace(" ", "")
    assert 'lang="ar"' in html and 'dir="rtl"' in html


def test_it_falls_back_to_the_list_language_without_active_subscribers():
    mailing_list = make_list(default_language="fr")
    make_subscriber(mailing_list=mailing_list, language="ar", status="unsubscribed")
    digest = make_digest(mailing_list=mailing_list, items=[make_item()])

    variants = rendering.render_digest_variants(digest_id=digest.id)

    assert [v.language for v in variants] == ["fr"]


def test_it_calls_premailer_once_per_variant_whatever_the_number_of_recipients(premailer_runs):
    few = _digest_with_audience(["en", "fr"])
    many = _digest_with_audience(["en", "fr"] * 40)

    before = premailer_runs.calls
    rendering.render_digest_variants(digest_id=few.id)
    calls_for_few = premailer_runs.calls - before
    before = premailer_runs.calls
    rendering.render_digest_variants(digest_id=many.id)
    calls_for_many = premailer_runs.calls - before

    assert calls_for_few == 2
    assert calls_for_many == 2


def test_it_runs_premailer_once_per_variant_when_checks_and_send_render_the_same_content(premailer_runs):
    digest = _digest_with_audience(["en", "ar"])
    first = {v.language: (v.html, v.text) for v in rendering.render_digest_variants(digest_id=digest.id)}

    before = premailer_runs.calls
    again = {v.language: (v.html, v.text) for v in rendering.render_digest_variants(digest_id=digest.id)}

    assert premailer_runs.calls == before
    assert again == first


def test_it_writes_only_the_render_time_of_a_variant_that_did_not_change():
    digest = _digest_with_audience(["en", "ar"])
    first = {v.language: v for v in rendering.render_digest_variants(digest_id=digest.id)}

    with CaptureQueriesContext(connection) as queries:
        again = {v.language: v for v in rendering.render_digest_variants(digest_id=digest.id)}

    writes = [q["sql"] for q in queries.captured_queries if q["sql"].startswith(("UPDATE", "INSERT"))]
    assert len(writes) == 2 and all('SET "rendered_at"' in sql and '"html"' not in sql for sql in writes)
    assert {language: (v.id, v.subject, v.html, v.text, v.size_bytes) for language, v in again.items()} == {
        language: (v.id, v.subject, v.html, v.text, v.size_bytes) for language, v in first.items()}
    assert all(again[language].rendered_at >= first[language].rendered_at for language in first)
    stored = {v.language: v.rendered_at for v in DigestVariant.objects.filter(digest=digest)}
    assert stored == {language: v.rendered_at for language, v in again.items()}


def test_it_inlines_again_the_variants_whose_content_changed_since(premailer_runs):
    digest = _digest_with_audience(["en", "fr"])
    rendering.render_digest_variants(digest_id=digest.id)
    digest.intro = "A new opening paragraph"
    digest.save(update_fields=["intro"])

    before = premailer_runs.calls
    variants = rendering.render_digest_variants(digest_id=digest.id)

    assert premailer_runs.calls - before == 2
    assert all("A new opening paragraph" in v.html and "A new opening paragraph" in v.text for v in variants)


def test_it_inlines_styles_and_has_no_stylesheet_link():
    digest = _digest_with_audience(["en"])

    (variant,) = rendering.render_digest_variants(digest_id=digest.id)

    assert "<link" not in variant.html
    assert 'class="item-title" style="' in variant.html
    assert "@media" in variant.html  # responsive and dark-mode rules stay in a <style> block
    assert "width: 100% !important" in variant.html  # ... with the !important they need to beat inline styles
    assert 'name="color-scheme"' in variant.html
    assert variant.size_bytes == len(variant.html.encode())


def test_it_keeps_every_placeholder_in_html_and_text():
    digest = _digest_with_audience(["en"])

    (variant,) = rendering.render_digest_variants(digest_id=digest.id)

    for marker in (placeholders.UNSUBSCRIBE_URL, placeholders.PREFERENCES_URL, placeholders.WEB_URL):
        assert f'href="{marker}"' in variant.html
        assert marker in variant.text
    assert "Commission on the Status of Women" in variant.text
    assert "Mothers at the heart of change" in variant.text
    assert "What happened this week" not in variant.text  # the hidden preheader is for the inbox list only


def test_it_replaces_the_stored_variant_when_rendered_again():
    digest = _digest_with_audience(["en"])
    rendering.render_digest_variants(digest_id=digest.id)
    digest.subject = "New subject"
    digest.save()

    rendering.render_digest_variants(digest_id=digest.id)

    assert list(DigestVariant.objects.filter(digest=digest).values_list("subject", flat=True)) == ["New subject"]


def test_it_gives_an_absolute_web_version_url(settings):
    settings.SITE_URL = "https://news.example.org"

    url = web_version_url(digest_id=42)

    assert url.startswith("https://news.example.org/archive/42/?k=")


def test_it_renders_only_the_languages_of_the_digests_segment():
    from subscribers.models import Segment

    mailing_list = make_list()
    make_subscriber(mailing_list=mailing_list, language="en")
    make_subscriber(mailing_list=mailing_list, language="fr")
    segment = Segment.objects.create(mailing_list=mailing_list, name="French", filters={"language": ["fr"]})
    digest = make_digest(mailing_list=mailing_list, segment=segment, items=[make_item()])

    variants = rendering.render_digest_variants(digest_id=digest.id)

    assert [v.language for v in variants] == ["fr"]


def test_it_marks_each_line_of_an_arabic_text_part_with_the_direction_of_its_block():
    mailing_list = make_list(name="أخبار")
    make_subscriber(mailing_list=mailing_list, language="ar")
    items = [make_item(title="لجنة وضع المرأة", language="ar", dateline="بيروت", summary="اجتمع المندوبون."),
             make_item(title="Care work counts.", dateline="Geneva", summary="Delegates met (again).")]
    digest = make_digest(mailing_list=mailing_list, items=items, intro="أعزاءنا،\nإليكم أخبار هذا الأسبوع.")

    [variant] = rendering.render_digest_variants(digest_id=digest.id)

    lines = [line for line in variant.text.split("\n") if line.strip()]
    start = next(n for n, line in enumerate(lines) if "Geneva" in line)
    english_item = lines[start:start + 4]  # dateline, title, summary, read-more link (its label in Arabic)
    assert "Care work counts." in english_item[1] and "اقرأ المزيد" in english_item[3]
    assert all(line.startswith("\u200e") for line in english_item)  # LRM: read left to right
    assert all(line.startswith("\u200f") for line in lines[:start] + lines[start + 4:])  # RLM: every Arabic line
    assert "\u200eDelegates met (again).\u200e" in variant.text  # its ")." stays on its right
    assert not any(sentinel in variant.text for sentinel in "\ue000\ue001\ue002")


def test_it_adds_no_direction_mark_to_an_english_text_part_of_english_items():
    digest = _digest_with_audience(["en"])

    [variant] = rendering.render_digest_variants(digest_id=digest.id)

    assert "\u200e" not in variant.text and "\u200f" not in variant.text
    assert not any(sentinel in variant.text for sentinel in "\ue000\ue001\ue002")
