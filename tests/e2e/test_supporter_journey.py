"""The whole journey in Debian's headless Chromium, against the live server, a real Celery worker and beat
(EMAIL_PROVIDER=outbox in the worker, so every email lands in operations.models.OutboxMessage):

a supporter subscribes on /subscribe/, opens the confirmation email and presses confirm; an editor logs into
the admin, imports news from a feed served locally, composes a digest, previews it and schedules it; the
worker sends it; her copy has inlined styles, her name and her own links; she presses unsubscribe in the
email; the next digest does not reach her. Once in English and once in Arabic (right-to-left pages and email).

Screenshots of every open page are written to test-artifacts/ when a step fails.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import Page, expect, sync_playwright

from newsletter.models import Digest, NewsItem
from newsletter.services import digest_compose, digest_schedule, news_item_create
from operations.models import OutboxMessage
from subscribers.models import MailingList, Subscriber, Subscription
from subscribers.tokens import unsubscribe_url
from tests.newsletter.feedserver import FeedServer, rss
from tests.support.browser import ARTIFACTS, CHROMIUM_ARGS
from tests.support.organisations import default_organisation
from tests.support.processes import start_beat, start_worker, wait_until
from worker.celery_app import app as celery_app
from worker.models import Delivery

expect.set_options(timeout=30_000)

pytestmark = [pytest.mark.browser, pytest.mark.integration, pytest.mark.django_db(transaction=True)]

FAST = {"SEND_RATE_PER_SECOND": "1000", "SEND_SCAN_INTERVAL": "0.5", "SEND_RECONCILE_INTERVAL": "0.5",
        "SEND_REPOKE_AFTER": "2", "SEND_RETRY_BASE": "0.2", "SEND_RETRY_MAX": "2"}
PASSWORD = "editor-password-for-the-e2e-test"

SUPPORTERS = {
    "en": {"email": "amal.supporter@example.org", "name": "Amal Haddad", "direction": "ltr", "subscribe": "Subscribe",
           "intro": "Dear %%name%%, here is what we did this week.",
           "stories": [("Mothers at CSW69 in New York", "en"), ("Care work counts", "en")]},
    "ar": {"email": "layla.supporter@example.org", "name": "ليلى حداد", "direction": "rtl", "subscribe": "اشترك",
           "intro": "عزيزتي %%name%%، إليك أخبار هذا الأسبوع.",
           "stories": [("الأمهات في لجنة وضع المرأة", "ar"), ("أعمال الرعاية مهمة", "ar")]},
}


@contextmanager
def screenshots_on_failure(name: str, pages: list[Page]):
    try:
        yield
    except BaseException:
        ARTIFACTS.mkdir(exist_ok=True)
        for number, page in enumerate(pages):
            try:
                page.screenshot(path=str(ARTIFACTS / f"{name}-{number}.png"), full_page=True)
                (ARTIFACTS / f"{name}-{number}.html").write_text(page.content())
            except Exception:  # noqa: BLE001 - a closed page must not hide the real failure
                pass
        raise


def _path(url: str) -> str:
    return "/" + url.split("/", 3)[3]


def _outbox(to: str, subject_part: str) -> OutboxMessage | None:
    return OutboxMessage.objects.filter(to=to, subject__contains=subject_part).first()


@pytest.fixture
def site(live_server, settings, monkeypatch, tmp_path):
    # Playwright's sync API runs an event loop in this thread; the test still reads the database between steps.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    # Tasks must go through Redis to the worker, whatever an earlier test in this process left behind.
    celery_app.conf.task_always_eager = False
    settings.SITE_URL = live_server.url  # links in pages and emails point at the server the browser talks to
    env = {**FAST, "EMAIL_PROVIDER": "outbox", "SITE_URL": live_server.url}
    worker = start_worker(tmp_path, name="e2e", **env)
    beat = start_beat(tmp_path, **env)
    try:
        yield live_server.url
    finally:
        beat.stop()
        worker.stop()


@pytest.mark.parametrize("language", ["en", "ar"])
def test_it_carries_a_supporter_from_subscribing_to_unsubscribing_through_a_real_send(site, language):
    person = SUPPORTERS[language]
    news = MailingList.objects.create(name="Make Mothers Matter – news", slug="news", from_name="Make Mothers Matter",
                                      from_email="news@mmm.example.org", default_language="en",
                                      organisation=default_organisation())
    witness = Subscriber.objects.create(email="witness@example.org", name="Witness", language="en")
    Subscription.objects.create(subscriber=witness, mailing_list=news, status="active", confirmed_at=timezone.now())
    get_user_model().objects.create_superuser("editor", "editor@mmm.example.org", PASSWORD)

    with FeedServer() as feeds, sync_playwright() as playwright:
        feed_url = feeds.serve("/news.rss", rss(*[
            {"title": title, "link": f"https://mmm.example.org/news/{n}", "guid": f"story-{language}-{n}",
             "date": "Mon, 23 Nov 2026 08:00:00 GMT", "description": f"&lt;p&gt;{title}: what happened.&lt;/p&gt;"}
            for n, (title, _lang) in enumerate(person["stories"])
        ]).replace("<language>en</language>", f"<language>{language}</language>"))
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        supporter = browser.new_context(locale=language).new_page()
        editor = browser.new_context().new_page()
        for page in (supporter, editor):
            page.set_default_timeout(60_000)  # two cores shared with the rest of the suite: be patient, not flaky
        with screenshots_on_failure(f"journey-{language}", [supporter, editor]):
            # 1. She subscribes on the public form, in her language.
            supporter.goto(f"{site}/subscribe/?lang={language}")
            assert supporter.evaluate("document.documentElement.dir") == person["direction"]
            supporter.fill("input[name=email]", person["email"])
            supporter.fill("input[name=name]", person["name"])
            supporter.check("input[value=news]")
            supporter.check("input[name=consent]")
            supporter.get_by_role("button", name=person["subscribe"]).click()
            me = wait_until(lambda: Subscriber.objects.filter(email=person["email"]).first(), timeout=30,
                            what="the subscribe request")
            expect(supporter.locator("html")).to_have_attribute("dir", person["direction"])
            assert me.language == language and Subscription.objects.get(subscriber=me).status == "pending"

            # 2. The worker mails the confirmation; its link opens a page whose button confirms.
            confirmation = wait_until(lambda: OutboxMessage.objects.filter(to=person["email"]).first(), timeout=60,
                                      what="the confirmation email")
            assert person["name"] not in confirmation.raw  # nothing she typed is mailed back
            confirm_link = re.search(r"https?://\S+/confirm/\S+/", confirmation.text).group(0)
            assert confirm_link.startswith(site)
            supporter.goto(confirm_link)
            assert supporter.evaluate("document.documentElement.dir") == person["direction"]
            assert Subscription.objects.get(subscriber=me).status == "pending"  # opening the link confirms nothing
            supporter.locator("form[method=post] button, form[method=post] input[type=submit]").first.click()
            supporter.wait_for_load_state()
            wait_until(lambda: Subscription.objects.get(subscriber=me).status == "active", timeout=30, what="confirmation")

            # 3. The editor logs in and imports the news from the feed.
            editor.goto(f"{site}/admin/login/")
            editor.fill("input[name=username]", "editor")
            editor.fill("input[name=password]", PASSWORD)
            editor.click("input[type=submit]")
            expect(editor.locator("#user-tools")).to_contain_text("editor")
            editor.goto(f"{site}/admin/newsletter/feed/add/")
            editor.select_option("select[name=mailing_list]", str(news.id))
            editor.fill("input[name=url]", feed_url)
            editor.select_option("select[name=language]", language)
            editor.click("input[name=_save]")
            editor.locator("input[name=_selected_action]").first.check()
            editor.select_option("select[name=action]", "poll_now")
            editor.click("button[name=index]")
            expect(editor.locator("ul.messagelist")).to_contain_text("in the background")  # the feeds worker polls
            wait_until(lambda: NewsItem.objects.count() == 2, timeout=60, what="the feed poll on the feeds queue")
            editor.reload()
            expect(editor.locator("#result_list")).to_contain_text("OK")
            titles = [title for title, _lang in person["stories"]]
            assert sorted(NewsItem.objects.values_list("title", flat=True)) == sorted(titles)

            # 4. She composes a digest from the suggested items, previews it and schedules it for now.
            editor.goto(f"{site}/admin/newsletter/digest/compose/")
            editor.select_option("select[name=mailing_list]", str(news.id))
            editor.fill("input[name=subject]", "Our news this week")
            editor.fill("textarea[name=intro]", person["intro"])  # %%name%%: each reader's own name
            editor.locator("form input[type=submit]").last.click()
            editor.wait_for_url(re.compile(r"/admin/newsletter/digest/\d+/change/"))
            digest_id = int(re.search(r"/digest/(\d+)/change/", editor.url).group(1))
            editor.goto(f"{site}/admin/newsletter/digest/{digest_id}/preview/")
            expect(editor.locator("#presend-ok")).to_be_visible()
            preview = editor.frame_locator(f"iframe[title='HTML preview ({language})']")
            expect(preview.locator("body")).to_contain_text(titles[0])
            editor.fill("input[name=send_at]", timezone.localtime(timezone.now()).strftime("%Y-%m-%dT%H:%M"))
            editor.click("#schedule-form input[type=submit]")
            expect(editor.locator("#confirm-audience")).to_be_visible()  # the confirmation step names the audience
            editor.click("#confirm-button")
            expect(editor.locator("ul.messagelist")).to_contain_text("Scheduled for")

            # 5. Beat finds it due, the worker sends it.
            digest = Digest.objects.get(pk=digest_id)
            wait_until(lambda: Digest.objects.get(pk=digest_id).status == Digest.Status.SENT, timeout=90,
                       what="the digest to be sent")
            copy = wait_until(lambda: _outbox(person["email"], "Our news this week"), timeout=30, what="her copy")
            assert _outbox("witness@example.org", "Our news this week") is not None
            her_link = unsubscribe_url(subscriber_id=me.id, list_id=news.id, digest_id=digest_id)
            assert her_link.startswith(site)
            assert f'href="{her_link}"' in copy.html and her_link in copy.text
            assert copy.headers["List-Unsubscribe"] == f"<{her_link}>"
            assert copy.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
            assert person["name"] in copy.html and person["name"] in copy.text  # greeted by her own name
            assert all(title in copy.html for title in titles)
            assert "%%" not in copy.html and "<link" not in copy.html
            assert len(re.findall(r'<td[^>]+style="[^"]+"', copy.html)) >= 3  # premailer inlined the CSS
            assert f'dir="{person["direction"]}"' in copy.html
            assert re.search(rf'<html[^>]+lang="{language}"', copy.html)

            # 6. She presses "unsubscribe" in the email itself: the page asks, her click confirms.
            supporter.set_content(copy.html)
            supporter.locator(f'a[href="{her_link}"]').first.click()
            supporter.wait_for_url(re.compile(r"/u/"))
            assert supporter.evaluate("document.documentElement.dir") == person["direction"]
            assert Subscription.objects.get(subscriber=me).status == "active"  # the GET changed nothing
            supporter.locator("form[method=post] button, form[method=post] input[type=submit]").first.click()
            supporter.wait_for_load_state()
            wait_until(lambda: Subscription.objects.get(subscriber=me).status == "unsubscribed", timeout=30,
                       what="the unsubscribe")
            assert Subscription.objects.get(subscriber=me).unsubscribed_via_digest_id == digest_id  # counted for it

            # 7. The next digest goes out without her.
            news_item_create(title="A later story", language="en", link="https://mmm.example.org/news/later",
                             mailing_list_ids=[news.id], published_at=timezone.now())
            second = digest_compose(mailing_list_id=news.id, subject="Next week's news", since=digest.created_at - timedelta(1))
            digest_schedule(digest_id=second.id, send_at=timezone.now())
            wait_until(lambda: Digest.objects.get(pk=second.id).status == Digest.Status.SENT, timeout=90,
                       what="the second digest to be sent")
            assert _outbox("witness@example.org", "Next week's news") is not None
            assert _outbox(person["email"], "Next week's news") is None
            assert not Delivery.objects.filter(digest=second, subscriber=me).exists()
        browser.close()

