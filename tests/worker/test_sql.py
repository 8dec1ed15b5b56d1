"""Each statement of worker.sql against the test database."""

import pytest
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from newsletter.models import Digest
from subscribers.selectors import audience_subscribers
from tests.worker.factories import make_audience, make_digest, make_list, make_variant
from worker import sql
from worker.messages import own_message_id
from worker.models import Batch, Delivery
from worker.planning import audience_plan

pytestmark = [pytest.mark.django_db]


def _audience(mailing_list) -> sql.Query:
    """SELECT id, lang, zone of the list's audience, each in her own language and time zone."""
    query = audience_subscribers(list_id=mailing_list.id, segment_id=None).order_by().annotate(
        lang=F("language"), zone=F("time_zone"))
    audience_sql, params = query.values("id", "lang", "zone").query.sql_with_params()
    return audience_sql, list(params)


def _prepared(mailing_list, *languages):
    digest = make_digest(mailing_list, status=Digest.Status.PREPARING)
    return digest, {language: make_variant(digest, language=language) for language in languages}


def _batch(digest, variant, **fields) -> Batch:
    return Batch.objects.create(digest=digest, variant=variant, language=variant.language, **fields)


def test_it_gives_the_transaction_more_memory_for_its_sorts():
    with transaction.atomic():
        sql.work_mem_set_local()
        with connection.cursor() as cursor:
            cursor.execute("SHOW work_mem")
            assert cursor.fetchone()[0] == "64MB"


def test_it_counts_the_audience_per_language():
    mailing_list = make_list()
    make_audience(mailing_list, 3, language="en")
    make_audience(mailing_list, 2, language="fr")
    make_audience(mailing_list, 4, language="fr", status="unsubscribed")

    assert sorted(sql.audience_count_by_language(audience=_audience(mailing_list))) == [("en", 3), ("fr", 2)]


def test_it_counts_the_audience_per_language_and_time_zone():
    mailing_list = make_list()
    make_audience(mailing_list, 2, language="en", time_zone="Asia/Beirut")
    make_audience(mailing_list, 1, language="en", time_zone="America/New_York")
    make_audience(mailing_list, 3, language="fr", time_zone="Asia/Beirut")

    assert sorted(sql.audience_count_by_language_and_zone(audience=_audience(mailing_list))) == [
        ("en", "America/New_York", 1), ("en", "Asia/Beirut", 2), ("fr", "Asia/Beirut", 3)]


def test_it_inserts_one_pending_delivery_without_a_batch_per_audience_member_once():
    mailing_list = make_list()
    readers = make_audience(mailing_list, 3, language="fr")
    digest, _variants = _prepared(mailing_list, "fr")

    sql.deliveries_insert(digest_id=digest.id, audience=_audience(mailing_list), now=timezone.now())
    sql.deliveries_insert(digest_id=digest.id, audience=_audience(mailing_list), now=timezone.now())

    rows = list(Delivery.objects.filter(digest=digest).values_list("subscriber_id", "language", "status", "batch_id"))
    assert sorted(rows) == [(reader.id, "fr", Delivery.Status.PENDING, None) for reader in readers]


def test_it_inserts_each_delivery_into_the_batch_of_its_language_and_bucket():
    mailing_list = make_list()
    english = make_audience(mailing_list, 3, language="en")
    french = make_audience(mailing_list, 1, language="fr")
    digest, variants = _prepared(mailing_list, "en", "fr")
    first, second = _batch(digest, variants["en"]), _batch(digest, variants["en"])
    only_french = _batch(digest, variants["fr"])

    sql.deliveries_insert_batched(
        digest_id=digest.id, audience=_audience(mailing_list), group_numbers={("en", ""): 0, ("fr", ""): 1},
        buckets=[(0, 0, first.id), (0, 1, second.id), (1, 0, only_french.id)], batch_size=2, now=timezone.now(),
    )

    batch_of = dict(Delivery.objects.filter(digest=digest).values_list("subscriber_id", "batch_id"))
    assert [batch_of[reader.id] for reader in english] == [first.id, first.id, second.id]
    assert batch_of[french[0].id] == only_french.id


def test_it_leaves_a_delivery_whose_bucket_has_no_batch_without_one():
    mailing_list = make_list()
    readers = make_audience(mailing_list, 3, language="en")
    digest, variants = _prepared(mailing_list, "en")
    batch = _batch(digest, variants["en"])

    sql.deliveries_insert_batched(digest_id=digest.id, audience=_audience(mailing_list), group_numbers={("en", ""): 0},
                                  buckets=[(0, 0, batch.id)], batch_size=2, now=timezone.now())

    batch_of = dict(Delivery.objects.filter(digest=digest).values_list("subscriber_id", "batch_id"))
    assert [batch_of[reader.id] for reader in readers] == [batch.id, batch.id, None]


