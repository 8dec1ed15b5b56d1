import pytest

from newsletter.checks import digest_check, link_is_acceptable, variant_problems
from newsletter.models import DigestVariant
from tests.newsletter.factories import make_digest, make_item, make_list

pytestmark = pytest.mark.django_db


def test_it_passes_a_normal_digest():
    digest = make_digest(mailing_list=make_list(), items=[make_item(image_url="https://example.org/a.jpg", image_alt="A")])

    assert digest_check(digest_id=digest.id) == []


def test_it_flags_html_over_gmails_clipping_size():
    items = [make_item(summary="word " * 2000) for _ in range(12)]
    digest = make_digest(mailing_list=make_list(), items=items)

    problems = digest_check(digest_id=digest.id)

    assert [p.code for p in problems] == ["too_large"]
    assert "102 KB" in problems[0].message


def test_it_flags_a_missing_unsubscribe_placeholder_images_without_alt_and_relative_links():
    digest = make_digest(mailing_list=make_list())
    variant = DigestVariant(
        digest=digest, language="en", subject="s", text="no link here",
        html='<html><body><img src="https://x.org/i.png"><a href="javascript:alert(1)">x</a><a href="/a">y</a></body></html>',
    )  # fmt: skip
    variant.size_bytes = len(variant.html)

    codes = [p.code for p in variant_problems(variant)]

    assert codes == ["no_unsubscribe", "image_alt", "bad_link", "bad_link"]


def test_it_accepts_absolute_links_placeholders_and_mailto_only():
    assert link_is_acceptable("https://example.org/a")
    assert link_is_acceptable("%%unsubscribe_url%%")
    assert link_is_acceptable("mailto:news@example.org")
    assert not link_is_acceptable("http:/example.org")
    assert not link_is_acceptable("ftp://example.org/file")
    assert not link_is_acceptable("")


def test_it_reports_a_segment_whose_filters_cannot_be_used():
    from subscribers.models import Segment

    mailing_list = make_list()
    segment = Segment.objects.create(mailing_list=mailing_list, name="Broken", filters={"shoe_size": 40})
    digest = make_digest(mailing_list=mailing_list, segment=segment, items=[make_item()])

    assert [p.code for p in digest_check(digest_id=digest.id)] == ["segment"]
