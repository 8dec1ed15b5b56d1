from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from newsletter.models import Digest
from subscribers.models import Subscription, Suppression
from subscribers.services import suppression_add
from tests.support.concurrency import run_together
from tests.worker.factories import make_audience, make_digest, make_list, make_variant
from worker.models import Batch, Delivery, DigestSend
from worker.planning import audience_plan, batches_cut, deliveries_plan, digest_prepare, digests_claim_due

pytestmark = [pytest.mark.django_db]


def test_it_claims_a_due_digest_and_leaves_future_ones_scheduled():
    mailing_list = make_list()
    due = make_digest(mailing_list, send_at=timezone.now() - timedelta(minutes=1))
    later = make_digest(mailing_list, send_at=timezone.now() + timedelta(hours=1))

    claimed = digests_claim_due()

    assert claimed == [due.id]
    due.refresh_from_db()
    later.refresh_from_db()
    assert due.status == Digest.Status.PREPARING and due.started_at is not None
    assert later.status == Digest.Status.SCHEDULED
    assert DigestSend.objects.get(digest=due).claimed_at is not None


def test_it_leaves_a_digest_scheduled_long_ago_waiting_for_an_editor():
    mailing_list = make_list()
    stale = make_digest(mailing_list, send_at=timezone.now() - timedelta(hours=7))

    assert digests_claim_due() == []

    stale.refresh_from_db()
    assert stale.status == Digest.Status.NEEDS_CONFIRMATION
    assert "confirm" in stale.status_detail


@pytest.mark.django_db(transaction=True)
def test_it_lets_only_one_of_two_simultaneous_scans_claim_a_digest():
    digest = make_digest(make_list(), send_at=timezone.now() - timedelta(seconds=5))
    results = run_together(digests_claim_due, times=2)
    assert sorted(results, key=len) == [[], [digest.id]]


def test_it_plans_one_delivery_per_audience_member_in_her_language_or_the_list_default():
    mailing_list = make_list(default_language="en")
    english = make_audience(mailing_list, 3, language="en")
    french = make_audience(mailing_list, 2, language="fr")
    arabic = make_audience(mailing_list, 1, language="ar")  # no Arabic variant in this digest
    make_audience(mailing_list, 2, status="unsubscribed")
    make_audience(mailing_list, 1, status="pending")
    suppressed = make_audience(mailing_list, 1)[0]
    suppression_add(email=suppressed.email, reason=Suppression.Reason.COMPLAINT)
    digest = make_digest(mailing_list, status=Digest.Status.PREPARING)
    variants = [make_variant(digest, language="en"), make_variant(digest, language="fr")]

    total = deliveries_plan(digest=digest, variants=variants)
    again = deliveries_plan(digest=digest, variants=variants)

    assert total == again == 6
    languages = dict(Delivery.objects.filter(digest=digest).values_list("subscriber_id", "language"))
    assert {languages[s.id] for s in english} == {"en"}
    assert {languages[s.id] for s in french} == {"fr"}
    assert languages[arabic[0].id] == "en"
    assert suppressed.id not in languages


def test_it_cuts_batches_by_subscriber_id_ranges_per_language():
    mailing_list = make_list()
    make_audience(mailing_list, 7, language="en")
    make_audience(mailing_list, 3, language="fr")
    digest = make_digest(mailing_list, status=Digest.Status.PREPARING)
    variants = [make_variant(digest, language="en"), make_variant(digest, language="fr")]
    deliveries_plan(digest=digest, variants=variants)

    batch_ids = batches_cut(digest_id=digest.id, batch_size=3)

    batches = list(Batch.objects.filter(pk__in=batch_ids).order_by("language", "first_subscriber_id"))
    assert [(b.language, b.size) for b in batches] == [("en", 3), ("en", 3), ("en", 1), ("fr", 3)]
    for batch in batches:
        ids = sorted(Delivery.objects.filter(batch=batch).values_list("subscriber_id", flat=True))
        assert len(ids) == batch.size
        assert (ids[0], ids[-1]) == (batch.first_subscriber_id, batch.last_subscriber_id)
        assert set(Delivery.objects.filter(batch=batch).values_list("language", flat=True)) == {batch.language}
    assert not Delivery.objects.filter(digest=digest, batch__isnull=True).exists()
    assert batches_cut(digest_id=digest.id, batch_size=3) == []