def test_it_reads_how_many_deliveries_each_batch_holds_and_their_subscriber_range():
    mailing_list = make_list()
    readers = make_audience(mailing_list, 3)
    digest, variants = _prepared(mailing_list, "en")
    plan = audience_plan(digest=digest, variants=list(variants.values()), batch_size=2)
    Delivery.objects.filter(digest=digest, subscriber=readers[2]).update(batch=None)

    spans = sql.delivery_spans_by_batch(digest_id=digest.id)

    first, second = sorted(plan.batch_ids)
    assert spans == {first: (2, readers[0].id, readers[1].id), None: (1, readers[2].id, readers[2].id)}
    assert second not in spans


def test_it_sets_each_batch_size_and_subscriber_range_in_one_statement():
    mailing_list = make_list()
    digest, variants = _prepared(mailing_list, "en")
    first, second, untouched = (_batch(digest, variants["en"]) for _ in range(3))

    sql.batches_set_spans(spans=[(first.id, 2, 10, 11), (second.id, 1, 12, 12)])

    sizes = dict(Batch.objects.filter(digest=digest).values_list("id", "size"))
    assert sizes == {first.id: 2, second.id: 1, untouched.id: 0}
    second.refresh_from_db()
    assert (second.first_subscriber_id, second.last_subscriber_id) == (12, 12)


def test_it_cuts_the_pending_deliveries_without_a_batch_into_ranges_per_language():
    mailing_list = make_list()
    english = make_audience(mailing_list, 3, language="en")
    french = make_audience(mailing_list, 1, language="fr")
    digest, _variants = _prepared(mailing_list, "en", "fr")
    sql.deliveries_insert(digest_id=digest.id, audience=_audience(mailing_list), now=timezone.now())
    Delivery.objects.filter(digest=digest, subscriber=english[0]).update(status=Delivery.Status.SKIPPED)

    ranges = sql.unbatched_ranges(digest_id=digest.id, batch_size=1)

    assert ranges == [("en", english[1].id, english[1].id, 1), ("en", english[2].id, english[2].id, 1),
                      ("fr", french[0].id, french[0].id, 1)]


def test_it_puts_each_pending_delivery_without_a_batch_into_the_batch_of_its_range():
    mailing_list = make_list()
    readers = make_audience(mailing_list, 4)
    digest, variants = _prepared(mailing_list, "en")
    sql.deliveries_insert(digest_id=digest.id, audience=_audience(mailing_list), now=timezone.now())
    batch = _batch(digest, variants["en"], first_subscriber_id=readers[0].id, last_subscriber_id=readers[2].id)
    Delivery.objects.filter(digest=digest, subscriber=readers[1]).update(status=Delivery.Status.SKIPPED)

    sql.deliveries_assign_batches(digest_id=digest.id, batches=[batch])

    batch_of = dict(Delivery.objects.filter(digest=digest).values_list("subscriber_id", "batch_id"))
    assert [batch_of[reader.id] for reader in readers] == [batch.id, None, batch.id, None]


# --- Recording a batch's outcome (the SQLite twin runs in tests/worker/test_planning_sqlite.py) -------------


def _planned(count: int):
    mailing_list = make_list()
    make_audience(mailing_list, count)
    digest = make_digest(mailing_list, status=Digest.Status.SENDING)
    batch_ids = audience_plan(digest=digest, variants=[make_variant(digest)], batch_size=100).batch_ids
    return digest, batch_ids


def test_it_marks_deliveries_sent_with_the_providers_id_or_our_own_message_id():
    digest, [batch_id] = _planned(2)
    first, second = Delivery.objects.filter(batch_id=batch_id).order_by("id")
    at = timezone.now().timestamp()

    sql.deliveries_mark_sent_postgresql(rows=[(first.id, "<abc@mg.example.org>", at), (second.id, "", at)],
                                        domain="lists.example.org")

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.provider_message_id) == (Delivery.Status.SENT, "<abc@mg.example.org>")
    assert second.status == Delivery.Status.SENT
    assert second.provider_message_id == own_message_id(digest_id=digest.id, delivery_id=second.id, domain="lists.example.org")
    assert abs(first.sent_at.timestamp() - at) < 0.001


def test_it_says_a_digest_is_busy_while_a_batch_is_pending_or_a_delivery_unbatched():
    digest, [batch_id] = _planned(2)
    assert sql.digest_busy(digest_id=digest.id)

    Batch.objects.filter(pk=batch_id).update(status=Batch.Status.SUBMITTED)
    assert not sql.digest_busy(digest_id=digest.id)

    Delivery.objects.filter(digest=digest).update(batch=None)  # planned but not yet cut into batches
    assert sql.digest_busy(digest_id=digest.id)
