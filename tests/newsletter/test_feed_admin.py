"""An editor adds a feed in the admin: it is imported at once (on the feeds queue, after the save commits) and the
feed's list says what came in, with links to the items and the problems."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.test import Client

from editorial.roles import EDITOR, roles_apply
from editorial.services import user_grant_role, user_join_organisation
from newsletter.models import Feed, ImportProblem, NewsItem
from tests.newsletter.factories import make_list
from tests.newsletter.feedserver import rss
from tests.support.organisations import default_organisation

pytestmark = pytest.mark.django_db

ENTRIES = [
    {"title": "CSW69", "link": "https://mmm.example/csw", "guid": "csw", "date": "Thu, 17 Apr 2025 09:00:00 GMT",
     "description": "d"},
    {"title": "HLPF", "link": "https://mmm.example/hlpf", "guid": "hlpf", "date": "Tue, 02 Jul 2024 09:00:00 GMT",
     "description": "d"},
    {"title": "", "link": "https://mmm.example/untitled", "guid": "untitled", "date": "Tue, 02 Jul 2024 09:00:00 GMT",
     "description": "no title: a problem, not an item"},
]  # fmt: skip


@pytest.fixture
def editor_client() -> Client:
    """An Editor of the organisation the factories give every list: she sees the feed's list."""
    roles_apply(group_model=Group, permission_model=Permission)
    user = get_user_model().objects.create_user(username="edith", email="edith@example.org", password="pw")
    user_grant_role(user_id=user.pk, role=EDITOR)
    user_join_organisation(user_id=user.pk, organisation_id=default_organisation().pk)
    client = Client()
    client.force_login(get_user_model().objects.get(pk=user.pk))
    return client


def _add_feed(client: Client, mailing_list, url: str):
    return client.post("/admin/newsletter/feed/add/", {
        "mailing_list": mailing_list.pk, "name": "MMM news", "url": url, "language": "", "is_active": "on",
        "problems-TOTAL_FORMS": "0", "problems-INITIAL_FORMS": "0",
    })  # fmt: skip


def test_it_imports_a_new_feed_when_the_editor_saves_it_and_says_what_came_in(
    editor_client, feed_server, django_capture_on_commit_callbacks, eager_tasks
):
    mailing_list = make_list()
    url = feed_server.serve("/rss", rss(*ENTRIES))

    with django_capture_on_commit_callbacks(execute=True):
        saved = _add_feed(editor_client, mailing_list, url)
        fetched_during_the_request = list(feed_server.requests)
    feeds_page = editor_client.get("/admin/newsletter/feed/")

    feed = Feed.objects.get(url=url)
    assert saved.status_code == 302, saved.content.decode()[:2000]
    assert fetched_during_the_request == []  # polled on the feeds queue once the save committed
    assert set(NewsItem.objects.filter(source=feed.source).values_list("source_id", flat=True)) == {"csw", "hlpf"}
    assert ImportProblem.objects.filter(feed=feed).count() == 1
    page = feeds_page.content.decode()
    assert "Importing the feed “MMM news” in the background" in page
    assert "2 items imported" in page and "1 problem" in page
    assert f"/admin/newsletter/importproblem/?feed__id__exact={feed.pk}" in page


def test_it_says_a_new_feed_is_waiting_until_its_first_import_has_run(editor_client, feed_server, monkeypatch):
    queued = []
    monkeypatch.setattr("newsletter.tasks.feeds_poll_enqueue", queued.append)
    url = feed_server.serve("/rss", rss(*ENTRIES))

    _add_feed(editor_client, make_list(), url)
    page = editor_client.get("/admin/newsletter/feed/").content.decode()

    assert queued == [[Feed.objects.get(url=url).pk]]
    assert "waiting for the first import" in page


def test_it_does_not_import_again_when_an_existing_feed_is_changed(editor_client, feed_server, monkeypatch):
    queued = []
    monkeypatch.setattr("newsletter.tasks.feeds_poll_enqueue", queued.append)
    mailing_list = make_list()
    feed = Feed.objects.create(mailing_list=mailing_list, url=feed_server.serve("/rss", rss(*ENTRIES)))

    changed = editor_client.post(f"/admin/newsletter/feed/{feed.pk}/change/", {
        "mailing_list": mailing_list.pk, "name": "Renamed", "url": feed.url, "language": "fr",
        "problems-TOTAL_FORMS": "0", "problems-INITIAL_FORMS": "0",
    })  # fmt: skip

    assert changed.status_code == 302
    assert queued == []
