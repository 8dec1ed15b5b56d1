"""The public pages in a real (headless) Chromium at phone width, in English, French and Arabic."""

import re

import pytest
from playwright.sync_api import expect, sync_playwright

from tests.subscribers.factories import make_list, make_topic

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def lists():
    # Rows are made before Playwright starts: its event loop makes Django refuse database calls in this thread.
    make_list(name="Make Mothers Matter – news", slug="news")
    make_list(name="Lebanon chapter", slug="lebanon")
    make_topic("health", "Maternal health")


@pytest.fixture
def phone(lists):
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 360, "height": 740}, device_scale_factor=2, is_mobile=True)
        yield page
        browser.close()


@pytest.mark.parametrize(("lang", "direction", "button"), [("en", "ltr", "Subscribe"), ("fr", "ltr", "S’abonner"),
                                                            ("ar", "rtl", "اشترك")])
def test_it_fits_a_phone_screen_and_reads_right_to_left_in_arabic(live_server, phone, tmp_path, lang, direction, button):
    phone.goto(f"{live_server.url}/subscribe/?lang={lang}")
    phone.screenshot(path=str(tmp_path / f"subscribe-{lang}.png"), full_page=True)

    assert phone.evaluate("document.documentElement.dir") == direction
    # no sideways scrolling, in either direction: every laid-out element lies within the screen's width
    edges = phone.evaluate(
        "[...document.querySelectorAll('body *')].map(e => e.getBoundingClientRect())"
        ".filter(r => r.width > 0).reduce((a, r) => [Math.min(a[0], r.left), Math.max(a[1], r.right)], [0, 0])"
    )
    assert edges[0] >= 0 and edges[1] <= 360, edges
    submit = phone.get_by_role("button", name=button)
    assert submit.is_visible()
    assert submit.bounding_box()["width"] > 250  # a full-width button, easy to tap
    assert not phone.locator("input[name=website]").is_visible()  # the honeypot stays hidden from people

    phone.fill("input[name=email]", "phone@example.org")
    phone.check("input[value=news]")
    phone.check("input[name=consent]")
    submit.click()
    phone.wait_for_load_state()
    assert phone.evaluate("document.documentElement.dir") == direction
    assert phone.locator("h1").count() == 1 and "/subscribe/" in phone.url


@pytest.fixture
def editor_with_audience(lists, django_user_model):
    from subscribers.models import MailingList
    from tests.subscribers.factories import make_subscriber, subscribe

    news = MailingList.objects.get(slug="news")
    for language in ("fr", "fr", "ar", "en"):
        subscribe(make_subscriber(language=language), news)
    django_user_model.objects.create_superuser("editor", "editor@example.org", "a-long-test-password")
    return news


def test_it_updates_the_segment_count_live_in_the_admin_form(live_server, editor_with_audience, tmp_path):
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        page = browser.new_page()
        page.goto(f"{live_server.url}/admin/login/?next=/admin/subscribers/segment/add/")
        page.fill("#id_username", "editor")
        page.fill("#id_password", "a-long-test-password")
        page.click("input[type=submit]")
        page.select_option("#id_mailing_list", str(editor_with_audience.id))
        count = page.locator("#segment-live-count")
        # expect() waits without evaluating strings, so the page's strict CSP (no eval) stays in force
        expect(count).to_have_text(re.compile(r"^4 "))
        page.check("input[name=language][value=fr]")
        expect(count).to_have_text(re.compile(r"^2 "))
        page.check("input[name=language][value=ar]")
        expect(count).to_have_text(re.compile(r"^3 "))
        page.fill("#id_country", "France")
        expect(count).to_contain_text("two-letter ISO codes")
        page.screenshot(path=str(tmp_path / "segment-live-count.png"), full_page=True)
        browser.close()
