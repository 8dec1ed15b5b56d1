"""The worker's SQL: every raw statement of the delivery engine, one function each (PostgreSQL and SQLite 3.35+,
which `make run` uses, unless a function says otherwise).

Planning is set-based (docs/decisions/0006-set-based-planning.md): the audience is frozen into deliveries and
cut into batches by a few statements over the whole audience, never a statement per row. The audience itself
is an ORM query compiled by worker.planning (one definition of who receives a list), passed here as SQL and
its params.

The statements a batch runs on every send are written as SQL because building them through the ORM cost the
worker several times what the database spent running them (docs/decisions/0004-batch-sql-round-trips.md).
Every write there is conditional on the claim, as the ORM versions were. On PostgreSQL they run as prepared
statements (`cursor()`): the same few statements run for every batch, and planning them took about as long
as running them.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

import psycopg
from django.db import InterfaceError, OperationalError, connection
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from newsletter.models import Digest, DigestVariant
from organisations.models import Organisation
from subscribers import sql as subscribers_sql
from subscribers.models import MailingList, Subscriber
from subscribers.texts import languages as text_languages
from worker.messages import OWN_MESSAGE_ID_SQL
from worker.models import Batch, Delivery

# What a lost or restarting database raises: Django's errors, and psycopg's own from the preparing cursor (which
# Django does not wrap). The send path retries these; every other database error is a bug to see.
CONNECTION_ERRORS = (OperationalError, InterfaceError, psycopg.OperationalError, psycopg.InterfaceError)


@dataclass(frozen=True)
class BatchWork:
    """What sending a claimed batch reads: the batch, its variant and its digest's list, in one row."""

    id: int
    digest_id: int
    size: int
    rate_slot_at: datetime | None
    language: str
    subject: str
    html: str
    text: str
    mailing_list: MailingList  # built from the row, not saved: only read


@contextmanager
def cursor() -> Iterator:
    """A cursor for the statements of every batch: on PostgreSQL one binding parameters on the server, so that
    psycopg prepares each statement once per connection (Django's own cursors bind on the client, which
    PostgreSQL cannot prepare). It runs on Django's connection, in its transaction state (autocommit here).
    """
    if connection.vendor != "postgresql":
        with connection.cursor() as django_cursor:
            yield django_cursor
        return
    connection.ensure_connection()
    with _PreparingCursor(connection.connection) as prepared:
        yield prepared


class _PreparingCursor(psycopg.Cursor):
    def execute(self, query, params=None, **kwargs):
        return super().execute(query, params, prepare=True, **kwargs)


def read(sql: str, params: list) -> list[tuple]:
    with cursor() as c:
        c.execute(sql, params)
        return c.fetchall()


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _at(value: datetime):
    return connection.ops.adapt_datetimefield_value(value)


def _claim_sql(*, batch_id: int, token: str, claimer: str, now: datetime) -> tuple[str, list]:
    """pending -> submitting with our token, if the batch is due and its digest is sending.

    The digest's status is asked with EXISTS in the same statement, and every condition on the batch stays in
    its WHERE: PostgreSQL re-checks those against a row another claimer changed meanwhile, so two workers
    can never both win (an `id IN (subquery)` form would not be re-checked).
    """
    batch, digest = _table(Batch), _table(Digest)
    return (
        f"UPDATE {batch} SET status = %s, claim_token = %s, claimed_by = %s, claimed_at = %s, touched_at = %s, "
        "provider_call_started_at = NULL, attempts = attempts + 1 "
        f"WHERE id = %s AND status = %s AND next_attempt_at <= %s "
        f"AND EXISTS (SELECT 1 FROM {digest} d WHERE d.id = {batch}.digest_id AND d.status = %s)",
        [Batch.Status.SUBMITTING, token, claimer, _at(now), _at(now), batch_id, Batch.Status.PENDING, _at(now),
         Digest.Status.SENDING],
    )


def claim(*, batch_id: int, token: str, claimer: str, now: datetime) -> bool:
    """Claim the batch (`_claim_sql`); True if we won it."""
    sql, params = _claim_sql(batch_id=batch_id, token=token, claimer=claimer, now=now)
    with cursor() as c:
        c.execute(sql, params)
        return c.rowcount == 1


