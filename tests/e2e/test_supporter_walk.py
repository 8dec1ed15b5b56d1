"""A supporter's own walk, in a real browser with a real worker (EMAIL_PROVIDER=outbox): she subscribes in French
or in Arabic, opens the branded HTML confirmation email and presses its button, confirms, reads the thank-you page
(links to the archive and to her preferences), receives the branded welcome email, leaves through its unsubscribe
link and undoes it on the page that made it; she leaves again, and later, from the same link, asks to subscribe
again: only her click in the fresh confirmation email brings her back. A screenshot of every step, pass or fail, goes to
test-artifacts/supporter-<language>-<nn>-<step>.png, for people to look at.
"""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from playwright.sync_api import Page, expect, sync_playwright

from config.redis_client import shared_client
from operations.models import OutboxMessage
from subscribers.models import MailingList, Subscriber, Subscription
from tests.e2e.test_supporter_journey import ARTIFACTS, CHROMIUM_ARGS, screenshots_on_failure, site  # noqa: F401
from tests.support.organisations import default_organisation
from tests.support.processes import wait_until

expect.set_options(timeout=30_000)

pytestmark = [pytest.mark.browser, pytest.mark.integration, pytest.mark.django_db(transaction=True)]

SUPPORTERS = {
    "fr": {"email": "claire.supporter@example.org", "name": "Claire Martin", "direction": "ltr",
           "subscribe": "S’abonner", "list": "Make Mothers Matter – actualités",
           "welcome": "Bienvenue ! Chaque mois, nos nouvelles des Nations unies."},
    "ar": {"email": "nour.supporter@example.org", "name": "نور الهدى", "direction": "rtl", "subscribe": "اشترك",
           "list": "أخبار منظمة الأمهات", "welcome": "أهلًا بك! كل شهر، أخبارنا من الأمم المتحدة."},
}
RESUBSCRIBED = {"fr": "Vous êtes de nouveau abonné·e", "ar": "أنت مشترك من جديد"}


class Steps:
    """Numbers the walk's screenshots and takes one of the page at every step."""

    def __init__(self, page: Page, language: str):
        self.page, self.language, self.number = page, language, 0

    def shot(self, step: str) -> None:
        self.number += 1
        ARTIFACTS.mkdir(exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"supporter-{self.language}-{self.number:02d}-{step}.png"), full_page=True)


