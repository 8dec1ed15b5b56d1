"""Issue 19's editor walk, in headless Chromium against the live server, a real Celery worker and beat
(EMAIL_PROVIDER=outbox in the worker) and the real anymail Mailgun webhook for the provider's reports.

A new editor opens her invitation and chooses her password; on the desk she writes a news item in Arabic with an
image she uploads; adds a feed and sees its items come in; composes a digest for a segment by picking and
reordering cards; previews it in English, French and Arabic; sends a test to two addresses; sends it now after the
confirmation; watches it finish; and reads its per-link results once the provider reports clicks.
A screenshot of every step goes to test-artifacts/editor-walk-<nn>-<step>.png, pass or fail.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import uuid

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.test import Client
from django.utils import timezone
from playwright.sync_api import Page, expect, sync_playwright

from editorial.invitations import invitation_create, invitation_url
from editorial.roles import EDITOR, roles_apply
from newsletter.models import Digest, DigestItem, NewsItem
from operations.models import OutboxMessage
from subscribers.models import Segment
from tests.newsletter.factories import make_list, make_subscriber
from tests.newsletter.feedserver import FeedServer, rss
from tests.support.browser import ARTIFACTS, CHROMIUM_ARGS, in_a_thread
from tests.support.images import image_bytes
from tests.support.organisations import default_organisation
from tests.support.processes import start_beat, start_worker, wait_until
from worker.celery_app import app as celery_app
from worker.models import Delivery

pytestmark = [pytest.mark.browser, pytest.mark.integration, pytest.mark.django_db(transaction=True)]

expect.set_options(timeout=60_000)
FAST = {"SEND_RATE_PER_SECOND": "1000", "SEND_SCAN_INTERVAL": "0.5", "SEND_RECONCILE_INTERVAL": "0.5",
        "SEND_REPOKE_AFTER": "2", "SEND_RETRY_BASE": "0.2", "SEND_RETRY_MAX": "2", "FEED_POLL_INTERVAL": "3600"}
PASSWORD = "Gardenia-river-1987"
SIGNING_KEY = "key-walk-signing-0123456789"
WEBHOOK_AUTH = "anymail:walk-webhook-secret"
TITLE_AR = "الأمهات في الأمم المتحدة: صوتٌ واحد!"
PETITION = "https://mmm.example/petition"
ENTRIES = [
    {"title": "Care work counts", "link": PETITION, "guid": "care", "date": "Thu, 17 Apr 2025 09:00:00 GMT",
     "description": "Unpaid care work in the national accounts."},
    {"title": "Mothers at CSW69", "link": "https://mmm.example/csw69", "guid": "csw69",
     "date": "Tue, 15 Apr 2025 09:00:00 GMT", "description": "Our delegation in New York."},
]  # fmt: skip



def clicked(delivery: Delivery, url: str) -> dict:
    """A signed Mailgun 'clicked' event for one delivery, as the provider posts it."""
    token, timestamp = uuid.uuid4().hex, str(int(timezone.now().timestamp()))
    signature = hmac.new(SIGNING_KEY.encode(), f"{timestamp}{token}".encode(), hashlib.sha256).hexdigest()
    return {"signature": {"token": token, "timestamp": timestamp, "signature": signature},
            "event-data": {"event": "clicked", "timestamp": float(timestamp), "id": uuid.uuid4().hex[:20],
                           "recipient": delivery.subscriber.email, "url": url,
                           "message": {"headers": {"message-id": delivery.provider_message_id or "walk@example.org"}},
                           "user-variables": {"digest_id": str(delivery.digest_id), "delivery_id": str(delivery.pk)}}}


@pytest.fixture
def site(live_server, settings, monkeypatch, tmp_path):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    celery_app.conf.task_always_eager = False
    settings.SITE_URL = live_server.url
    settings.MEDIA_ROOT = tmp_path / "media"
    env = {**FAST, "EMAIL_PROVIDER": "outbox", "SITE_URL": live_server.url, "MEDIA_ROOT": str(tmp_path / "media")}
    worker = start_worker(tmp_path, name="walk", **env)
    beat = start_beat(tmp_path, **env)
    try:
        yield live_server.url
    finally:
        beat.stop()
        worker.stop()


def test_it_walks_an_editor_from_her_invitation_to_the_per_link_results(site, settings, tmp_path):
    roles_apply(group_model=Group, permission_model=Permission)  # a transactional test before may have flushed them
    organisation = default_organisation()
    administrator = get_user_model().objects.create_superuser("ada", "ada@example.org", "pw-ada-walk")
    news = make_list(name="MMM Liban", default_language="fr", organisation=organisation, tracking_enabled=True)
    lebanon = Segment.objects.create(mailing_list=news, name="Lebanon", filters={"country": ["LB"]})
    readers = {language: make_subscriber(mailing_list=news, language=language, email=f"{language}.reader@example.org")
               for language in ("en", "fr", "ar")}
    for reader in readers.values():
        reader.country = "LB"
        reader.save(update_fields=["country"])
    make_subscriber(mailing_list=news, language="fr", email="outside.lebanon@example.org")  # not in the segment
    _invitation, token = invitation_create(email="nadia@example.org", role=EDITOR, organisation_ids=[organisation.pk],
                                           language="en", actor=administrator)
    invitation_path = "/" + invitation_url(token).split("://", 1)[1].split("/", 1)[1]
    picture = tmp_path / "mothers-at-the-un.jpg"
    picture.write_bytes(image_bytes(width=1600, height=900, format="JPEG"))
    ARTIFACTS.mkdir(exist_ok=True)
    steps: list[str] = []

    def shot(page: Page, step: str) -> None:
        steps.append(step)
        page.screenshot(path=str(ARTIFACTS / f"editor-walk-{len(steps):02d}-{step}.png"), full_page=True)

    with FeedServer() as feeds, sync_playwright() as playwright:
        feed_url = feeds.serve("/mmm.rss", rss(*ENTRIES))
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB").new_page()
        page.set_default_timeout(60_000)
        csp_errors: list[str] = []
        page.on("console", lambda message: csp_errors.append(message.text)
                if "Content Security Policy" in message.text else None)

        # 1. Her invitation: she chooses her password and lands on the desk, signed in.
        page.goto(f"{site}{invitation_path}")
        page.fill("input[name=first_name]", "Nadia")
        page.fill("input[name=password1]", PASSWORD)
        page.fill("input[name=password2]", PASSWORD)
        shot(page, "invitation")
        with page.expect_navigation():
            page.click("#accept-invitation button[type=submit]")
        expect(page.locator(".desk-account")).to_contain_text("Nadia")
        shot(page, "desk-home")

        # 2. A news item in Arabic with an image she uploads.
        page.goto(f"{site}/desk/news/")
        page.click("[data-testid=news-new]")
        page.wait_for_selector(".ProseMirror[contenteditable=true]")
        page.fill("#id_title", TITLE_AR)
        page.select_option("#id_language", "ar")
        page.fill("#id_summary", "وفد الأمهات في نيويورك.")
        page.click(".ProseMirror[contenteditable=true]")
        page.keyboard.type("نص الخبر الكامل.")
        page.check(f"input[name=mailing_lists][value='{news.pk}']")
        with page.expect_file_chooser() as chooser:
            page.click("#id_image_upload")
        chooser.value.set_files(str(picture))
        page.fill("#id_image_alt", "أمهات في قاعة الأمم المتحدة")
        shot(page, "news-item-arabic")
        with page.expect_navigation():
            page.click("[data-testid=news-save]")
        expect(page.locator(".desk-messages")).to_contain_text(TITLE_AR)
        shot(page, "news-item-saved")

        # 3. A feed: the worker imports it at once and its page shows what came in.
        page.goto(f"{site}/desk/feeds/")
        page.click("[data-testid=feed-new]")
        page.fill("#id_url", feed_url)
        page.fill("#id_name", "MMM news")
        page.select_option("#id_mailing_list", str(news.pk))
        with page.expect_navigation():
            page.click("[data-testid=feed-save]")
        expect(page.locator("#feed-items")).to_contain_text("Care work counts")
        shot(page, "feed-items")

        # 4. Compose for the segment: pick two cards and put the Arabic story first.
        arabic, care = in_a_thread(lambda: (NewsItem.objects.get(title=TITLE_AR).pk,
                                            NewsItem.objects.get(title="Care work counts").pk))
        page.goto(f"{site}/desk/digests/new/")
        page.select_option("select[name=mailing_list]", str(news.pk))
        page.wait_for_selector(f"[data-testid=item-card-{arabic}]")
        page.select_option("select[name=segment]", str(lebanon.pk))
        page.check(f"#item-{care}")
        page.check(f"#item-{arabic}")
        order = page.eval_on_selector_all("#item-cards .item-card", "cards => cards.map(c => c.dataset.item)")
        while order.index(str(arabic)) > order.index(str(care)):
            page.click(f"[data-testid=item-card-{arabic}] .move-up")
            order = page.eval_on_selector_all("#item-cards .item-card", "cards => cards.map(c => c.dataset.item)")
        shot(page, "compose-cards")

        # 5. The three languages, each with its own texts and its own preview.
        texts = {"fr": ("Notre semaine", "Chères amies"), "en": ("Our week", "Dear friends"),
                 "ar": ("أسبوعنا", "صديقاتنا العزيزات")}
        previews = {}
        for language, (subject, intro) in texts.items():
            page.click(f"#tab-{language}")
            page.fill(f"#subject-{language}", subject)
            page.click(f"#texts-{language} [contenteditable=true]")
            page.keyboard.type(intro)
            frame = page.frame_locator(f"#preview-{language} iframe")
            frame.locator(f"text={intro}").wait_for()
            previews[language] = frame.locator("body").inner_text()
            shot(page, f"preview-{language}")

        # 6. A test to two colleagues.
        page.fill("#test-addresses", "karim@example.org\nsalma@example.org")
        with page.expect_navigation():
            page.click("#send-test")
        expect(page.locator(".desk-messages")).to_contain_text("karim@example.org")
        shot(page, "test-sent")

        # 7. Send now: the confirmation names the segment's readers by language, then it goes.
        with page.expect_navigation():
            page.click("#send-now")
        audience = page.inner_text("#confirm-audience")
        shot(page, "send-now-confirmation")
        with page.expect_navigation():
            page.click("#confirm-yes")
        shot(page, "send-now-confirmed")

        # 8. She watches it finish on its results page.
        digest_id = in_a_thread(lambda: Digest.objects.get().pk)
        page.goto(f"{site}/desk/digests/{digest_id}/results/")
        expect(page.locator("[data-testid=live-status]")).to_contain_text("Sent", timeout=120_000)
        shot(page, "sent")

        # 9. The provider reports clicks; she reads them per link.
        def report_clicks() -> int:
            settings.EMAIL_PROVIDER = "mailgun"  # only the configured provider's webhooks answer
            settings.ANYMAIL = {**settings.ANYMAIL, "WEBHOOK_SECRET": WEBHOOK_AUTH,
                                "MAILGUN_WEBHOOK_SIGNING_KEY": SIGNING_KEY}
            auth = "Basic " + base64.b64encode(WEBHOOK_AUTH.encode()).decode()
            deliveries = list(Delivery.objects.filter(digest_id=digest_id).select_related("subscriber").order_by("id"))
            for n, delivery in enumerate(deliveries):
                url = PETITION if n < 2 else "https://mmm.example/csw69"
                response = Client().post("/anymail/mailgun/tracking/", json.dumps(clicked(delivery, url)),
                                         content_type="application/json", HTTP_AUTHORIZATION=auth)
                assert response.status_code == 200, response.content
            return len(deliveries)

        reported = in_a_thread(report_clicks)
        page.reload()
        expect(page.locator("[data-testid=results-links]")).to_contain_text("mmm.example/petition")
        links = page.locator("[data-testid=results-link]").all_inner_texts()
        shot(page, "per-link-results")
        browser.close()

    digest = Digest.objects.get()
    assert get_user_model().objects.get(email="nadia@example.org").first_name == "Nadia"
    item = NewsItem.objects.get(title=TITLE_AR)
    assert item.language == "ar" and item.image_url.startswith(f"{site}/media/")
    assert digest.segment_id == lebanon.pk
    assert list(DigestItem.objects.filter(digest=digest).order_by("position").values_list("news_item_id", flat=True)) == [
        arabic, care]
    assert "Chères amies" in previews["fr"] and "Dear friends" in previews["en"] and "صديقاتنا العزيزات" in previews["ar"]
    assert {message.to[0] for message in mail.outbox} == {"karim@example.org", "salma@example.org"}
    assert "3 people" in audience and "French" in audience and "Arabic" in audience and "English" in audience
    wait_until(lambda: digest.__class__.objects.get(pk=digest.pk).status == Digest.Status.SENT, timeout=5,
               what="the digest to be sent")
    sent_to = set(OutboxMessage.objects.filter(subject__in=["Notre semaine", "Our week", "أسبوعنا"])
                  .values_list("to", flat=True))
    assert sent_to == {f"{language}.reader@example.org" for language in ("en", "fr", "ar")}
    assert reported == 3
    assert any("mmm.example/petition" in link and "2" in link for link in links)
    assert csp_errors == []
    assert len(steps) >= 14
