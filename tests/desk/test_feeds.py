"""The desk's feeds: adding a feed imports it at once (on the feeds queue once the save commits, the admin's
service) and its page shows what came in, or the problem; while waiting, the page asks again by itself."""

from __future__ import annotations

import pytest

from newsletter.models import Feed, NewsItem
from tests.newsletter.factories import make_list
from tests.newsletter.feedserver import rss
from tests.support.organisations import make_organisation

pytestmark = pytest.mark.django_db

ENTRIES = [
    {"title": "CSW69", "link": "https://mmm.example/csw", "guid": "csw", "date": "Thu, 17 Apr 2025 09:00:00 GMT",
     "description": "d"},
    {"title": "HLPF", "link": "https://mmm.example/hlpf", "guid": "hlpf", "date": "Tue, 02 Jul 2024 09:00:00 GMT",
     "description": "d"},
    {"title": "", "link": "https://mmm.example/untitled", "guid": "untitled", "date": "Tue, 02 Jul 2024 09:00:00 GMT",
     "description": "no title: a problem, not an item"},
]  # fmt: skip


def test_it_imports_a_new_feed_at_once_and_shows_what_came_in(editor_client, feed_server, run_after_commit):
    mailing_list = make_list()
    url = feed_server.serve("/rss", rss(*ENTRIES))

    with run_after_commit():
        added = editor_client.post("/desk/feeds/new/", {"url": url, "name": "MMM news", "mailing_list": mailing_list.pk,
                                                        "language": ""})
        fetched_during_the_request = list(feed_server.requests)
    page = editor_client.get(added["Location"]).content.decode()

    feed = Feed.objects.get(url=url)
    assert added.status_code == 302 and added["Location"] == f"/desk/feeds/{feed.pk}/"
    assert fetched_during_the_request == []
    assert set(NewsItem.objects.filter(source=feed.source).values_list("title", flat=True)) == {"CSW69", "HLPF"}
    assert "2 items imported" in page and "1 problem" in page
    assert "CSW69" in page and "HLPF" in page and "hx-trigger" not in page


def test_it_shows_a_waiting_feed_that_asks_again_until_the_import_ended(editor_client, feed_server, monkeypatch):
    queued = []
    monkeypatch.setattr("newsletter.tasks.feeds_poll_enqueue", queued.append)
    url = feed_server.serve("/rss", rss(*ENTRIES))

    added = editor_client.post("/desk/feeds/new/", {"url": url, "mailing_list": make_list().pk, "language": ""})
    page = editor_client.get(added["Location"]).content.decode()
    feed = Feed.objects.get(url=url)
    status = editor_client.get(f"/desk/feeds/{feed.pk}/status/").content.decode()

    assert queued == [[feed.pk]]
    assert f'hx-get="/desk/feeds/{feed.pk}/status/"' in page and 'hx-trigger="every 2s"' in page
    assert "Importing the feed" in status and "<html" not in status
    assert "waiting for the first import" in editor_client.get("/desk/feeds/").content.decode()


def test_it_shows_a_clear_problem_when_the_feed_cannot_be_fetched(editor_client, feed_server, run_after_commit):
    with run_after_commit():
        added = editor_client.post("/desk/feeds/new/", {"url": feed_server.url("/missing"),
                                                        "mailing_list": make_list().pk, "language": ""})
    page = editor_client.get(added["Location"]).content.decode()

    assert "The last import did not work" in page and "HTTP 404" in page
    assert "hx-trigger" not in page


def test_it_refuses_the_same_feed_twice_on_one_list(editor_client, feed_server, monkeypatch):
    monkeypatch.setattr("newsletter.tasks.feeds_poll_enqueue", lambda ids: None)
    mailing_list = make_list()
    data = {"url": feed_server.serve("/rss", rss(*ENTRIES)), "mailing_list": mailing_list.pk, "language": ""}
    editor_client.post("/desk/feeds/new/", data)

    again = editor_client.post("/desk/feeds/new/", data)

    assert again.status_code == 200 and "already has this feed" in again.content.decode()
    assert Feed.objects.count() == 1


def test_it_neither_shows_nor_adds_to_another_organisations_feeds(editor_client, monkeypatch):
    monkeypatch.setattr("newsletter.tasks.feeds_poll_enqueue", lambda ids: None)
    theirs = make_list(organisation=make_organisation())
    feed = Feed.objects.create(mailing_list=theirs, url="https://their.example/feed", name="Their feed")

    assert editor_client.get(f"/desk/feeds/{feed.pk}/").status_code == 404
    assert editor_client.get(f"/desk/feeds/{feed.pk}/status/").status_code == 404
    assert "Their feed" not in editor_client.get("/desk/feeds/").content.decode()
    refused = editor_client.post("/desk/feeds/new/", {"url": "https://x.example/feed", "mailing_list": theirs.pk,
                                                      "language": ""})
    assert refused.status_code == 200 and Feed.objects.count() == 1


def test_it_refuses_an_address_that_is_not_a_web_address_through_the_service(monkeypatch):
    from newsletter.importing import feed_add
    from newsletter.services import NewsletterError

    monkeypatch.setattr("newsletter.tasks.feeds_poll_enqueue", lambda ids: None)
    with pytest.raises(NewsletterError):
        feed_add(mailing_list_id=make_list().pk, url="file:///etc/passwd")
    assert not Feed.objects.exists()
