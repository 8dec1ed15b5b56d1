"""The compose page in headless Chromium on a live server, as an editor uses it: sign in, choose the list, pick two
cards, reorder them by drag and by the arrows, write the Arabic texts in their tab (the rich-text editor runs under
the strict CSP), see the Arabic preview, send a test to two addresses, then send now after the confirmation.
Screenshots of every step go to test-artifacts/desk-compose-<step>.png."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import sync_playwright

from newsletter.models import Digest, DigestItem
from tests.newsletter.factories import make_item, make_list, make_subscriber
from tests.support.browser import ARTIFACTS, CHROMIUM_ARGS, desk_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]



def card_order(page) -> list[str]:
    return page.eval_on_selector_all("#item-cards .item-card", "cards => cards.map(c => c.dataset.item)")


def test_it_composes_previews_tests_and_sends_a_digest_from_the_desk(live_server, editor, settings):
    settings.SITE_URL = live_server.url
    news = make_list(name="MMM Liban")
    for language in ("fr", "fr", "ar", "en"):
        make_subscriber(mailing_list=news, language=language)
    now = timezone.now()
    oldest, middle, newest = (make_item(title=title, mailing_list=news, published_at=now - timedelta(hours=hours))
                              for title, hours in (("Oldest story", 3), ("Middle story", 2), ("Newest story", 1)))
    a, b, c = str(oldest.pk), str(middle.pk), str(newest.pk)
    ARTIFACTS.mkdir(exist_ok=True)

    def shot(page, step):
        page.screenshot(path=str(ARTIFACTS / f"desk-compose-{step}.png"), full_page=True)

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
        page = context.new_page()
        errors = []
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        desk_sign_in(page, live_server.url, next_path="/desk/digests/new/")
        page.select_option("select[name=mailing_list]", str(news.pk))
        page.wait_for_selector(f'[data-testid="item-card-{oldest.pk}"]')
        shot(page, "1-cards")
        assert card_order(page) == [c, b, a]

        page.check(f"#item-{oldest.pk}")
        page.check(f"#item-{newest.pk}")
        page.locator(f'[data-testid="item-card-{oldest.pk}"] .card-handle').drag_to(
            page.locator(f'[data-testid="item-card-{newest.pk}"]'), target_position={"x": 10, "y": 2})
        dragged = card_order(page)
        page.click(f'[data-testid="item-card-{middle.pk}"] .move-up')
        moved = card_order(page)
        shot(page, "2-reordered")

        page.fill("#subject-en", "Our week")
        page.click("#tab-ar")
        page.fill("#subject-ar", "أخبارنا هذا الأسبوع")
        page.fill("#preheader-ar", "ما حدث في بيروت")
        page.click('#texts-ar [contenteditable="true"]')
        page.keyboard.type("أصدقاءنا الأعزاء")
        preview = page.frame_locator("#preview-ar iframe")
        preview.locator("text=أصدقاءنا الأعزاء").wait_for()
        preview_text = preview.locator("body").inner_text()
        shot(page, "3-arabic-preview")

        page.fill("#test-addresses", "nadia@example.org, karim@example.org")
        with page.expect_navigation():
            page.click("#send-test")
        confirmation = page.inner_text(".desk-messages")
        shot(page, "4-test-sent")

        with page.expect_navigation():
            page.click("#send-now")
        audience = page.inner_text("#confirm-audience")
        checks = page.inner_text("#confirm-checks-ok")
        shot(page, "5-confirm")
        with page.expect_navigation():
            page.click("#confirm-yes")
        sent = page.inner_text(".desk-messages")
        shot(page, "6-sending")

        phone = browser.new_context(viewport={"width": 375, "height": 812}, locale="ar")
        phone.add_cookies([{"name": "django_language", "value": "ar", "url": live_server.url},
                           *[cookie for cookie in context.cookies() if cookie["name"] == "sessionid"]])
        small = phone.new_page()
        small.goto(f"{live_server.url}/desk/digests/new/")
        small.select_option("select[name=mailing_list]", str(news.pk))
        small.wait_for_selector(f'[data-testid="item-card-{oldest.pk}"]')
        direction = small.get_attribute("html", "dir")
        overflow = small.evaluate("document.documentElement.scrollWidth > window.innerWidth")
        shot(small, "7-phone-arabic")
        browser.close()

    assert dragged == [a, c, b]
    assert moved == [a, b, c]
    assert "أصدقاءنا الأعزاء" in preview_text and "Oldest story" in preview_text
    assert "Test sent to nadia@example.org, karim@example.org" in confirmation
    assert {m.to[0] for m in mail.outbox} == {"nadia@example.org", "karim@example.org"}
    assert all(m.subject.startswith("[Test]") for m in mail.outbox)
    assert "4 people: 2 in French, 1 in Arabic, 1 in English" in audience
    assert "nothing to fix" in checks
    assert "Sending now" in sent
    digest = Digest.objects.get()
    assert digest.status == Digest.Status.SCHEDULED
    assert list(DigestItem.objects.filter(digest=digest).order_by("position").values_list("news_item_id", flat=True)) == [
        oldest.pk, newest.pk]
    assert digest.subject_ar == "أخبارنا هذا الأسبوع" and "أصدقاءنا الأعزاء" in digest.intro_ar
    assert direction == "rtl" and not overflow
    assert not [error for error in errors if "Content Security Policy" in error]
