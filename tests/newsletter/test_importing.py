from pathlib import Path

import pytest

from newsletter.importing import csv_import, feed_import_file, feed_poll, feeds_claim_due
from newsletter.models import Feed, ImportProblem, NewsItem
from newsletter.services import NewsletterError
from tests.newsletter.factories import make_list
from tests.newsletter.feedserver import rss

pytestmark = pytest.mark.django_db

ITEMS = [
    {
        "title": "CSW69: mothers at the UN",
        "link": "https://makemothersmatter.org/csw69",
        "guid": "mmm-1",
        "date": "Thu, 17 Apr 2025 09:00:00 GMT",
        "description": "At this year's 69th session &lt;script&gt;alert(1)&lt;/script&gt;&lt;b onclick=\"x()\"&gt;CSW&lt;/b&gt;",
    },
    {
        "title": "HLPF side-event",
        "link": "https://makemothersmatter.org/hlpf",
        "guid": "mmm-2",
        "date": "Tue, 02 Jul 2024 09:00:00 GMT",
        "description": "Register now.",
    },
]


def _feed(feed_server, body, path="/feed.xml"):
    url = feed_server.serve(path, body)
    return Feed.objects.create(mailing_list=make_list(), url=url)


def test_it_imports_the_same_feed_twice_storing_each_item_once(feed_server):
    feed = _feed(feed_server, rss(*ITEMS))

    first = feed_poll(feed_id=feed.id)
    Feed.objects.filter(pk=feed.pk).update(etag="")  # force a full second fetch, not a 304
    second = feed_poll(feed_id=feed.id)

    assert (first.created, first.updated) == (2, 0)
    assert (second.created, second.updated) == (0, 2)
    assert NewsItem.objects.count() == 2
    item = NewsItem.objects.get(source_id="mmm-1")
    assert item.source == f"feed:{feed.url}"
    assert list(item.mailing_lists.all()) == [feed.mailing_list]
    assert item.published_at.year == 2025
    assert "<script" not in item.body_html and "onclick" not in item.body_html
    assert "<b>CSW</b>" in item.body_html


def test_it_sends_the_etag_back_and_imports_nothing_on_304(feed_server):
    feed = _feed(feed_server, rss(*ITEMS))
    feed_poll(feed_id=feed.id)

    result = feed_poll(feed_id=feed.id)

    assert result.not_modified
    feed.refresh_from_db()
    assert feed.etag and feed.modified == "Mon, 23 Nov 2026 08:00:00 GMT"
    assert feed_server.requests[-1]["if-none-match"] == feed.etag
    assert feed_server.requests[-1]["if-modified-since"] == feed.modified


def test_it_records_a_malformed_feed_on_the_feed_and_imports_nothing(feed_server):
    feed = _feed(feed_server, "<html><body>This is not a feed<p>", path="/broken")

    result = feed_poll(feed_id=feed.id)

    feed.refresh_from_db()
    assert result.error
    assert feed.last_error.startswith("Not")
    assert feed.last_polled_at is not None
    assert NewsItem.objects.count() == 0


def test_it_records_an_unreachable_feed(feed_server):
    feed = Feed.objects.create(mailing_list=make_list(), url=feed_server.url("/missing.xml"))

    feed_poll(feed_id=feed.id)

    feed.refresh_from_db()
    assert "HTTP 404" in feed.last_error


def test_it_records_a_malformed_entry_and_still_imports_the_good_ones(feed_server):
    bad_link = {**ITEMS[1], "guid": "mmm-bad", "link": "not a link at all"}
    no_title = {**ITEMS[1], "guid": "mmm-untitled", "title": ""}
    feed = _feed(feed_server, rss(ITEMS[0], bad_link, no_title))

    result = feed_poll(feed_id=feed.id)

    assert result.created == 1
    assert list(NewsItem.objects.values_list("source_id", flat=True)) == ["mmm-1"]
    problems = {p.reference: p.reason for p in ImportProblem.objects.filter(feed=feed)}
    assert set(problems) == {"mmm-bad", "mmm-untitled"}
    assert "link" in problems["mmm-bad"].lower()
    assert problems["mmm-untitled"] == "The entry has no title."
    feed.refresh_from_db()
    assert feed.last_error == ""


def test_it_claims_each_due_feed_once(feed_server):
    feed = _feed(feed_server, rss(*ITEMS))

    assert feeds_claim_due() == [feed.id]
    assert feeds_claim_due() == []


def test_it_imports_a_feed_file_idempotently(tmp_path: Path):
    path = tmp_path / "news.xml"
    path.write_text(rss(*ITEMS))

    feed_import_file(path=path)
    feed_import_file(path=path)

    assert NewsItem.objects.filter(source="file:news.xml").count() == 2


