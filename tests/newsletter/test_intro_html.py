"""A digest's intro as readers get it: rich text from the desk's editor is kept (cleaned again at display), a plain
intro typed in the admin keeps its line breaks and shows its angle brackets as text."""

import pytest

from newsletter.rendering import render_digest_variants
from newsletter.sanitising import intro_html
from tests.newsletter.factories import make_digest, make_item, make_list

pytestmark = pytest.mark.django_db


def test_it_keeps_the_rich_text_of_an_intro_and_drops_a_script_stored_by_any_path():
    assert intro_html('<p>Dear <strong>friends</strong><script>alert(1)</script></p>') == \
        "<p>Dear <strong>friends</strong></p>"


def test_it_shows_a_plain_intro_as_text_with_its_line_breaks():
    assert intro_html("Dear friends,\n<b>see</b> below") == "Dear friends,<br>&lt;b&gt;see&lt;/b&gt; below"


def test_it_renders_a_rich_intro_into_the_email_and_its_text_part():
    news = make_list(default_language="ar")
    digest = make_digest(mailing_list=news, items=[make_item()], intro="",
                         intro_ar="<p>أصدقاءنا <strong>الأعزاء</strong></p><ul><li>بيروت</li></ul>")

    [variant] = render_digest_variants(digest_id=digest.pk, languages=["ar"])

    assert "<strong>الأعزاء</strong>" in variant.html and "&lt;p&gt;" not in variant.html
    assert 'class="cell intro" dir="auto" align="right"' in variant.html  # direction from the words, not the tags
    assert "أصدقاءنا" in variant.text and "<p>" not in variant.text
