"""The subscriber look-up on a phone in headless Chromium: an editor types an address from the dashboard and reads
her lists and history, in English and in Arabic (right to left), without the page getting wider than the screen.
Screenshots go to test-artifacts/."""

import pytest
from django.test import Client
from django.utils import timezone
from playwright.sync_api import sync_playwright

from subscribers.models import Subscriber, Subscription
from tests.support.processes import ROOT
from tests.worker.factories import make_digest, make_list
from worker.models import Delivery

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = ROOT / "test-artifacts"
PHONE = {"width": 390, "height": 844}
_WIDTHS = "[document.documentElement.scrollWidth, window.innerWidth]"


def test_it_looks_up_a_subscriber_from_the_dashboard_on_a_phone_in_english_and_arabic(live_server, editor):
    # Rows are made before Playwright starts: its event loop makes Django refuse database calls in this thread.
    mailing_list = make_list(name="Weekly news")
    salma = Subscriber.objects.create(email="salma@example.org", name="سلمى", language="ar")
    Subscription.objects.create(subscriber=salma, mailing_list=mailing_list, status=Subscription.Status.ACTIVE,
                                confirmed_at=timezone.now())
    Delivery.objects.create(digest=make_digest(mailing_list, subject="March news"), subscriber=salma, language="ar",
                            status=Delivery.Status.SENT, sent_at=timezone.now())
    client = Client()
    client.force_login(editor)
    session = client.cookies["sessionid"].value
    ARTIFACTS.mkdir(exist_ok=True)
    seen = {}

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--headless", "--no-sandbox"])
        for language in ("en", "ar"):
            context = browser.new_context(viewport=PHONE, locale="en-GB", is_mobile=True, has_touch=True)
            context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url},
                                 {"name": "django_language", "value": language, "url": live_server.url}])
            page = context.new_page()
            page.goto(f"{live_server.url}/admin/dashboard/")
            page.fill("#lookup-email", "Salma@Example.org")
            with page.expect_navigation():
                page.click("#lookup button[type='submit']")
            seen[language] = {
                "dir": page.evaluate("document.documentElement.dir"),
                "found": page.inner_text("#lookup-found"),
                "lists": page.inner_text("#lookup-subscriptions"),
                "history": page.inner_text("#lookup-history"),
                "widths": page.evaluate(_WIDTHS),
            }
            page.screenshot(path=str(ARTIFACTS / f"editorial-lookup-phone-{language}.png"), full_page=True)
            context.close()
        browser.close()

    for language, page in seen.items():
        assert "salma@example.org" in page["found"], language
        assert "Weekly news" in page["lists"] and "March news" in page["history"], language
        scroll_width, viewport = page["widths"]
        assert scroll_width <= viewport, (language, page["widths"])  # tables scroll inside their box, not the page
    assert seen["en"]["dir"] == "ltr" and seen["ar"]["dir"] == "rtl"
    assert "السجل" in seen["ar"]["history"]