CSV = """title,published,dateline,summary,link,language,translation_key,source_id
Mothers at the heart of change,03.05.18,Casablanca,Conference on mothers and peace,https://example.org/peace,en,peace,p-1
Les mères au cœur du changement,2018-05-03,Casablanca,Conférence,https://example.org/fr/peace,fr,peace,p-1-fr
"""


def test_it_imports_csv_rows_idempotently():
    mailing_list = make_list()

    first = csv_import(text=CSV, mailing_list_ids=[mailing_list.id])
    second = csv_import(text=CSV, mailing_list_ids=[mailing_list.id])

    assert (first.created, second.created, second.updated) == (2, 0, 2)
    item = NewsItem.objects.get(source_id="p-1")
    assert (item.dateline, item.published_at.date().isoformat()) == ("Casablanca", "2018-05-03")
    assert NewsItem.objects.get(source_id="p-1-fr").language == "fr"


def test_it_refuses_a_csv_with_a_bad_row_and_writes_nothing():
    text = CSV + "No date that works,31.31.31,,,https://example.org/x,en,,x-1\n,,,,,,,\n"

    with pytest.raises(NewsletterError) as error:
        csv_import(text=text)

    assert "line 4" in str(error.value) and "line 5" in str(error.value)
    assert NewsItem.objects.count() == 0


def test_it_refuses_a_feed_larger_than_the_limit(feed_server, settings):
    settings.FEED_FETCH_MAX_BYTES = 1024
    feed = _feed(feed_server, rss(*ITEMS * 10))

    result = feed_poll(feed_id=feed.id)

    feed.refresh_from_db()
    assert result.error == "The feed could not be fetched: it is too large." and feed.last_error == result.error
    assert NewsItem.objects.count() == 0


ATOM_IN_FRENCH = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fr">
<title>OUM-Action</title><id>urn:oum:feed</id><updated>2025-04-17T09:00:00Z</updated>
<entry xml:lang="ar"><title>الأمهات في الأمم المتحدة</title><id>urn:oum:ar</id><link href="https://oum.example/ar"/><updated>2025-04-17T09:00:00Z</updated>
<summary>ملخص</summary></entry>
<entry><title>Les mères à l’ONU</title><id>urn:oum:fr</id><link href="https://oum.example/fr"/><updated>2025-04-17T09:00:00Z</updated><summary>Résumé</summary></entry>
<entry xml:lang="de"><title>Mütter bei der UNO</title><id>urn:oum:de</id><link href="https://oum.example/de"/><updated>2025-04-17T09:00:00Z</updated>
<summary>Zusammenfassung</summary></entry>
</feed>"""

RSS_ITEM_LANGUAGES = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>MMM</title><link>https://makemothersmatter.org/</link><description>News</description>
<item><title>خبر</title><guid>rss-ar</guid><link>https://mmm.example/rss-ar</link><dc:language>ar-EG</dc:language></item>
<item><title>Nouvelle</title><guid>rss-fr</guid><link>https://mmm.example/rss-fr</link><language>fr</language></item>
<item><title>Nachricht</title><guid>rss-de</guid><link>https://mmm.example/rss-de</link><dc:language>de</dc:language></item>
<item><title>No language</title><guid>rss-none</guid><link>https://mmm.example/rss-none</link></item>
</channel></rss>"""


def _languages() -> dict[str, str]:
    return dict(NewsItem.objects.values_list("source_id", "language"))


def test_it_stores_an_atom_entry_in_its_own_xml_lang_over_the_feeds_language(feed_server):
    feed = Feed.objects.create(mailing_list=make_list(), language="fr",
                               url=feed_server.serve("/atom", ATOM_IN_FRENCH, "application/atom+xml; charset=utf-8"))

    result = feed_poll(feed_id=feed.id)

    assert (result.created, result.problems) == (3, [])
    # An entry in a language the site does not offer keeps the feed's.
    assert _languages() == {"urn:oum:ar": "ar", "urn:oum:fr": "fr", "urn:oum:de": "fr"}


def test_it_stores_an_rss_item_in_its_own_language_over_the_feeds_configured_one(feed_server):
    feed = Feed.objects.create(mailing_list=make_list(), language="en", url=feed_server.serve("/rss", RSS_ITEM_LANGUAGES))

    feed_poll(feed_id=feed.id)

    assert _languages() == {"rss-ar": "ar", "rss-fr": "fr", "rss-de": "en", "rss-none": "en"}


def test_it_checks_an_entrys_language_against_the_sites_languages(feed_server, settings):
    settings.LANGUAGES = [("en", "English"), ("fr", "Français")]
    feed = Feed.objects.create(mailing_list=make_list(), language="fr",
                               url=feed_server.serve("/atom", ATOM_IN_FRENCH, "application/atom+xml; charset=utf-8"))

    feed_poll(feed_id=feed.id)

    assert _languages()["urn:oum:ar"] == "fr"