def _only_email(to: str, index: int) -> OutboxMessage | None:
    messages = list(OutboxMessage.objects.filter(to=to).order_by("pk"))
    return messages[index] if len(messages) > index else None


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_it_walks_a_supporter_through_subscribe_confirm_welcome_unsubscribe_and_undo(site, language):  # noqa: F811
    person = SUPPORTERS[language]
    organisation = default_organisation()
    MailingList.objects.create(
        name="Make Mothers Matter – news", slug="news", from_name="Make Mothers Matter",
        from_email="news@mmm.example.org", default_language="en", organisation=organisation,
        welcome_enabled=True, welcome_body="Welcome! Every month, our news from the United Nations.",
        **{f"name_{language}": person["list"], f"welcome_body_{language}": person["welcome"]})

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_context(locale=language, viewport={"width": 390, "height": 844}).new_page()
        page.set_default_timeout(60_000)  # two cores shared with the rest of the suite: be patient, not flaky
        steps = Steps(page, language)
        with screenshots_on_failure(f"supporter-{language}-failed", [page]):
            # 1. She fills in the subscribe form in her language and sends it.
            page.goto(f"{site}/subscribe/?lang={language}")
            expect(page.locator("html")).to_have_attribute("dir", person["direction"])
            page.fill("input[name=email]", person["email"])
            page.fill("input[name=name]", person["name"])
            page.check("input[value=news]")
            page.check("input[name=consent]")
            steps.shot("subscribe-form")
            page.get_by_role("button", name=person["subscribe"]).click()
            me = wait_until(lambda: Subscriber.objects.filter(email=person["email"]).first(), timeout=30,
                            what="the subscribe request")
            expect(page.locator("html")).to_have_attribute("dir", person["direction"])
            steps.shot("check-your-email")
            assert me.language == language and Subscription.objects.get(subscriber=me).status == "pending"

            # 2. The worker mails a branded confirmation in her language; she opens it and presses its button.
            confirmation = wait_until(lambda: _only_email(person["email"], 0), timeout=60,
                                      what="the confirmation email")
            assert organisation.name in confirmation.html and person["list"] in confirmation.html
            assert re.search(rf'<html[^>]+lang="{language}"', confirmation.html)
            assert f'dir="{person["direction"]}"' in confirmation.html
            confirm_link = re.search(r"https?://\S+/confirm/\S+/", confirmation.text).group(0)
            page.set_content(confirmation.html)
            steps.shot("confirmation-email")
            page.locator("a.button").first.click()
            page.wait_for_url(re.compile(r"/confirm/"))
            assert page.url == confirm_link
            expect(page.locator("html")).to_have_attribute("dir", person["direction"])
            steps.shot("confirm-page")
            assert Subscription.objects.get(subscriber=me).status == "pending"  # opening the link confirms nothing

            # 3. She confirms: the thank-you page leads to the archive and to her preferences.
            page.locator("form[method=post] button").first.click()
            wait_until(lambda: Subscription.objects.get(subscriber=me).status == "active", timeout=30,
                       what="the confirmation")
            expect(page.locator("ul.next a[href*='/preferences/']")).to_be_visible()
            expect(page.locator("ul.next a[href$='/archive/']")).to_be_visible()
            steps.shot("thank-you")

            # 4. The branded welcome email arrives, in her language, with her own links.
            welcome = wait_until(lambda: _only_email(person["email"], 1), timeout=60, what="the welcome email")
            assert person["welcome"] in welcome.html and organisation.name in welcome.html
            assert f'dir="{person["direction"]}"' in welcome.html
            assert welcome.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
            page.set_content(welcome.html)
            steps.shot("welcome-email")
            unsubscribe_link = welcome.headers["List-Unsubscribe"].strip("<>")
            page.locator(f'a[href="{unsubscribe_link}"]').first.click()

            # 5. The unsubscribe page asks; her click ends the subscription.
            page.wait_for_url(re.compile(r"/u/"))
            expect(page.locator("html")).to_have_attribute("dir", person["direction"])
            steps.shot("unsubscribe-page")
            assert Subscription.objects.get(subscriber=me).status == "active"  # the GET changed nothing
            page.locator("form[method=post] button").first.click()
            wait_until(lambda: Subscription.objects.get(subscriber=me).status == "unsubscribed", timeout=30,
                       what="the unsubscribe")
            undo = page.locator("form[method=post] input[name=undo]")
            expect(undo).to_have_count(1)
            steps.shot("unsubscribed")

            # 6. "That was a mistake": the undo on the page that made the unsubscribe, her own click, puts back the
            # subscription she had confirmed herself, as it was (subscribers.transitions.may_undo_unsubscribe).
            page.locator("form[method=post]:has(input[name=undo]) button").click()
            wait_until(lambda: Subscription.objects.get(subscriber=me).status == "active", timeout=30,
                       what="the undo")
            expect(page.locator("[role=status]")).to_be_visible()
            expect(page.locator("h1")).to_have_text(RESUBSCRIBED[language])
            steps.shot("undone")
            assert Subscription.objects.get(subscriber=me).unsubscribed_at is None

            # 7. She leaves again through the same link, and this time keeps it so.
            page.goto(unsubscribe_link)
            page.locator("form[method=post] button").first.click()
            wait_until(lambda: Subscription.objects.get(subscriber=me).status == "unsubscribed", timeout=30,
                       what="the second unsubscribe")
            steps.shot("unsubscribed-again")

            # 8. An hour later (the limit of one confirmation email an hour, lifted here) she changes her mind and
            # opens the old link: "Subscribe again" sends a fresh confirmation email and changes nothing yet.
            for key in shared_client().scan_iter(match=cache.make_key("ratelimit:confirm-mail:*")):
                shared_client().delete(key)
            page.goto(unsubscribe_link)
            expect(page.locator("#subscribe-again")).to_be_visible()
            steps.shot("changed-her-mind")
            page.locator("#subscribe-again").click()
            expect(page.locator("[role=status]")).to_be_visible()
            steps.shot("asked-again")
            assert Subscription.objects.get(subscriber=me).status == "unsubscribed"  # asking is not subscribing

            # 9. Only her click in the new confirmation email makes her a subscriber again.
            again = wait_until(lambda: _only_email(person["email"], 2), timeout=60, what="the new confirmation email")
            assert "/confirm/" in again.text and again.pk != confirmation.pk
            page.set_content(again.html)
            steps.shot("new-confirmation-email")
            page.locator("a.button").first.click()
            page.wait_for_url(re.compile(r"/confirm/"))
            steps.shot("confirm-page-again")
            assert Subscription.objects.get(subscriber=me).status == "unsubscribed"
            page.locator("form[method=post] button").first.click()
            wait_until(lambda: Subscription.objects.get(subscriber=me).status == "active", timeout=30,
                       what="the new confirmation")
            expect(page.locator("ul.next")).to_be_visible()
            steps.shot("subscribed-again")
        browser.close()
    assert steps.number == 15
