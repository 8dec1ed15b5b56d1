"""The admin's feed pages refresh themselves while a feed waits for its first import, with a static script (the
admin's CSP allows scripts from this site only), and stop once the import has run."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect, sync_playwright

from newsletter.models import Feed
from tests.newsletter.factories import make_list
from tests.support.browser import ARTIFACTS, CHROMIUM_ARGS

PASSWORD = "a-long-password-for-the-feed-test"


@pytest.mark.django_db
def test_it_marks_a_waiting_feed_and_loads_the_refresh_script_until_the_import_has_run(admin_client):
    feed = Feed.objects.create(mailing_list=make_list(), url="https://mmm.example/rss")

    waiting = admin_client.get("/admin/newsletter/feed/").content.decode()
    waiting_detail = admin_client.get(f"/admin/newsletter/feed/{feed.pk}/change/").content.decode()
    Feed.objects.filter(pk=feed.pk).update(last_success_at=timezone.now())
    imported = admin_client.get("/admin/newsletter/feed/").content.decode()

    assert "newsletter/feed_waiting.js" in waiting and "newsletter/feed_waiting.js" in waiting_detail
    assert f'data-feed-waiting="{feed.pk}"' in waiting and f'data-feed-waiting="{feed.pk}"' in waiting_detail
    assert "data-feed-waiting" not in imported and "0 items imported" in imported


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_it_shows_the_import_in_a_real_browser_without_the_editor_reloading(live_server, monkeypatch):
    # Playwright's sync API runs an event loop in this thread; the test still writes the database between steps.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    get_user_model().objects.create_superuser("editor", "editor@example.org", PASSWORD)
    feed = Feed.objects.create(mailing_list=make_list(), url="https://mmm.example/rss", name="MMM news")
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page()
        errors: list[str] = []
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        page.goto(f"{live_server.url}/admin/login/?next=/admin/newsletter/feed/")
        page.fill("#id_username", "editor")
        page.fill("#id_password", PASSWORD)
        page.click("input[type=submit]")
        expect(page.locator(f'[data-feed-waiting="{feed.pk}"]')).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / "feed-waiting-1-waiting.png"), full_page=True)

        # The feeds worker's import, as it ends: the page must notice by itself.
        Feed.objects.filter(pk=feed.pk).update(last_success_at=timezone.now())
        expect(page.locator("#result_list")).to_contain_text("0 items imported", timeout=30_000)
        expect(page.locator("[data-feed-waiting]")).to_have_count(0)
        page.screenshot(path=str(ARTIFACTS / "feed-waiting-2-imported.png"), full_page=True)
        browser.close()
    assert not [error for error in errors if "Content Security Policy" in error], errors
