"""The dashboard as a person sees it during a real send: headless Chromium on a live server, a real
Celery worker sending through the real anymail Mailgun backend to a local fake Mailgun, throttled so
the send lasts several seconds. Screenshots go to test-artifacts/ (look at them)."""

import threading
from datetime import timedelta

import pytest
from django.db import connections
from django.test import Client
from django.utils import timezone
from playwright.sync_api import sync_playwright

from newsletter.lifecycle import Actor
from newsletter.models import Digest, EditorSettings
from subscribers.models import EmailEvent, Segment, Subscriber, Subscription
from tests.support.fake_mailgun import FakeMailgun
from tests.support.processes import ROOT, start_worker
from tests.worker.factories import make_audience, make_digest, make_list, make_variant
from worker.control import digest_schedule_send
from worker.models import Delivery
from worker.planning import audience_plan
from worker.selectors import digest_account


def _history(mailing_list) -> None:
    """What a dashboard shows on an ordinary day: a digest sent last week with its provider events,
    and one scheduled for next week (the worker leaves it alone: its time has not come)."""
    now = timezone.now()
    sent = make_digest(mailing_list, status=Digest.Status.SENDING, subject="March news from the UN",
                       send_at=now - timedelta(days=7))
    audience_plan(digest=sent, variants=[make_variant(sent)], batch_size=1000)
    Delivery.objects.filter(digest=sent).update(status=Delivery.Status.SENT, sent_at=now - timedelta(days=7))
    Digest.objects.filter(pk=sent.pk).update(status=Digest.Status.SENT, finished_at=now - timedelta(days=7))
    hashes = list(Subscriber.objects.values_list("email_hash", flat=True)[:RECIPIENTS])
    kinds = ["delivered"] * 110 + ["bounced"] * 4 + ["complained"] * 1 + ["unsubscribed"] * 3
    EmailEvent.objects.bulk_create(EmailEvent(event_id=f"ev-{n}", event_type=kind, digest_id=sent.pk, recipient_hash=hashes[n])
                                   for n, kind in enumerate(kinds))
    Subscription.objects.filter(subscriber__email_hash__in=hashes[-3:]).update(
        status=Subscription.Status.UNSUBSCRIBED, unsubscribed_at=now - timedelta(days=6))
    english = Segment.objects.create(mailing_list=mailing_list, name="English readers", filters={"language": ["en"]})
    Segment.objects.create(mailing_list=mailing_list, name="Lebanon", filters={"country": ["LB"]})
    make_digest(mailing_list, status=Digest.Status.SCHEDULED, subject="April news", send_at=now + timedelta(days=3),
                segment=english)


def _send_now(digest_id: int, user_id: int) -> None:
    try:
        digest_schedule_send(digest_id=digest_id, now=True, actor=Actor(user_id=user_id))  # pokes the worker's scan
    finally:
        connections.close_all()


pytestmark = [pytest.mark.browser, pytest.mark.integration, pytest.mark.django_db(transaction=True)]

ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
RECIPIENTS = 120  # active ones; 3 more left last week
# 10 messages a second in batches of 5: about 12 seconds of sending, the bar moving every half second.
THROTTLE = {"SEND_RATE_PER_SECOND": "10", "SEND_BATCH_SIZE": "5"}

_PERCENT = "() => { const f = document.querySelector('#sending .send .fill'); return f ? parseFloat(f.style.width) : -1; }"


