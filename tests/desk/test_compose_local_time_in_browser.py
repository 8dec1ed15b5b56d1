"""A local-time, tailored digest scheduled from the desk on a phone in Arabic (375 px, right to left) in headless
Chromium: tick "tailored by interests", type the day and hour, choose "in each reader's time zone", read the spread
on the confirmation, confirm. Screenshots of every step go to test-artifacts/desk-localtime-<step>.png."""

from datetime import time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import sync_playwright

from newsletter.models import Digest
from subscribers.models import Subscriber
from tests.newsletter.factories import make_digest, make_item, make_list, make_subscriber
from tests.support.browser import ARTIFACTS, CHROMIUM_ARGS, desk_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_schedules_a_tailored_digest_at_nine_in_each_readers_zone_on_a_phone_in_arabic(live_server, editor,
                                                                                           settings):
    settings.SITE_URL = live_server.url
    news = make_list(name="MMM Liban", time_zone="Asia/Beirut")
    for zone in ("Asia/Beirut", "America/New_York"):
        reader = make_subscriber(mailing_list=news, language="ar")
        Subscriber.objects.filter(pk=reader.pk).update(time_zone=zone)
    digest = make_digest(mailing_list=news, items=[make_item(title="CSW69", mailing_list=news)])
    day = (timezone.now() + timedelta(days=2)).date()
    ARTIFACTS.mkdir(exist_ok=True)

    def shot(page, step):
        page.screenshot(path=str(ARTIFACTS / f"desk-localtime-{step}.png"), full_page=True)

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        phone = browser.new_context(viewport={"width": 375, "height": 812}, locale="ar")
        phone.add_cookies([{"name": "django_language", "value": "ar", "url": live_server.url}])
        page = phone.new_page()
        errors = []
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        desk_sign_in(page, live_server.url, next_path=reverse("desk:digest_edit", args=[digest.pk]))
        page.check('[data-testid="compose-tailored"]')
        page.wait_for_selector("#preview-tailored")
        shot(page, "1-tailored")

        page.fill("#send-at", f"{day:%Y-%m-%d}T09:00")
        page.check("#send-mode-local_time")
        overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
        shot(page, "2-local-time")
        with page.expect_navigation():
            page.click("#schedule")
        spread = page.inner_text("#confirm-spread")
        variants_shown = page.locator("#confirm-variants").count()
        direction = page.get_attribute("html", "dir")
        shot(page, "3-confirm")
        with page.expect_navigation():
            page.click("#confirm-yes")
        shot(page, "4-scheduled")
        browser.close()

    digest.refresh_from_db()
    assert (digest.status, digest.tailored, digest.send_mode, digest.local_send_time) == (
        Digest.Status.SCHEDULED, True, "local_time", time(9, 0))
    assert "2" in spread and "14:00" in spread and "07:00" in spread
    assert variants_shown == 1 and direction == "rtl" and not overflow
    assert not [error for error in errors if "Content Security Policy" in error]
