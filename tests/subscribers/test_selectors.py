from datetime import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from subscribers.models import EmailEvent, Segment, Subscriber
from subscribers.segments import SegmentFilterError
from subscribers.selectors import audience_count, audience_subscriber_ids
from subscribers.services import suppression_add
from tests.subscribers.factories import make_list, make_subscriber, make_topic, subscribe

pytestmark = pytest.mark.django_db


def _ids(list_id, segment_id=None) -> set[int]:
    audience = audience_subscriber_ids(list_id=list_id, segment_id=segment_id)
    return set(Subscriber.objects.filter(id__in=audience).values_list("id", flat=True))


def test_it_returns_only_active_unsuppressed_subscribers_of_the_list():
    news, other = make_list(), make_list()
    active = make_subscriber("Active@Example.org")
    subscribe(active, news)
    pending = make_subscriber()
    subscribe(pending, news, status="pending")
    gone = make_subscriber()
    subscribe(gone, news, status="unsubscribed")
    elsewhere = make_subscriber()
    subscribe(elsewhere, other)
    bounced = make_subscriber("bounced@example.org")
    subscribe(bounced, news)
    suppression_add(email="BOUNCED@example.org ", reason="hard_bounce")

    assert _ids(news.id) == {active.id}
    assert active.email == "active@example.org"


def test_it_is_one_query_usable_as_a_subquery():
    news = make_list()
    for _ in range(3):
        subscribe(make_subscriber(), news)
    with CaptureQueriesContext(connection) as queries:
        count = Subscriber.objects.filter(id__in=audience_subscriber_ids(list_id=news.id)).count()
    assert count == 3
    # one to read the list row (for its tracking flag), one for the audience itself
    assert len(queries) == 2


def test_it_applies_language_country_and_topic_filters():
    news = make_list()
    health, work = make_topic("health"), make_topic("work")
    a = make_subscriber(language="fr", country="LB", topics=[health, work])
    b = make_subscriber(language="fr", country="MA", topics=[health])
    c = make_subscriber(language="en", country="LB", topics=[work])
    for s in (a, b, c):
        subscribe(s, news)

    def seg(filters):
        return Segment.objects.create(mailing_list=news, name=str(filters), filters=filters).id

    assert _ids(news.id, seg({"language": ["fr"]})) == {a.id, b.id}
    assert _ids(news.id, seg({"country": ["lb"]})) == {a.id, c.id}
    assert _ids(news.id, seg({"topics_any": ["health", "work"]})) == {a.id, b.id, c.id}
    assert _ids(news.id, seg({"topics_all": ["health", "work"]})) == {a.id}
    assert _ids(news.id, seg({"language": "fr", "country": ["MA"]})) == {b.id}


def test_it_filters_on_signup_date_custom_attributes_and_other_lists():
    news, lebanon = make_list(), make_list(slug="lebanon")
    early = make_subscriber(attributes={"member": "yes", "chapter": 3})
    late = make_subscriber(attributes={"member": "no"})
    subscribe(early, news, confirmed_at=timezone.make_aware(datetime(2025, 1, 10)))
    subscribe(late, news, confirmed_at=timezone.make_aware(datetime(2025, 6, 10)))
    subscribe(late, lebanon)

    def seg(filters):
        return Segment.objects.create(mailing_list=news, name=str(filters), filters=filters).id

    assert _ids(news.id, seg({"subscribed_before": "2025-03-01"})) == {early.id}
    assert _ids(news.id, seg({"subscribed_after": "2025-03-01"})) == {late.id}
    assert _ids(news.id, seg({"attributes": {"member": "yes"}})) == {early.id}
    assert _ids(news.id, seg({"attributes": {"chapter": 3}})) == {early.id}
    assert _ids(news.id, seg({"lists_any": ["lebanon"]})) == {late.id}


@time_machine.travel(datetime(2026, 3, 1, 12, 0), tick=False)
def test_it_filters_on_engagement_from_provider_events_when_the_list_allows_tracking():
    news = make_list(tracking_enabled=True)
    reader, clicker, idle = make_subscriber(), make_subscriber(), make_subscriber()
    for s in (reader, clicker, idle):
        subscribe(s, news)
    now = timezone.now()
    EmailEvent.objects.create(event_id="e1", event_type="opened", recipient_hash=reader.email_hash,
                              occurred_at=now - timezone.timedelta(days=3))
    EmailEvent.objects.create(event_id="e2", event_type="opened", recipient_hash=idle.email_hash,
                              occurred_at=now - timezone.timedelta(days=60))
    EmailEvent.objects.create(event_id="e3", event_type="clicked", recipient_hash=clicker.email_hash,
                              occurred_at=now - timezone.timedelta(days=1))

    opened = Segment.objects.create(mailing_list=news, name="o", filters={"opened_within_days": 30})
    clicked = Segment.objects.create(mailing_list=news, name="c", filters={"clicked_within_days": 7})
    assert _ids(news.id, opened.id) == {reader.id}
    assert _ids(news.id, clicked.id) == {clicker.id}
    assert audience_count(list_id=news.id, filters={"opened_within_days": 90}) == 2


def test_it_refuses_engagement_filters_when_tracking_is_off_and_unknown_keys():
    news = make_list(tracking_enabled=False)
    with pytest.raises(SegmentFilterError, match="tracking"):
        audience_count(list_id=news.id, filters={"opened_within_days": 30})
    with pytest.raises(SegmentFilterError, match="Unknown filter 'colour'"):
        audience_count(list_id=news.id, filters={"colour": "red"})
    with pytest.raises(SegmentFilterError, match="Unknown topic nope"):
        audience_count(list_id=news.id, filters={"topics_any": ["nope"]})
