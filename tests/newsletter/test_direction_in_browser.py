"""An Arabic digest holding English items, as a browser lays it out: the Arabic blocks' text sits against the
right edge, the English items' text against the left, in the email as sent and on its archive page.

Screenshots go to test-artifacts/ (look at them)."""

from datetime import UTC, datetime

import pytest
from playwright.sync_api import sync_playwright

from newsletter.models import Digest
from newsletter.rendering import render_digest_variants
from tests.newsletter.factories import make_digest, make_item, make_list, make_subscriber
from tests.support.processes import ROOT

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = ["--no-sandbox"]

# For each element matched: where its text's line boxes start and end, against its own content box.
_TEXT_EDGES = """(selector) => [...document.querySelectorAll(selector)].map(element => {
  const style = getComputedStyle(element);
  const box = element.getBoundingClientRect();
  const range = document.createRange();
  range.selectNodeContents(element);
  const lines = [...range.getClientRects()].filter(r => r.width > 0);
  return {
    text: element.textContent.trim().slice(0, 40),
    lang: element.closest('[lang]').getAttribute('lang'),
    contentLeft: box.left + parseFloat(style.borderLeftWidth) + parseFloat(style.paddingLeft),
    contentRight: box.right - parseFloat(style.borderRightWidth) - parseFloat(style.paddingRight),
    textLeft: Math.min(...lines.map(r => r.left)),
    textRight: Math.max(...lines.map(r => r.right)),
  };
})"""

ARABIC_TITLE = "لجنة وضع المرأة"
ENGLISH_TITLE = "Care work counts."


def _arabic_digest_with_english_items(**fields) -> Digest:
    mailing_list = make_list(name="أم أكشن", default_language="ar")
    make_subscriber(mailing_list=mailing_list, language="ar")
    items = [
        make_item(title=ARABIC_TITLE, language="ar", dateline="بيروت", summary="اجتمع المندوبون في نيويورك."),
        make_item(title=ENGLISH_TITLE, language="en", dateline="Geneva", summary="Delegates met (again)."),
        make_item(title="Mothers at CSW69", language="en", dateline="New York", summary="A short summary."),
    ]
    return make_digest(mailing_list=mailing_list, items=items, intro="أعزاءنا،\nإليكم أخبار هذا الأسبوع.", **fields)


def _assert_aligned(edges: list[dict], *, tolerance: float = 2.0) -> None:
    for edge in edges:
        width = edge["contentRight"] - edge["contentLeft"]
        # short text, so that the side it sits against says something
        assert edge["textRight"] - edge["textLeft"] < 0.8 * width, edge
        if edge["lang"] == "ar":
            assert abs(edge["contentRight"] - edge["textRight"]) <= tolerance, f"not right-aligned: {edge}"
        else:
            assert abs(edge["textLeft"] - edge["contentLeft"]) <= tolerance, f"not left-aligned: {edge}"


def test_it_aligns_arabic_blocks_right_and_english_items_left_in_the_email():
    digest = _arabic_digest_with_english_items()
    [variant] = render_digest_variants(digest_id=digest.id)  # before Playwright's event loop starts
    ARTIFACTS.mkdir(exist_ok=True)

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 700, "height": 900})
        page.set_content(variant.html)
        page.screenshot(path=str(ARTIFACTS / "digest-arabic-with-english-items.png"), full_page=True)
        edges = page.evaluate(_TEXT_EDGES, ".item-meta, .item-title, .item-summary, .item-more, .intro")
        browser.close()

    by_text = {edge["text"]: edge for edge in edges}
    assert {edge["lang"] for edge in edges} == {"ar", "en"}
    assert by_text[ARABIC_TITLE]["lang"] == "ar" and by_text[ENGLISH_TITLE]["lang"] == "en"
    assert len([edge for edge in edges if edge["lang"] == "en"]) == 8  # two English items: meta, title, summary, more
    _assert_aligned(edges)


def test_it_aligns_arabic_blocks_right_and_english_items_left_on_the_archive_page(live_server):
    digest = _arabic_digest_with_english_items(
        status=Digest.Status.SENT, send_at=datetime(2026, 11, 20, 9, tzinfo=UTC),
        finished_at=datetime(2026, 11, 20, 10, tzinfo=UTC))
    render_digest_variants(digest_id=digest.id)
    ARTIFACTS.mkdir(exist_ok=True)

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 700, "height": 900})
        page.goto(f"{live_server.url}/archive/{digest.id}/?lang=ar")
        page.screenshot(path=str(ARTIFACTS / "archive-arabic-with-english-items.png"), full_page=True)
        html_dir = page.evaluate("[document.documentElement.lang, document.documentElement.dir]")
        edges = page.evaluate(_TEXT_EDGES, "article h2, article p")
        browser.close()

    assert html_dir == ["ar", "rtl"]
    assert {edge["text"] for edge in edges} >= {ARABIC_TITLE, ENGLISH_TITLE}
    assert len([edge for edge in edges if edge["lang"] == "en"]) >= 6
    _assert_aligned(edges)