def test_it_prepares_a_claimed_digest_renders_once_per_language_and_freezes_the_audience(premailer_runs):
    mailing_list = make_list()
    make_audience(mailing_list, 4, language="en")
    make_audience(mailing_list, 2, language="fr")
    digest = make_digest(mailing_list, send_at=timezone.now())
    digests_claim_due()

    outcome = digest_prepare(digest_id=digest.id)

    digest.refresh_from_db()
    assert digest.status == Digest.Status.SENDING, digest.status_detail
    assert "planned 6 deliveries" in outcome
    send = DigestSend.objects.get(digest=digest)
    assert (send.total, premailer_runs.calls) == (6, 2)
    assert Batch.objects.filter(digest=digest, status=Batch.Status.PENDING).count() == 2

    # A second preparation (a worker died after planning) adds nobody who joined in between.
    late = make_audience(mailing_list, 1)[0]
    Digest.objects.filter(pk=digest.id).update(status=Digest.Status.PREPARING)
    digest_prepare(digest_id=digest.id)
    assert not Delivery.objects.filter(digest=digest, subscriber=late).exists()
    assert Delivery.objects.filter(digest=digest).count() == 6


def test_it_fails_a_digest_whose_subject_carries_a_header_injection():
    mailing_list = make_list()
    make_audience(mailing_list, 2)
    digest = make_digest(mailing_list, subject="News\r\nBcc: everyone@evil.example", send_at=timezone.now())
    digests_claim_due()

    outcome = digest_prepare(digest_id=digest.id)

    digest.refresh_from_db()
    assert digest.status == Digest.Status.FAILED
    assert "line break refused" in outcome and "Subject" in digest.status_detail
    assert not Delivery.objects.filter(digest=digest).exists()
    assert Subscription.objects.count() == 2


def _batches_as_cut(digest):
    """(language, size, first subscriber id, last subscriber id) of every batch, each checked against its deliveries."""
    found = []
    for batch in Batch.objects.filter(digest=digest).order_by("language", "first_subscriber_id"):
        rows = list(Delivery.objects.filter(batch=batch).values_list("subscriber_id", "language"))
        ids = sorted(subscriber_id for subscriber_id, _language in rows)
        assert len(ids) == batch.size and ids and (ids[0], ids[-1]) == (batch.first_subscriber_id, batch.last_subscriber_id)
        assert {language for _id, language in rows} == {batch.language}
        found.append((batch.language, batch.size, batch.first_subscriber_id, batch.last_subscriber_id))
    return found


def test_it_plans_the_audience_already_cut_into_the_batches_the_two_step_way_would_cut():
    mailing_list = make_list(default_language="en")
    make_audience(mailing_list, 7, language="en")
    make_audience(mailing_list, 3, language="fr")
    arabic = make_audience(mailing_list, 1, language="ar")  # no Arabic variant: the list's default language
    make_audience(mailing_list, 2, status="unsubscribed")
    suppressed = make_audience(mailing_list, 1)[0]
    suppression_add(email=suppressed.email, reason=Suppression.Reason.COMPLAINT)
    one_step = make_digest(mailing_list, status=Digest.Status.PREPARING)
    two_steps = make_digest(mailing_list, status=Digest.Status.PREPARING)
    variants = [make_variant(one_step, language="en"), make_variant(one_step, language="fr")]
    deliveries_plan(digest=two_steps, variants=[make_variant(two_steps, language="en"), make_variant(two_steps, language="fr")])
    batches_cut(digest_id=two_steps.id, batch_size=3)

    plan = audience_plan(digest=one_step, variants=variants, batch_size=3)

    assert plan.total == 11
    assert sorted(plan.batch_ids) == sorted(Batch.objects.filter(digest=one_step).values_list("id", flat=True))
    assert _batches_as_cut(one_step) == _batches_as_cut(two_steps)
    assert [(language, size) for language, size, _first, _last in _batches_as_cut(one_step)] == [
        ("en", 3), ("en", 3), ("en", 2), ("fr", 3)
    ]
    assert Delivery.objects.get(digest=one_step, subscriber=arabic[0]).language == "en"
    assert not Delivery.objects.filter(digest=one_step, subscriber=suppressed).exists()
    assert not Delivery.objects.filter(digest=one_step, batch__isnull=True).exists()
    assert set(Batch.objects.filter(digest=one_step).values_list("variant__language", "language")) == {("en", "en"), ("fr", "fr")}