def claim_work(*, batch_id: int, token: str, claimer: str, now: datetime) -> BatchWork | None:
    """Claim the batch and read its work (`claim`, then `work`), or None if we did not win it.

    On PostgreSQL one statement does both (the claim's UPDATE in a WITH, the row it returns joined to the
    variant and the list): one round trip fewer for every batch. The claim is the same UPDATE, re-checked alike.
    """
    if connection.vendor != "postgresql":
        return work(batch_id=batch_id) if claim(batch_id=batch_id, token=token, claimer=claimer, now=now) else None
    sql, params = _claim_sql(batch_id=batch_id, token=token, claimer=claimer, now=now)
    with cursor() as c:
        c.execute(f"WITH b AS ({sql} RETURNING {_WORK_COLUMNS}) {_work_select()}", params)
        row = c.fetchone()
    return _work_from_row(row) if row else None


def work(*, batch_id: int) -> BatchWork:
    with cursor() as c:
        c.execute(f"WITH b AS (SELECT {_WORK_COLUMNS} FROM {_table(Batch)} WHERE id = %s) "
                  f"{_work_select()}", [batch_id])
        return _work_from_row(c.fetchone())


_WORK_COLUMNS = "id, digest_id, size, rate_slot_at, language, variant_id"


def _list_name_columns() -> list[str]:
    """The list's name in every language (its List-Id names it in its default language: subscribers.list_headers)."""
    return [f"name_{language}" for language in text_languages()]


def _work_select() -> str:
    """The batch `b` (a WITH) with its variant, its digest's list and the list's organisation (what the headers
    and the sending domain read), in the order _work_from_row reads them."""
    variant, digest, mailing_list = _table(DigestVariant), _table(Digest), _table(MailingList)
    names = ", ".join(f"l.{column}" for column in _list_name_columns())
    return (
        "SELECT b.id, b.digest_id, b.size, b.rate_slot_at, b.language, v.subject, v.html, v.text, "
        f"l.id, l.slug, l.from_name, l.from_email, l.reply_to, l.tracking_enabled, l.default_language, "
        f"o.id, o.feedback_sender_id, o.sending_domain, {names} "
        f"FROM b JOIN {variant} v ON v.id = b.variant_id JOIN {digest} d ON d.id = b.digest_id "
        f"JOIN {mailing_list} l ON l.id = d.mailing_list_id JOIN {_table(Organisation)} o ON o.id = l.organisation_id"
    )


def _work_from_row(row: tuple) -> BatchWork:
    (b_id, digest_id, size, rate_slot_at, language, subject, html, text,
     list_id, slug, from_name, from_email, reply_to, tracking_enabled, default_language,
     organisation_id, feedback_sender_id, sending_domain, *names) = row
    if isinstance(rate_slot_at, str):  # SQLite hands timestamps back as text
        rate_slot_at = parse_datetime(rate_slot_at)
    if rate_slot_at is not None and timezone.is_naive(rate_slot_at):
        rate_slot_at = timezone.make_aware(rate_slot_at, UTC)
    return BatchWork(
        id=b_id, digest_id=digest_id, size=size, rate_slot_at=rate_slot_at, language=language, subject=subject,
        html=html, text=text,
        mailing_list=MailingList(id=list_id, slug=slug, from_name=from_name, from_email=from_email,
                                 reply_to=reply_to, tracking_enabled=bool(tracking_enabled),  # SQLite: 0 or 1
                                 default_language=default_language, **dict(zip(_list_name_columns(), names, strict=True)),
                                 organisation=Organisation(id=organisation_id, feedback_sender_id=feedback_sender_id,
                                                           sending_domain=sending_domain)),
    )


def provider_call_starting(*, batch_id: int, token: str, now: datetime) -> bool:
    """From here on a lost worker means "the provider may have it"; False if the claim is no longer ours."""
    with cursor() as c:
        c.execute(
            f"UPDATE {_table(Batch)} SET provider_call_started_at = %s, touched_at = %s "
            "WHERE id = %s AND claim_token = %s AND status = %s",
            [_at(now), _at(now), batch_id, token, Batch.Status.SUBMITTING],
        )
        return c.rowcount == 1


