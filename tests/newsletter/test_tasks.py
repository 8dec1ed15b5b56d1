from datetime import time, timedelta

import pytest
from django.utils import timezone

from newsletter.models import Digest, Feed, NewsItem, RecurringDigest
from newsletter.tasks import poll_due_feeds, run_due_recurring_digests
from tests.newsletter.factories import make_list
from tests.newsletter.feedserver import rss
from tests.support.processes import wait_until

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_it_polls_due_feeds_and_runs_recurring_digests_in_a_real_worker(celery_worker_process, feed_server):
    mailing_list = make_list()
    url = feed_server.serve("/rss", rss({"title": "CSW69", "link": "https://x.org/csw", "guid": "csw",
                                         "date": "Thu, 17 Apr 2025 09:00:00 GMT", "description": "d"}))
    Feed.objects.create(mailing_list=mailing_list, url=url)
    RecurringDigest.objects.create(
        mailing_list=mailing_list, cadence="daily", time_of_day=time(8, 0), subject="Daily {date}",
        next_run_at=timezone.now() - timedelta(minutes=1),
    )

    poll_due_feeds.delay()
    item = wait_until(lambda: NewsItem.objects.filter(source_id="csw").first(), timeout=30, what="the feed import")
    run_due_recurring_digests.delay()
    digest = wait_until(lambda: Digest.objects.filter(mailing_list=mailing_list).first(), timeout=30, what="the digest")

    assert list(digest.items.all()) == [item]
    assert digest.status == Digest.Status.DRAFT
