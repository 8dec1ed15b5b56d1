"""Watching a send finish on the desk and reading its per-link results, in headless Chromium on a live server.

The send's states are driven directly (scheduled, preparing, sending, then sent and reported between two polls), from
a thread of their own: Playwright's event loop keeps Django's database off this one. Screenshots of every step go
to test-artifacts/desk-results-<step>.png."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect, sync_playwright

from newsletter.models import Digest
from subscribers.models import DigestEventCount, EmailEvent
from tests.support.browser import ARTIFACTS, CHROMIUM_ARGS, desk_sign_in, in_a_thread
from tests.worker.factories import make_audience, make_digest, make_list, make_variant
from worker.models import Delivery
from worker.planning import audience_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LINKS = ["https://example.org/petition", "https://example.org/report"]



def test_it_lets_an_editor_watch_a_send_finish_and_read_the_per_link_results(live_server, editor):
    mailing_list = make_list(tracking_enabled=True, name="MMM weekly")
    make_audience(mailing_list, 3, language="en")
    make_audience(mailing_list, 2, language="ar")
    digest = make_digest(mailing_list, status=Digest.Status.SCHEDULED, subject="Our week for mothers",
                         send_at=timezone.now() + timezone.timedelta(minutes=1))

    def preparing() -> None:
        Digest.objects.filter(pk=digest.pk).update(status=Digest.Status.PREPARING, started_at=timezone.now())

    def sending() -> None:
        audience_plan(digest=digest, variants=[make_variant(digest, language="en"), make_variant(digest, language="ar")],
                      batch_size=10)
        first = Delivery.objects.filter(digest=digest).order_by("id").values_list("id", flat=True)[:2]
        Delivery.objects.filter(pk__in=list(first)).update(status=Delivery.Status.SENT, sent_at=timezone.now())
        Digest.objects.filter(pk=digest.pk).update(status=Digest.Status.SENDING)

    def sent_and_reported() -> None:
        Delivery.objects.filter(digest=digest).update(status=Delivery.Status.SENT, sent_at=timezone.now())
        Digest.objects.filter(pk=digest.pk).update(status=Digest.Status.SENT, finished_at=timezone.now())
        for n, delivery in enumerate(Delivery.objects.filter(digest=digest).order_by("id")):
            common = {"digest_id": digest.pk, "delivery_id": delivery.pk, "recipient_hash": f"r{delivery.pk}",
                      "occurred_at": timezone.now()}
            EmailEvent.objects.create(event_id=f"d{n}", event_type="delivered", **common)
            EmailEvent.objects.create(event_id=f"o{n}", event_type="opened", **common)
            EmailEvent.objects.create(event_id=f"c{n}", event_type="clicked", url=LINKS[0 if n < 3 else 1], **common)
        DigestEventCount.objects.create(digest_id=digest.pk, outcomes=5, delivered=5)

    ARTIFACTS.mkdir(exist_ok=True)
    results = f"{live_server.url}/desk/digests/{digest.pk}/results/"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB").new_page()
        page.set_default_timeout(30_000)
        errors: list[str] = []
        # Script errors and refusals of the strict CSP (a missing favicon is neither).
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("console", lambda message: errors.append(message.text)
                if message.type == "error" and "Failed to load resource" not in message.text else None)
        desk_sign_in(page, live_server.url)

        page.click("nav.desk-nav >> text=Results")
        page.screenshot(path=str(ARTIFACTS / "desk-results-list-empty.png"), full_page=True)
        page.goto(results)
        state = page.locator("[data-testid=live-state]")
        expect(state).to_have_attribute("data-phase", "scheduled")
        page.screenshot(path=str(ARTIFACTS / "desk-results-scheduled.png"), full_page=True)

        in_a_thread(preparing)
        expect(state).to_have_attribute("data-phase", "preparing")
        page.screenshot(path=str(ARTIFACTS / "desk-results-preparing.png"), full_page=True)

        in_a_thread(sending)
        expect(state).to_have_attribute("data-phase", "sending")
        sending_summary = page.inner_text("[data-testid=live-summary]")
        page.screenshot(path=str(ARTIFACTS / "desk-results-sending.png"), full_page=True)

        in_a_thread(sent_and_reported)  # it ends, and the provider reports, before the next poll
        expect(page.locator("[data-testid=results-links]")).to_be_visible()  # the page reloaded once, by itself
        expect(state).to_have_attribute("data-phase", "ended")
        status = page.inner_text("[data-testid=live-status]")
        ended_summary = page.inner_text("[data-testid=live-summary]")
        links = page.locator("[data-testid=results-link]").all_inner_texts()
        page.screenshot(path=str(ARTIFACTS / "desk-results-sent.png"), full_page=True)

        page.click("nav.desk-nav >> text=Live sends")
        expect(page.locator("[data-testid=live-heading]")).to_have_text("Finished a moment ago")
        live = page.inner_text("[data-testid=live-send]")
        page.screenshot(path=str(ARTIFACTS / "desk-results-live.png"), full_page=True)

        page.goto(results)
        page.click("text=All results")
        listed = page.inner_text("[data-testid=results-list]")
        page.screenshot(path=str(ARTIFACTS / "desk-results-list.png"), full_page=True)

        phone = browser.new_context(viewport={"width": 375, "height": 812}, locale="ar")
        phone.add_cookies([{"name": "django_language", "value": "ar", "url": live_server.url},
                           *[c for c in page.context.cookies() if c["name"] == "sessionid"]])
        arabic = phone.new_page()
        arabic.goto(results)
        direction = arabic.evaluate("document.documentElement.dir")
        too_wide = arabic.evaluate("document.documentElement.scrollWidth > window.innerWidth")
        arabic.screenshot(path=str(ARTIFACTS / "desk-results-sent-ar-phone.png"), full_page=True)
        browser.close()

    assert "2 of 5 sent" in sending_summary
    assert status == "Sent" and "Sent 5 at" in ended_summary
    # Three readers clicked the petition, two the report: most readers first (readers, then clicks).
    assert links[0].startswith(LINKS[0]) and "\t3\t3" in links[0]
    assert links[1].startswith(LINKS[1]) and "\t2\t2" in links[1]
    assert "Our week for mothers" in live and "Sent 5 at" in live
    assert "Our week for mothers" in listed and "5 (100.0 %)" in listed
    assert direction == "rtl" and not too_wide
    assert errors == []
