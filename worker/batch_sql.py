"""The statements a batch runs on every send, written as SQL (PostgreSQL and SQLite).

Building these through the ORM cost the worker several times what the database spent running them, and a send
runs them for every batch (docs/decisions/0004-batch-sql-round-trips.md). Every write here is conditional on the
claim, as the ORM versions were.

On PostgreSQL they run as prepared statements (`cursor()`): the same few statements run for every batch, and
planning them took about as long as running them (docs/decisions/0004-batch-sql-round-trips.md).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

import psycopg
from django.db import InterfaceError, OperationalError, connection
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from newsletter.models import Digest, DigestVariant
from subscribers import sql as subscribers_sql
from subscribers.models import MailingList, Subscriber
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


def _work_select() -> str:
    """The batch `b` (a WITH) with its variant and its digest's list, in the order _work_from_row reads them."""
    variant, digest, mailing_list = _table(DigestVariant), _table(Digest), _table(MailingList)
    return (
        "SELECT b.id, b.digest_id, b.size, b.rate_slot_at, b.language, v.subject, v.html, v.text, "
        "l.id, l.name, l.slug, l.from_name, l.from_email, l.reply_to "
        f"FROM b JOIN {variant} v ON v.id = b.variant_id JOIN {digest} d ON d.id = b.digest_id "
        f"JOIN {mailing_list} l ON l.id = d.mailing_list_id"
    )


def _work_from_row(row: tuple) -> BatchWork:
    (b_id, digest_id, size, rate_slot_at, language, subject, html, text,
     list_id, name, slug, from_name, from_email, reply_to) = row
    if isinstance(rate_slot_at, str):  # SQLite hands timestamps back as text
        rate_slot_at = parse_datetime(rate_slot_at)
    if rate_slot_at is not None and timezone.is_naive(rate_slot_at):
        rate_slot_at = timezone.make_aware(rate_slot_at, UTC)
    return BatchWork(
        id=b_id, digest_id=digest_id, size=size, rate_slot_at=rate_slot_at, language=language, subject=subject,
        html=html, text=text,
        mailing_list=MailingList(id=list_id, name=name, slug=slug, from_name=from_name, from_email=from_email,
                                 reply_to=reply_to),
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
