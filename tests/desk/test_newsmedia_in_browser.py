"""The issue's done-when steps in headless Chromium on a live server, on a phone-sized screen and in Arabic: an editor
signs in at /desk/login/, writes a news item in Arabic in the rich-text editor with an image she uploads through the
file chooser, then adds a feed and watches its page fill with the items that came in. Screenshots of every step go
to test-artifacts/desk-newsmedia-*.png."""

from __future__ import annotations

import threading

import pytest
from playwright.sync_api import sync_playwright

from newsletter.importing import feed_poll
from newsletter.models import Feed, NewsItem
from tests.newsletter.factories import make_list
from tests.newsletter.feedserver import rss
from tests.support.browser import ARTIFACTS, CHROMIUM_ARGS, desk_sign_in
from tests.support.images import image_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ENTRIES = [
    {"title": "CSW69", "link": "https://mmm.example/csw", "guid": "csw", "date": "Thu, 17 Apr 2025 09:00:00 GMT",
     "description": "d"},
    {"title": "HLPF", "link": "https://mmm.example/hlpf", "guid": "hlpf", "date": "Tue, 02 Jul 2024 09:00:00 GMT",
     "description": "d"},
]  # fmt: skip
TITLE = "الأمهات في الأمم المتحدة: صوتٌ واحد!"


def test_it_creates_an_arabic_news_item_with_an_uploaded_image_then_adds_a_feed_and_shows_its_items(
    live_server, editor, feed_server, settings, tmp_path, monkeypatch
):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SITE_URL = live_server.url
    queued = []  # the feed's first import, run below by "the feeds worker" while the page waits
    monkeypatch.setattr("newsletter.tasks.feeds_poll_enqueue", queued.extend)
    mailing_list = make_list(name="قائمة الأخبار")  # rows before Playwright: its event loop keeps Django off the database
    picture = tmp_path / "mothers.jpg"
    picture.write_bytes(image_bytes(width=1600, height=900, format="JPEG"))
    feed_url = feed_server.serve("/rss", rss(*ENTRIES))
    ARTIFACTS.mkdir(exist_ok=True)
    csp_violations = []

    def shot(page, step: str) -> None:
        page.screenshot(path=str(ARTIFACTS / f"desk-newsmedia-{step}.png"), full_page=True)

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 375, "height": 812}, locale="ar")
        context.add_cookies([{"name": "django_language", "value": "ar", "url": live_server.url}])
        page = context.new_page()
        page.set_default_timeout(30_000)
        page.on("console", lambda message: csp_violations.append(message.text)
                if "Content Security Policy" in message.text else None)

        desk_sign_in(page, live_server.url)
        shot(page, "0-signed-in")
        page.click("a[href='/desk/news/']")
        shot(page, "1-news-list")
        page.click("[data-testid=news-new]")
        # The rich-text editor started: its import map passed the CSP.
        page.wait_for_selector(".ProseMirror[contenteditable=true]")
        page.fill("#id_title", TITLE)
        page.fill("#id_dateline", "نيويورك")
        page.select_option("#id_language", "ar")
        page.fill("#id_summary", "ملخص الخبر.")
        page.click(".ProseMirror[contenteditable=true]")
        body_direction = page.get_attribute(".ProseMirror[contenteditable=true]", "dir")
        page.keyboard.type("نص الخبر الكامل، مع ")
        page.keyboard.press("Control+b")
        page.keyboard.type("كلمة بارزة")
        page.check(f"input[name=mailing_lists][value='{mailing_list.pk}']")
        with page.expect_file_chooser() as chooser:
            page.click("#id_image_upload")
        chooser.value.set_files(str(picture))
        page.fill("#id_image_alt", "أمهات في قاعة الأمم المتحدة")
        shot(page, "2-news-form")
        with page.expect_navigation():
            page.click("[data-testid=news-save]")
        saved_message = page.inner_text(".desk-messages")
        image_width = page.eval_on_selector(".current-image img", "img => img.naturalWidth")
        fits_the_phone = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        shot(page, "3-news-saved")

        page.goto(f"{live_server.url}/desk/images/")
        library = page.inner_text("#media-library")
        shot(page, "4-image-library")

        page.goto(f"{live_server.url}/desk/feeds/")
        page.click("[data-testid=feed-new]")
        page.fill("#id_url", feed_url)
        page.fill("#id_name", "أخبار MMM")
        page.select_option("#id_mailing_list", str(mailing_list.pk))
        shot(page, "5-feed-form")
        with page.expect_navigation():
            page.click("[data-testid=feed-save]")
        waiting = page.inner_text("[data-testid=feed-status]")
        shot(page, "6-feed-waiting")
        # The feeds worker's part, in a thread of its own (this one runs Playwright's event loop).
        worker = threading.Thread(target=lambda: [feed_poll(feed_id=feed_id) for feed_id in queued])
        worker.start()
        worker.join()
        page.wait_for_selector("[data-testid=feed-item]")  # htmx asked again and swapped the status in
        came_in = page.inner_text("#feed-items")
        shot(page, "7-feed-items")
        browser.close()

    item = NewsItem.objects.get(source="manual")
    assert item.title == TITLE and item.language == "ar"
    assert "<strong>كلمة بارزة</strong>" in item.body_html
    assert item.image_alt == "أمهات في قاعة الأمم المتحدة" and item.image_url.startswith(f"{live_server.url}/media/")
    assert TITLE in saved_message
    assert image_width == 1200  # narrowed to MEDIA_IMAGE_MAX_WIDTH, and served
    assert fits_the_phone
    assert "أمهات في قاعة الأمم المتحدة" in library
    assert waiting and queued == [Feed.objects.get().pk]
    assert "CSW69" in came_in and "HLPF" in came_in
    assert csp_violations == []
    assert body_direction == "auto"
