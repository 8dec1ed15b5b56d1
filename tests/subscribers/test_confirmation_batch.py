"""A drain decides the confirmation emails of its claim all at once: the same answer as each link alone, in a
number of queries that does not grow with the claim, and still nobody who left after asking gets one."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from subscribers import queued_emails, selectors
from subscribers.models import QueuedEmail, Subscription, Suppression
from subscribers.tokens import ConfirmLink
from tests.subscribers.factories import make_list, make_subscriber, subscribe

pytestmark = pytest.mark.django_db


def _queue(subscriber, lists, *, requested_at=None) -> QueuedEmail:
    return QueuedEmail.objects.create(kind=QueuedEmail.Kind.CONFIRMATION, subscriber=subscriber,
                                      list_ids=[mailing_list.pk for mailing_list in lists], topic_ids=[],
                                      created_at=requested_at or timezone.now())


def test_it_decides_a_batch_of_links_exactly_as_each_link_alone():
    news, campaigns = make_list(), make_list()
    now = timezone.now()
    hour = timedelta(hours=1)
    pending = make_subscriber()
    subscribe(pending, news, status="pending")
    subscribe(pending, campaigns, status="pending")
    left_after_asking = make_subscriber()
    subscribe(left_after_asking, news, status="unsubscribed", unsubscribed_at=now)
    asked_again = make_subscriber()
    subscribe(asked_again, news, status="unsubscribed", unsubscribed_at=now - 2 * hour)
    already_active = make_subscriber()
    subscribe(already_active, news)
    subscribe(already_active, campaigns, status="pending")
    bounced = make_subscriber()
    subscribe(bounced, news)
    subscribe(bounced, campaigns, status="pending")
    Suppression.objects.create(email_hash=bounced.email_hash, reason=Suppression.Reason.HARD_BOUNCE, created_at=now - 2 * hour)
    bounced_after_link = make_subscriber()
    subscribe(bounced_after_link, news)
    Suppression.objects.create(email_hash=bounced_after_link.email_hash, reason=Suppression.Reason.HARD_BOUNCE, created_at=now)
    two_links = make_subscriber()
    subscribe(two_links, news, status="unsubscribed", unsubscribed_at=now - hour)
    legacy = make_subscriber()
    subscribe(legacy, news, status="pending")

    both = [news.pk, campaigns.pk]
    links = [
        ConfirmLink(pending.pk, both, [], now - hour),
        ConfirmLink(left_after_asking.pk, [news.pk], [], now - hour),
        ConfirmLink(asked_again.pk, [news.pk], [], now - hour),
        ConfirmLink(already_active.pk, both, [], now - hour),
        ConfirmLink(bounced.pk, both, [], now - hour),
        ConfirmLink(bounced_after_link.pk, [news.pk], [], now - hour),
        ConfirmLink(two_links.pk, [news.pk], [], now - 2 * hour),  # made before she left: confirms nothing
        ConfirmLink(two_links.pk, [news.pk], [], now),  # her new request
        ConfirmLink(legacy.pk, [news.pk], [], None),
        ConfirmLink(987654, [news.pk], [], now - hour),  # erased
    ]

    alone = [selectors.confirm_link_state(subscriber_id=link.subscriber_id, list_ids=link.list_ids,
                                          requested_at=link.requested_at).confirmable for link in links]
    assert selectors.links_confirmable(links) == alone
    assert alone == [both, [], [news.pk], [campaigns.pk], both, [], [], [news.pk], [news.pk], []]


def _drain_queries(count: int) -> int:
    mailing_list = make_list()
    for _ in range(count):
        person = make_subscriber()
        subscribe(person, mailing_list, status="pending")
        _queue(person, [mailing_list])
    with CaptureQueriesContext(connection) as queries:
        assert queued_emails.queued_emails_send_due() == count
    return len(queries.captured_queries)


def test_it_decides_a_claim_of_confirmations_in_a_fixed_number_of_queries():
    assert _drain_queries(3) == _drain_queries(30)


def test_it_sends_no_confirmation_to_someone_in_the_claim_who_left_after_asking():
    news = make_list()
    stays, leaves = make_subscriber(email="stays@example.org"), make_subscriber(email="leaves@example.org")
    for person in (stays, leaves):
        subscribe(person, news, status="pending")
    asked = timezone.now() - timedelta(minutes=5)
    _queue(stays, [news], requested_at=asked)
    _queue(leaves, [news], requested_at=asked)
    Subscription.objects.filter(subscriber=leaves).update(status="unsubscribed", unsubscribed_at=timezone.now())

    assert queued_emails.queued_emails_send_due() == 1
    assert [message.to for message in mail.outbox] == [["stays@example.org"]]
    assert not QueuedEmail.objects.exists()  # hers is done with too, not retried
    assert Subscription.objects.get(subscriber=leaves).status == "unsubscribed"