def test_it_shows_the_progress_bar_moving_during_a_real_send(live_server, editor, tmp_path):
    mailing_list = make_list(name="Make Mothers Matter – news")
    make_audience(mailing_list, RECIPIENTS + 3)
    digest = make_digest(mailing_list, status=Digest.Status.SCHEDULED, subject="Our news this week")
    _history(mailing_list)
    EditorSettings.objects.create(user=editor, time_zone="Europe/Paris")
    client = Client()
    client.force_login(editor)
    session = client.cookies["sessionid"].value
    ARTIFACTS.mkdir(exist_ok=True)
    first_shot, second_shot = ARTIFACTS / "editorial-dashboard-sending-1.png", ARTIFACTS / "editorial-dashboard-sending-2.png"
    problems: list[str] = []

    with FakeMailgun() as fake:
        worker = start_worker(tmp_path, **THROTTLE, **fake.env())
        try:
            # No database calls in this thread until the browser closes: Playwright's event loop runs here.
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
                context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
                context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
                page = context.new_page()
                # Script errors and Content-Security-Policy refusals show as console errors; a missing
                # file as a failed response (Chromium asks for /favicon.ico by itself: not ours).
                page.on("console", lambda m: problems.append(m.text) if m.type == "error" and "Failed to load" not in m.text
                        else None)
                page.on("pageerror", lambda e: problems.append(str(e)))
                page.on("response", lambda r: problems.append(f"{r.status} {r.url}")
                        if r.status >= 400 and not r.url.endswith("/favicon.ico") else None)
                page.goto(f"{live_server.url}/admin/dashboard/")
                page.wait_for_selector("#sending .empty")  # nothing is sending yet
                # The editor is watching: now the send starts (from another thread, which may use the database).
                send_now = threading.Thread(target=_send_now, args=(digest.pk, editor.pk))
                send_now.start()
                send_now.join()

                try:
                    # The page reloads itself once when the send appears; after that only the bar moves.
                    page.wait_for_function(f"() => {{ const p = ({_PERCENT})(); return p > 0 && p < 60; }}", timeout=60_000)
                    page.evaluate("window.__sameDocument = true")
                    first = page.evaluate(_PERCENT)
                    first_text = page.inner_text("#sending .send")
                    first_text_page = page.inner_text("body")
                    page.screenshot(path=str(first_shot), full_page=True)

                    page.wait_for_function(f"() => ({_PERCENT})() >= {first} + 20", timeout=60_000)
                    second = page.evaluate(_PERCENT)
                    second_text = page.inner_text("#sending .send")
                    page.screenshot(path=str(second_shot), full_page=True)
                    reloaded = page.evaluate("window.__sameDocument !== true")

                    # The send that ended stays in the live view with its final account.
                    page.wait_for_selector("#sending .send.finished", timeout=90_000)
                    final_text = page.inner_text("#sending .send.finished")
                    finished_text = page.inner_text("#finished")
                    page.screenshot(path=str(ARTIFACTS / "editorial-dashboard-sent.png"), full_page=True)
                except Exception:
                    page.screenshot(path=str(ARTIFACTS / "editorial-dashboard-failure.png"), full_page=True)
                    seen = page.inner_text("body")[:3000]
                    raise AssertionError(f"{page.url}\n{seen}\n{problems}\n{worker.log_tail()}") from None
                browser.close()
        finally:
            worker.stop()

    assert not reloaded, "the progress moved without a page reload"
    assert 0 < first < second <= 100
    assert f"of {RECIPIENTS} sent" in first_text and "messages/s" in first_text and "about" in first_text
    assert "Pause" in first_text and "Cancel" in first_text
    assert first_text != second_text
    assert "Our news this week" in finished_text  # the finished send is also in "Last sent"
    assert "Our news this week" in final_text and f"Sent {RECIPIENTS} at" in final_text
    assert "time zone: europe/paris" in first_text_page.lower() and "April news" in first_text_page
    assert not problems, problems  # no script errors, no Content-Security-Policy refusals
    assert first_shot.stat().st_size > 10_000 and second_shot.stat().st_size > 10_000
    assert digest_account(digest_id=digest.pk)["sent"] == RECIPIENTS
    assert len(fake.by_recipient()) == RECIPIENTS


