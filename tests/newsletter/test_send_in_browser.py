"""The send step in a real (headless) Chromium: a test to two addresses, then send now after the confirmation.
Screenshots go to test-artifacts/."""

from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from newsletter.models import Digest
from tests.newsletter.factories import make_digest, make_item, make_list, make_subscriber

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture
def digest(django_user_model):
    # Rows are made before Playwright starts: its event loop makes Django refuse database calls in this thread.
    mailing_list = make_list()
    for language in ("fr", "fr", "ar", "en"):
        make_subscriber(mailing_list=mailing_list, language=language)
    django_user_model.objects.create_superuser("editor", "editor@example.org", "a-long-test-password")
    return make_digest(mailing_list=mailing_list, items=[make_item(title="CSW69")])


def test_it_sends_a_test_to_two_addresses_then_sends_now_after_the_confirmation(live_server, digest, mailoutbox):
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        page = browser.new_page()
        page.goto(f"{live_server.url}/admin/login/?next=/admin/newsletter/digest/{digest.pk}/preview/")
        page.fill("#id_username", "editor")
        page.fill("#id_password", "a-long-test-password")
        page.click("input[type=submit]")
        expect(page.locator("#audience")).to_contain_text("4 people: 2 in French, 1 in Arabic, 1 in English")

        page.fill("textarea[name=addresses]", "one@example.org\ntwo@example.org")
        page.click("#test-panel input[type=submit]")
        expect(page.locator("ul.messagelist")).to_contain_text("Test sent to one@example.org, two@example.org")
        page.screenshot(path=str(ARTIFACTS / "send-1-test-sent.png"), full_page=True)

        page.click("#send-panel input[type=submit].default")
        expect(page.locator("#confirm-audience")).to_contain_text("4 people: 2 in French, 1 in Arabic, 1 in English")
        expect(page.locator("#confirm-checks-ok")).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / "send-2-confirm-send-now.png"), full_page=True)
        page.click("#confirm-button")
        expect(page.locator("ul.messagelist")).to_contain_text("Sending now")
        page.screenshot(path=str(ARTIFACTS / "send-3-sending-now.png"), full_page=True)
        browser.close()

    assert sorted(message.to[0] for message in mailoutbox) == ["one@example.org"] * 3 + ["two@example.org"] * 3
    assert Digest.objects.get(pk=digest.pk).status == Digest.Status.SCHEDULED  # the scan picks it up from here