def submitted(*, batch_id: int, token: str, calls: int, now: datetime) -> None:
    """The batch is done. Matched by claim token only: if the reconcile scan called the batch uncertain
    meanwhile, we now know better and record what the provider really answered."""
    with cursor() as c:
        c.execute(
            f"UPDATE {_table(Batch)} SET status = %s, finished_at = %s, touched_at = %s, error = '', "
            "provider_calls = provider_calls + %s WHERE id = %s AND claim_token = %s",
            [Batch.Status.SUBMITTED, _at(now), _at(now), calls, batch_id, token],
        )


def recipients(*, batch_id: int, list_id: int) -> list[tuple]:
    """The batch's pending deliveries by subscriber id, as (delivery id, subscriber id, email, name, gone): gone
    when she no longer passes subscribers.selectors.receiving (left the list, or suppressed since planning)."""
    receiving, receiving_params = subscribers_sql.receiving_sql(list_id=list_id)
    people = _table(Subscriber)
    return read(
        f"SELECT d.id, d.subscriber_id, {people}.email, {people}.name, NOT ({receiving}) "
        f"FROM {_table(Delivery)} AS d JOIN {people} ON {people}.id = d.subscriber_id "
        "WHERE d.batch_id = %s AND d.status = %s ORDER BY d.subscriber_id",
        [*receiving_params, batch_id, Delivery.Status.PENDING],
    )


# --- Planning ------------------------------------------------------------------------------------------
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


def audience_count_by_language_and_zone(*, audience: Query) -> list[tuple[str, str, int]]:
    """How many of the audience (SELECT id, lang, zone) will read each language in each zone: (language, zone,
    count) rows."""
    audience_sql, audience_params = audience
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT a.lang, a.zone, COUNT(*) FROM ({audience_sql}) a GROUP BY a.lang, a.zone",
                       audience_params)
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


def deliveries_insert_batched(*, digest_id: int, audience: Query, group_numbers: dict[tuple[str, str], int],
                              buckets: Sequence[tuple[int, int, int]], batch_size: int, now: datetime) -> None:
    """Insert a pending delivery for each of the audience the digest has none for yet, numbered per (language,
    zone) group by subscriber id and put in the batch of its bucket: `buckets` holds (group number, bucket, batch
    id), a row whose bucket has no batch gets none."""
    audience_sql, audience_params = audience
    # The buckets are joined as a VALUES list, whose size the planner knows, so it hashes it (a join to the fresh
    # batch rows, badly estimated, became a merge join comparing every delivery with every batch of its
    # language). Only integers go into the list, so it is written inline: parameters would grow with the batches
    # (PostgreSQL takes 65,535 at most).
    rows = ", ".join(f"({int(number)}, {int(bucket)}, {int(batch_id)})" for number, bucket, batch_id in buckets)
    # The groups are few (languages x zones), so their names go as parameters, hashed like the buckets; the
    # numbering partitions by the group's number, an integer, cheaper to sort than two names. A reader of a group
    # the count did not see (she joined since) gets no number and so no batch: batches_cut takes her.
    groups = ", ".join(f"(%s, %s, {int(number)})" for number in group_numbers.values())
    sql = f"""
        WITH g (lang, zone, group_number) AS (VALUES {groups}),
             b (group_number, bucket, batch_id) AS (VALUES {rows})
        INSERT INTO {DELIVERIES}
            (digest_id, subscriber_id, batch_id, language, status, provider_message_id, error, created_at)
        SELECT %s, n.id, b.batch_id, n.lang, %s, '', '', %s
        FROM (
            SELECT a.id, a.lang, g.group_number,
                   (ROW_NUMBER() OVER (PARTITION BY g.group_number ORDER BY a.id) - 1) / %s AS bucket
            FROM ({audience_sql}) a LEFT JOIN g ON g.lang = a.lang AND g.zone = a.zone
        ) n
        LEFT JOIN b ON b.group_number = n.group_number AND b.bucket = n.bucket
        WHERE 1 = 1
        ON CONFLICT (digest_id, subscriber_id) DO NOTHING
    """
    group_params = [value for group in group_numbers for value in group]
    params = [*group_params, digest_id, Delivery.Status.PENDING, now, batch_size, *audience_params]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def audience_count_by_signature(*, audience: Query) -> list[tuple[str, int, int]]:
    """How many of a tailored digest's audience (SELECT id, lang, sig) have each language and interest signature,
    as (language, signature, count) rows."""
    audience_sql, audience_params = audience
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT a.lang, a.sig, COUNT(*) FROM ({audience_sql}) a GROUP BY a.lang, a.sig", audience_params)
        return [(language, int(signature), count) for language, signature, count in cursor.fetchall()]