@contextmanager
def _after_the_count(action):
    """Run `action` once, right after the first statement audience_plan executes (its count of the audience per
    language), as somebody who joins or leaves between the count and the INSERT would."""
    done = []

    def wrapper(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if not done:
            done.append(True)
            action()
        return result

    with connection.execute_wrapper(wrapper):
        yield
    assert done, "audience_plan executed no statement"


def test_it_gives_a_batch_to_whoever_joins_between_the_count_and_the_insert():
    mailing_list = make_list()
    make_audience(mailing_list, 4)
    digest = make_digest(mailing_list, status=Digest.Status.PREPARING)
    late = []

    with _after_the_count(lambda: late.extend(make_audience(mailing_list, 3))):
        plan = audience_plan(digest=digest, variants=[make_variant(digest)], batch_size=2)

    assert plan.total == 7
    assert not Delivery.objects.filter(digest=digest, batch__isnull=True).exists()
    assert sorted(b for b in Batch.objects.filter(digest=digest).values_list("id", flat=True)) == sorted(plan.batch_ids)
    assert sum(size for _language, size, _first, _last in _batches_as_cut(digest)) == 7
    assert Delivery.objects.filter(digest=digest, subscriber__in=late).count() == 3


def test_it_drops_a_batch_left_empty_by_people_who_leave_between_the_count_and_the_insert():
    mailing_list = make_list()
    readers = make_audience(mailing_list, 4)
    digest = make_digest(mailing_list, status=Digest.Status.PREPARING)

    def leave():
        Subscription.objects.filter(subscriber__in=readers[2:]).update(status=Subscription.Status.UNSUBSCRIBED)

    with _after_the_count(leave):
        plan = audience_plan(digest=digest, variants=[make_variant(digest)], batch_size=2)

    assert plan.total == 2
    assert len(plan.batch_ids) == 1
    assert list(Batch.objects.filter(digest=digest).values_list("id", flat=True)) == plan.batch_ids
    assert _batches_as_cut(digest) == [("en", 2, readers[0].id, readers[1].id)]


def test_it_plans_nobody_twice_and_leaves_no_empty_batch_when_run_again():
    mailing_list = make_list()
    make_audience(mailing_list, 5)
    digest = make_digest(mailing_list, status=Digest.Status.PREPARING)
    variants = [make_variant(digest)]
    first = audience_plan(digest=digest, variants=variants, batch_size=2)

    again = audience_plan(digest=digest, variants=variants, batch_size=2)

    assert (first.total, len(first.batch_ids)) == (5, 3)
    assert (again.total, again.batch_ids) == (5, [])
    assert Batch.objects.filter(digest=digest).count() == 3
    assert Delivery.objects.filter(digest=digest).count() == 5


def test_it_plans_an_empty_audience_into_no_batch():
    mailing_list = make_list()
    make_audience(mailing_list, 2, status="unsubscribed")
    digest = make_digest(mailing_list, status=Digest.Status.PREPARING)

    plan = audience_plan(digest=digest, variants=[make_variant(digest)], batch_size=2)

    assert (plan.total, plan.batch_ids) == (0, [])
    assert not Batch.objects.filter(digest=digest).exists()