@pytest.mark.parametrize(("locale", "direction", "heading"), [("fr-FR", "ltr", "Envoi en cours"), ("ar", "rtl", "يُرسل الآن")])
def test_it_reads_in_french_and_arabic_without_script_errors(live_server, editor, locale, direction, heading):
    mailing_list = make_list(name="Liban")
    make_audience(mailing_list, RECIPIENTS + 3)
    _history(mailing_list)
    sending = make_digest(mailing_list, status=Digest.Status.SENDING, subject="Nouvelles de la semaine")
    audience_plan(digest=sending, variants=[make_variant(sending)], batch_size=1000)
    session = _session(editor)  # the database, before Playwright's event loop holds this thread
    ARTIFACTS.mkdir(exist_ok=True)
    problems: list[str] = []

    with sync_playwright() as p:
        browser, page = _open_page(p, live_server=live_server, session=session, problems=problems,
                                   locale=locale, viewport={"width": 1024, "height": 800})
        page.goto(f"{live_server.url}/admin/dashboard/")
        page.wait_for_function("() => /\\d/.test(document.querySelector('#sending [data-field=updated]').textContent)")
        page.screenshot(path=str(ARTIFACTS / f"editorial-dashboard-{locale}.png"), full_page=True)
        direction_seen = page.evaluate("document.documentElement.dir")
        body = page.inner_text("body")
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        browser.close()

    assert direction_seen == direction and heading in body
    assert overflow <= 0  # nothing sticks out sideways
    assert not problems, problems


def _in_thread(work, *args) -> None:
    """Database work while Playwright's event loop holds this thread."""
    def run():
        try:
            work(*args)
        finally:
            connections.close_all()
    thread = threading.Thread(target=run)
    thread.start()
    thread.join()


def _schedule(mailing_list, subject: str) -> None:
    make_digest(mailing_list, status=Digest.Status.SCHEDULED, subject=subject, send_at=timezone.now() + timedelta(minutes=10))


def _send_in_no_time(mailing_list, subject: str) -> None:
    """A send that starts and ends between two polls of the page."""
    digest = make_digest(mailing_list, status=Digest.Status.SENDING, subject=subject)
    audience_plan(digest=digest, variants=[make_variant(digest)], batch_size=1000)
    Delivery.objects.filter(digest=digest).update(status=Delivery.Status.SENT, sent_at=timezone.now())
    Digest.objects.filter(pk=digest.pk).update(status=Digest.Status.SENT, started_at=timezone.now(),
                                               finished_at=timezone.now())


def _session(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def _open_page(p, *, live_server, session: str, problems: list[str], locale: str = "en-GB",
               viewport: dict | None = None):
    """A logged-in Chromium page that notes script errors and Content-Security-Policy refusals in `problems`."""
    browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
    context = browser.new_context(viewport=viewport or {"width": 1280, "height": 900}, locale=locale)
    context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
    page = context.new_page()
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" and "Failed to load" not in m.text else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    return browser, page


def test_it_follows_digests_scheduled_and_sent_after_the_page_was_opened(live_server, editor):
    mailing_list = make_list(name="Small list")
    make_audience(mailing_list, 3)
    session = _session(editor)  # the database, before Playwright's event loop holds this thread
    ARTIFACTS.mkdir(exist_ok=True)
    problems: list[str] = []

    with sync_playwright() as p:
        browser, page = _open_page(p, live_server=live_server, session=session, problems=problems)
        page.goto(f"{live_server.url}/admin/dashboard/")
        page.wait_for_selector("#sending .empty")
        scheduled_before = page.inner_text("#scheduled")

        _in_thread(_schedule, mailing_list, "Scheduled while watching")
        page.wait_for_function("() => document.querySelector('#scheduled').textContent.includes('Scheduled while watching')",
                               timeout=30_000)
        _in_thread(_send_in_no_time, mailing_list, "Sent in no time")
        page.wait_for_selector("#sending .send.finished", timeout=30_000)
        final_text = page.inner_text("#sending .send.finished")
        page.screenshot(path=str(ARTIFACTS / "editorial-dashboard-short-send.png"), full_page=True)
        browser.close()

    assert "Scheduled while watching" not in scheduled_before
    assert "Sent in no time" in final_text and "Sent 3 at" in final_text
    assert not problems, problems
