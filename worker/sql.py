"""The planning statements written as SQL: one function per statement (PostgreSQL and SQLite 3.35+, which
`make run` uses, unless a function says otherwise).

Planning is set-based (docs/decisions/0006-set-based-planning.md): the audience is frozen into deliveries and
cut into batches by a few statements over the whole audience, never a statement per row. The audience itself
is an ORM query compiled by worker.planning (one definition of who receives a list), passed here as SQL and
its params. The batch statements of every send are in worker.batch_sql.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.db import connection

from worker.models import Batch, Delivery

# A compiled SELECT and its params.
Query = tuple[str, list]

DELIVERIES = Delivery._meta.db_table
BATCHES = Batch._meta.db_table


def work_mem_set_local() -> None:
    """Give the rest of this transaction's sorts 64MB of memory (PostgreSQL only: SQLite has no such setting)."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL work_mem = '64MB'")


def audience_count_by_language(*, audience: Query) -> list[tuple[str, int]]:
    """How many of the audience (SELECT id, lang) will read each language, as (language, count) rows."""
    audience_sql, audience_params = audience
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT a.lang, COUNT(*) FROM ({audience_sql}) a GROUP BY a.lang", audience_params)
        return cursor.fetchall()


def deliveries_insert(*, digest_id: int, audience: Query, now: datetime) -> None:
    """Insert a pending delivery without a batch for each of the audience the digest has none for yet."""
    audience_sql, audience_params = audience
    sql = f"""
        INSERT INTO {DELIVERIES}
            (digest_id, subscriber_id, language, status, provider_message_id, error, created_at)
        SELECT %s, a.id, a.lang, %s, '', '', %s FROM ({audience_sql}) a
        WHERE 1 = 1
        ON CONFLICT (digest_id, subscriber_id) DO NOTHING
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [digest_id, Delivery.Status.PENDING, now, *audience_params])


def deliveries_insert_batched(*, digest_id: int, audience: Query, language_numbers: dict[str, int],
                              buckets: Sequence[tuple[int, int, int]], batch_size: int, now: datetime) -> None:
    """Insert a pending delivery for each of the audience the digest has none for yet, numbered per language by
    subscriber id and put in the batch of its bucket: `buckets` holds (language number, bucket, batch id), a row
    whose bucket has no batch gets none."""
    audience_sql, audience_params = audience
    # The buckets are joined as a VALUES list, whose size the planner knows, so it hashes it (a join to the fresh
    # batch rows, badly estimated, became a merge join comparing every delivery with every batch of its
    # language). Only integers go into the list, so it is written inline: parameters would grow with the batches
    # (PostgreSQL takes 65,535 at most).
    rows = ", ".join(f"({int(number)}, {int(bucket)}, {int(batch_id)})" for number, bucket, batch_id in buckets)
    number_of = " ".join(f"WHEN %s THEN {int(number)}" for number in language_numbers.values())
    sql = f"""
        WITH b (language_number, bucket, batch_id) AS (VALUES {rows})
        INSERT INTO {DELIVERIES}
            (digest_id, subscriber_id, batch_id, language, status, provider_message_id, error, created_at)
        SELECT %s, n.id, b.batch_id, n.lang, %s, '', '', %s
        FROM (
            SELECT a.id, a.lang, CASE a.lang {number_of} END AS language_number,
                   (ROW_NUMBER() OVER (PARTITION BY a.lang ORDER BY a.id) - 1) / %s AS bucket
            FROM ({audience_sql}) a
        ) n
        LEFT JOIN b ON b.language_number = n.language_number AND b.bucket = n.bucket
        WHERE 1 = 1
        ON CONFLICT (digest_id, subscriber_id) DO NOTHING
    """
    params = [digest_id, Delivery.Status.PENDING, now, *language_numbers, batch_size, *audience_params]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def delivery_spans_by_batch(*, digest_id: int) -> dict[int | None, tuple[int, int, int]]:
    """The digest's deliveries per batch id (None: not in a batch) as (count, first and last subscriber id)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT batch_id, COUNT(*), MIN(subscriber_id), MAX(subscriber_id) FROM {DELIVERIES} WHERE digest_id = %s "
            "GROUP BY batch_id",
            [digest_id],
        )
        return {batch_id: (count, first, last) for batch_id, count, first, last in cursor.fetchall()}


def batches_set_spans(*, spans: Sequence[tuple[int, int, int, int]]) -> None:
    """Set each batch's size and subscriber id range from (batch id, size, first id, last id), in one UPDATE."""
    # One UPDATE joined to a VALUES list of integers (bulk_update's CASE WHEN per row is quadratic:
    # docs/decisions/0006-set-based-planning.md). UPDATE ... FROM: PostgreSQL, SQLite 3.33+.
    values = ", ".join(f"({int(batch_id)}, {int(size)}, {int(first)}, {int(last)})" for batch_id, size, first, last in spans)
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH v (id, size, first_id, last_id) AS (VALUES {values}) "
            f"UPDATE {BATCHES} SET size = v.size, first_subscriber_id = v.first_id, "
            f"last_subscriber_id = v.last_id FROM v WHERE {BATCHES}.id = v.id"
        )


def unbatched_ranges(*, digest_id: int, batch_size: int) -> list[tuple[str, int, int, int]]:
    """The digest's pending deliveries without a batch, numbered per language by subscriber id and cut in buckets
    of `batch_size`: (language, first subscriber id, last subscriber id, count) per bucket, in order."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT language, MIN(subscriber_id), MAX(subscriber_id), COUNT(*) FROM (
                SELECT language, subscriber_id,
                       (ROW_NUMBER() OVER (PARTITION BY language ORDER BY subscriber_id) - 1) / %s AS bucket
                FROM {DELIVERIES} WHERE digest_id = %s AND batch_id IS NULL AND status = %s
            ) numbered
            GROUP BY language, bucket ORDER BY language, bucket
            """,
            [batch_size, digest_id, Delivery.Status.PENDING],
        )
        return cursor.fetchall()


def deliveries_assign_batches(*, digest_id: int, batches: Sequence[Batch]) -> None:
    """Put the digest's pending deliveries without a batch into the batch whose language and subscriber id range
    they fall in."""
    # One range UPDATE per batch, each an index range scan on (digest_id, subscriber_id): linear in the
    # audience. (A single UPDATE ... FROM joining deliveries to batch ranges compared every delivery with
    # every batch of its language: quadratic, docs/decisions/0006-set-based-planning.md.)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"""
            UPDATE {DELIVERIES} SET batch_id = %s
            WHERE digest_id = %s AND batch_id IS NULL AND status = %s AND language = %s
              AND subscriber_id BETWEEN %s AND %s
            """,
            [
                (batch.id, digest_id, Delivery.Status.PENDING, batch.language, batch.first_subscriber_id,
                 batch.last_subscriber_id)
                for batch in batches
            ],
        )