def audience_count_by_signature_and_zone(*, audience: Query) -> list[tuple[str, str, int, int]]:
    """How many of a tailored local-time digest's audience (SELECT id, lang, zone, sig) have each language, zone and
    interest signature, as (language, zone, signature, count) rows."""
    audience_sql, audience_params = audience
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT a.lang, a.zone, a.sig, COUNT(*) FROM ({audience_sql}) a GROUP BY a.lang, a.zone, a.sig",
                       audience_params)
        return [(language, zone, int(signature), count) for language, zone, signature, count in cursor.fetchall()]


def deliveries_insert_tailored(*, digest_id: int, audience: Query, language_numbers: dict[str, int],
                               keys: Sequence[tuple[int, ...]], buckets: Sequence[tuple[int, int, int]],
                               batch_size: int, skip_reason: str, now: datetime,
                               zone_numbers: dict[str, int] | None = None) -> None:
    """deliveries_insert_batched for a tailored digest (audience: SELECT id, lang, zone, sig): `keys` holds (language
    number, signature, variant number) and the rows are numbered per variant number by subscriber id, `buckets`
    holding (variant number, bucket, batch id). Variant number 0 is an empty item set: the row is written
    skipped with `skip_reason`, in no batch. A row whose key is not in `keys` (a reader whose interests changed
    since the count) is written pending in no batch, for batches_cut.

    A local-time send passes `zone_numbers` (zone -> number): `keys` then holds (language number, zone number,
    signature, variant number), a "variant number" naming one variant in one zone, so that each zone's readers
    are numbered into that zone's batches. Without it the statement is the one an at-once send always ran."""
    audience_sql, audience_params = audience
    # Integers only, written inline as in deliveries_insert_batched (languages and zones go through parameters).
    key_rows = ", ".join("(" + ", ".join(str(int(value)) for value in key) + ")" for key in keys)
    bucket_rows = ", ".join(f"({int(variant)}, {int(bucket)}, {int(batch_id)})" for variant, bucket, batch_id in buckets)
    # Nobody to send to: every row is skipped or left for batches_cut.
    bucket_rows = bucket_rows or "(-1, -1, CAST(NULL AS BIGINT))"
    number_of = " ".join(f"WHEN %s THEN {int(number)}" for number in language_numbers.values())
    if zone_numbers is None:
        key_columns, zones, zone_join, zone_match, zone_params = "language_number, sig", "", "", "", []
    else:
        # The zones are few: a VALUES list joined by name, as the groups of deliveries_insert_batched.
        key_columns = "language_number, zone_number, sig"
        zones = "z (zone, zone_number) AS (VALUES " + ", ".join(
            f"(%s, {int(number)})" for number in zone_numbers.values()) + "),\n             "
        zone_join, zone_match, zone_params = " LEFT JOIN z ON z.zone = a.zone", " AND k.zone_number = z.zone_number", [
            *zone_numbers]
    sql = f"""
        WITH {zones}k ({key_columns}, variant_number) AS (VALUES {key_rows}),
             b (variant_number, bucket, batch_id) AS (VALUES {bucket_rows})
        INSERT INTO {DELIVERIES}
            (digest_id, subscriber_id, batch_id, language, status, provider_message_id, error, created_at)
        SELECT %s, n.id, b.batch_id, n.lang,
               CASE WHEN n.variant_number = 0 THEN %s ELSE %s END, '',
               CASE WHEN n.variant_number = 0 THEN %s ELSE '' END, %s
        FROM (
            SELECT a.id, a.lang, k.variant_number,
                   (ROW_NUMBER() OVER (PARTITION BY k.variant_number ORDER BY a.id) - 1) / %s AS bucket
            FROM ({audience_sql}) a{zone_join}
            LEFT JOIN k ON k.language_number = CASE a.lang {number_of} END{zone_match} AND k.sig = a.sig
        ) n
        LEFT JOIN b ON b.variant_number = n.variant_number AND b.bucket = n.bucket
        WHERE 1 = 1
        ON CONFLICT (digest_id, subscriber_id) DO NOTHING
    """
    params = [*zone_params, digest_id, Delivery.Status.SKIPPED, Delivery.Status.PENDING, skip_reason, now, batch_size,
              *audience_params, *language_numbers]
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


