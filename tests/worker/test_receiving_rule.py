"""Who may receive a list's mail is defined once (subscribers.selectors.receiving): the planned audience and the
SQL recheck of each batch before it is sent (worker.sql.recipients) must agree on every kind of row."""

import pytest

from newsletter.models import Digest
from subscribers import sql
from subscribers.models import Subscription, Suppression
from subscribers.selectors import audience_subscribers, suppressions
from tests.worker.factories import make_audience, make_digest, make_list, make_variant
from worker import sql as worker_sql
from worker.planning import audience_plan

pytestmark = pytest.mark.django_db


def test_it_sends_to_whom_the_audience_rule_names_in_the_orm_and_in_the_worker_sql():
    news, other = make_list(), make_list()
    readers = make_audience(news, 6)
    digest = make_digest(news, status=Digest.Status.SENDING)
    [batch_id] = audience_plan(digest=digest, variants=[make_variant(digest)], batch_size=10).batch_ids
    active, pending, unsubscribed, bounced, erased, elsewhere = readers
    # Since planning: each leaves the audience in another way, but `active`.
    Subscription.objects.filter(subscriber=pending).update(status=Subscription.Status.PENDING)
    Subscription.objects.filter(subscriber=unsubscribed).update(status=Subscription.Status.UNSUBSCRIBED)
    Suppression.objects.create(email_hash=bounced.email_hash, reason=Suppression.Reason.HARD_BOUNCE)
    Suppression.objects.create(email_hash=erased.email_hash, reason=Suppression.Reason.ERASED)
    Subscription.objects.filter(subscriber=elsewhere).update(status=Subscription.Status.UNSUBSCRIBED)
    Subscription.objects.create(subscriber=elsewhere, mailing_list=other, status=Subscription.Status.ACTIVE)

    rows = worker_sql.recipients(batch_id=batch_id, list_id=news.id)

    receiving_in_sql = {subscriber_id for _, subscriber_id, _, _, gone in rows if not gone}
    receiving_in_orm = set(audience_subscribers(list_id=news.id).values_list("id", flat=True))
    assert len(rows) == 6
    assert receiving_in_sql == receiving_in_orm == {active.id}


def test_it_finds_the_same_suppression_in_the_orm_and_in_the_subscribe_sql():
    bounced, erased, clear = make_audience(make_list(), 3)
    Suppression.objects.create(email_hash=bounced.email_hash, reason=Suppression.Reason.HARD_BOUNCE)
    Suppression.objects.create(email_hash=erased.email_hash, reason=Suppression.Reason.ERASED)

    for person in (bounced, erased, clear):
        in_orm = suppressions(person.email_hash).values_list("reason", flat=True).first()
        assert sql.suppression_reason(email_hash=person.email_hash) == in_orm
    assert [sql.suppression_reason(email_hash=p.email_hash) for p in (bounced, erased, clear)] == [
        "hard_bounce", "erased", None]
    assert set(suppressions([bounced.email_hash, clear.email_hash])) == set(suppressions(bounced.email_hash))
