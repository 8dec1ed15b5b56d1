from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from newsletter.models import Digest, DigestItem, NewsItem
from subscribers.models import Segment
from tests.newsletter.factories import make_digest, make_item, make_list
from tests.newsletter.feedserver import rss

pytestmark = pytest.mark.django_db


def test_it_composes_a_digest_from_the_command_line_and_prints_its_id():
    mailing_list = make_list(slug="mmm-news")
    segment = Segment.objects.create(mailing_list=mailing_list, name="French readers", filters={})
    make_digest(mailing_list=mailing_list, status=Digest.Status.SENT, send_at=datetime(2026, 1, 1, tzinfo=UTC))
    old = make_item(mailing_list=mailing_list, published_at=datetime(2026, 1, 10, tzinfo=UTC))
    new = make_item(mailing_list=mailing_list, published_at=datetime.now(UTC) - timedelta(hours=1))
    out = StringIO()

    call_command("compose_digest", "--list", "mmm-news", "--since", "2026-02-01", "--segment", "French readers",
                 stdout=out, stderr=StringIO())

    digest = Digest.objects.get(pk=int(out.getvalue().strip()))
    assert digest.segment == segment and digest.status == Digest.Status.DRAFT
    assert list(DigestItem.objects.filter(digest=digest).values_list("news_item_id", flat=True)) == [new.id]
    assert old.id not in DigestItem.objects.values_list("news_item_id", flat=True)


def test_it_refuses_an_unknown_list_or_segment():
    make_list(slug="known")

    with pytest.raises(CommandError, match="No mailing list"):
        call_command("compose_digest", "--list", "nope")
    with pytest.raises(CommandError, match="no segment"):
        call_command("compose_digest", "--list", "known", "--segment", "nope")


def test_it_imports_a_feed_url_and_a_csv_file_from_the_command_line(feed_server, tmp_path):
    mailing_list = make_list(slug="mmm")
    url = feed_server.serve("/rss", rss({"title": "T", "link": "https://x.org/t", "guid": "g1",
                                         "date": "Thu, 17 Apr 2025 09:00:00 GMT", "description": "d"}))
    csv_path = tmp_path / "items.csv"
    csv_path.write_text("title,link\nCSV item,https://x.org/csv\n")
    out = StringIO()

    call_command("import_news", "--feed", url, "--list", "mmm", stdout=out)
    call_command("import_news", "--feed", url, "--list", "mmm", stdout=out)
    call_command("import_news", "--file", str(csv_path), stdout=out)

    assert out.getvalue().splitlines() == ["1 new, 0 updated", "0 new, 1 updated", "1 new, 0 updated"]
    assert NewsItem.objects.count() == 2
    assert list(NewsItem.objects.get(source_id="g1").mailing_lists.all()) == [mailing_list]


def test_it_fails_loudly_on_a_broken_feed(feed_server):
    url = feed_server.serve("/bad", "this is not xml", content_type="text/plain")

    with pytest.raises(CommandError, match="Not"):
        call_command("import_news", "--feed", url)