# --- Recording a batch's outcome -------------------------------------------------------------------------


def deliveries_mark_sent_postgresql(*, rows: Sequence[tuple[int, str, float]], domain: str) -> None:
    """Mark deliveries sent from (id, provider message id or "" for our own Message-ID, sent at as a Unix time).

    Arrays instead of 600 parameters, times as Unix times (cheaper to pass than timestamps), and
    `id = ANY(ids)` so the rows are found through the primary key whatever the planner thinks of the table's
    size (a fresh or unanalysed table got a sequential scan per group). The arrays travel in binary (%b),
    cheaper for psycopg to write than text (docs/decisions/0004-batch-sql-round-trips.md). Our own Message-ID
    is written by the database from the delivery's ids (`OWN_MESSAGE_ID_SQL`) rather than sent as 200 strings.
    """
    ids = [pk for pk, _, _ in rows]
    with cursor() as c:
        c.execute(
            f"UPDATE {_table(Delivery)} AS d SET status = %s, error = '', sent_at = to_timestamp(v.sent_at), "
            f"provider_message_id = CASE WHEN v.message_id = '' THEN {OWN_MESSAGE_ID_SQL} ELSE v.message_id END "
            "FROM unnest(%b::bigint[], %b::text[], %b::float8[]) AS v(id, message_id, sent_at) "
            "WHERE d.id = v.id AND d.id = ANY(%b::bigint[])",
            [Delivery.Status.SENT, domain, ids, [mid for _, mid, _ in rows], [at for _, _, at in rows], ids],
        )


def deliveries_mark_sent_sqlite(*, rows: Sequence[tuple[int, str, datetime]]) -> None:
    """Mark deliveries sent from (id, message id, sent at), one statement joined on a VALUES list (`make run`)."""
    table = _table(Delivery)
    params: list = []
    for pk, message_id, sent_at in rows:
        params += [pk, message_id, _at(sent_at)]
    values = ", ".join(["(%s, %s, %s)"] * len(rows))
    with connection.cursor() as c:
        c.execute(
            f"WITH v(id, message_id, sent_at) AS (VALUES {values}) "
            f"UPDATE {table} SET status = %s, error = '', provider_message_id = v.message_id, sent_at = v.sent_at "
            f"FROM v WHERE {table}.id = v.id",
            [*params, Delivery.Status.SENT],
        )


def digest_busy(*, digest_id: int) -> bool:
    """Is a batch of the digest still pending or submitting, or a delivery not yet in a batch? (One round trip,
    asked after every batch.)"""
    [(busy,)] = read(
        f"SELECT EXISTS (SELECT 1 FROM {_table(Batch)} WHERE digest_id = %s AND status IN (%s, %s)) "
        f"OR EXISTS (SELECT 1 FROM {_table(Delivery)} WHERE digest_id = %s AND batch_id IS NULL AND status = %s)",
        [digest_id, Batch.Status.PENDING, Batch.Status.SUBMITTING, digest_id, Delivery.Status.PENDING],
    )
    return bool(busy)
