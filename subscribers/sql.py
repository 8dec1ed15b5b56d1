"""The statements of the subscribe and one-click requests, written as SQL (INSERT ... ON CONFLICT,
UPDATE ... RETURNING).

Django's get_or_create is four round trips (SELECT, SAVEPOINT, INSERT, RELEASE) and cannot say which
rows a set-based upsert touched, and compiling an ORM query costs as much CPU as running it
(docs/decisions/0007-web-request-cpu.md); these paths run at hundreds of requests a second, so their few
statements are SQL. They run on PostgreSQL and on
SQLite 3.35+ (local runs); column values come from the models' own fields and defaults, so a field
added later with a default still gets it. A rule that subscribers.selectors defines (who is suppressed, who
may receive a list's mail) is not written again here: its ORM query is compiled once per process with
stand-ins for its values (`_bound`), and only the values change from call to call.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from django.db import connection
from django.db.models import Model
from django.utils import timezone

from subscribers import selectors
from subscribers.models import MailingList, Subscriber, Subscription, Topic

# Values no row holds, standing for a parameter while a rule is compiled; replaced by the real value per call.
_LIST_ID = -(2**62)
_EMAIL_HASH = "stand-in for an email hash"


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


@cache
def _insert_fields(model: type[Model], skip: tuple[str, ...] = ()) -> tuple[list, list[str]]:
    """Every concrete field but the primary key (and `skip`), with its quoted column."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key and f.attname not in skip]
    return fields, [_q(f.column) for f in fields]


def _columns_and_params(obj: Model, *, skip: tuple[str, ...] = ()) -> tuple[list[str], list]:
    """The insert columns of obj's model, with the values Django would save for obj."""
    fields, columns = _insert_fields(type(obj), skip)
    return columns, [field.get_db_prep_save(field.pre_save(obj, add=True), connection) for field in fields]


@cache
def _suppression_reason_compiled(vendor: str) -> tuple[str, tuple]:
    sql, params = selectors.suppressions(_EMAIL_HASH).order_by().values_list("reason").query.sql_with_params()
    return sql, tuple(params)


@cache
def _receiving_compiled(vendor: str) -> tuple[str, tuple]:
    # The condition alone, its columns named by the subscribers table itself (no alias), for a statement to embed.
    query = Subscriber.objects.filter(selectors.receiving(list_id=_LIST_ID)).query
    sql, params = query.get_compiler(connection=connection).compile(query.where)
    return sql, tuple(params)


def _bound(compiled: tuple[str, tuple], values: dict) -> tuple[str, list]:
    """A compiled rule's SQL, with each stand-in among its params replaced by its value."""
    sql, params = compiled
    return sql, [values.get(param, param) for param in params]


def suppression_reason(*, email_hash: str) -> str | None:
    """The reason this address is suppressed (subscribers.selectors.suppressions), or None."""
    sql, params = _bound(_suppression_reason_compiled(connection.vendor), {_EMAIL_HASH: email_hash})
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return row[0] if row else None


def receiving_sql(*, list_id: int) -> tuple[str, list]:
    """subscribers.selectors.receiving as an SQL condition and its params, for a statement that joins the
    subscribers table under its own name (worker.sql.recipients)."""
    return _bound(_receiving_compiled(connection.vendor), {_LIST_ID: list_id})


def rows_insert(records: Sequence[Model]) -> None:
    """Store these new rows of one model in one INSERT (bulk_create without the ORM's compile cost)."""
    if not records:
        return
    params = []
    for record in records:
        columns, values = _columns_and_params(record)
        params.extend(values)
    row = "(" + ", ".join(["%s"] * len(columns)) + ")"
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {_q(records[0]._meta.db_table)} ({', '.join(columns)}) VALUES {', '.join([row] * len(records))}",
            params,
        )


def claimed_row_delete(model: type[Model], *, pk: int, claim: str) -> int:
    """Delete one outbox row (subscribers.queued_emails) if this claim still holds it; returns how many (0 or 1).
    The ORM's delete collects related objects first: a round of Python per row the drain does not need."""
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {_q(model._meta.db_table)} WHERE id = %s AND claim = %s", [pk, claim])
        return cursor.rowcount


def subscriber_insert_or_get(*, email: str, email_hash: str, name: str, language: str,
                             time_zone: str = "") -> tuple[int, bool]:
    """The id of the subscriber with this (normalised) address, created if new; and whether it was created.

    An existing subscriber is left untouched (anyone can type anyone's address).
    """
    table = _q(Subscriber._meta.db_table)
    row = Subscriber(email=email, email_hash=email_hash, name=name, language=language, time_zone=time_zone)
    columns, params = _columns_and_params(row)
    placeholders = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cursor:
        # Two tries: the row found by the conflict can be erased before the SELECT reads it.
        for _attempt in range(2):
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders}) "
                f"ON CONFLICT ({_q('email')}) DO NOTHING RETURNING {_q('id')}",
                params,
            )
            inserted = cursor.fetchone()
            if inserted is not None:
                return inserted[0], True
            cursor.execute(f"SELECT {_q('id')} FROM {table} WHERE {_q('email')} = %s", [email])
            existing = cursor.fetchone()
            if existing is not None:
                return existing[0], False
    raise RuntimeError(f"subscriber {email_hash[:12]} neither inserted nor found")


def subscriptions_request(*, subscriber_id: int, list_slugs: Sequence[str]) -> dict[int, str]:
    """Insert pending subscriptions to these public lists where she has none; leave every existing one as it is.

    One statement (subscribers.transitions.status_after_request): existing rows keep their status and are
    locked until commit (the no-op update), as get_or_create with select_for_update did. Returns
    {list id: status} for every public list among the slugs; a slug that is not (or no longer) a public
    list is simply missing from the answer.
    """
    if not list_slugs:
        return {}
    table = _q(Subscription._meta.db_table)
    lists = _q(MailingList._meta.db_table)
    row = Subscription(subscriber_id=subscriber_id, status=Subscription.Status.PENDING)
    columns, params = _columns_and_params(row, skip=("mailing_list_id",))
    status = _q("status")
    slugs = ", ".join(["%s"] * len(list_slugs))
    sql = (
        f"INSERT INTO {table} ({', '.join(columns)}, {_q('mailing_list_id')}) "
        f"SELECT {', '.join(['%s'] * len(columns))}, l.{_q('id')} FROM {lists} l "
        f"WHERE l.{_q('slug')} IN ({slugs}) AND l.{_q('is_public')} "
        f"ON CONFLICT ({_q('subscriber_id')}, {_q('mailing_list_id')}) DO UPDATE SET {status} = {table}.{status} "
        f"RETURNING {_q('mailing_list_id')}, {status}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *list_slugs])
        return dict(cursor.fetchall())


def subscriber_topics_add(*, subscriber_id: int, topic_slugs: Sequence[str]) -> int:
    """Give a new subscriber these topics in one INSERT ... SELECT; returns how many (unknown slugs are skipped)."""
    if not topic_slugs:
        return 0
    through = Subscriber.topics.through
    subscriber_column = _q(through._meta.get_field("subscriber").column)
    topic_column = _q(through._meta.get_field("topic").column)
    slugs = ", ".join(["%s"] * len(topic_slugs))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {_q(through._meta.db_table)} ({subscriber_column}, {topic_column}) "
            f"SELECT %s, t.{_q('id')} FROM {_q(Topic._meta.db_table)} t WHERE t.{_q('slug')} IN ({slugs}) "
            f"ON CONFLICT DO NOTHING",
            [subscriber_id, *topic_slugs],
        )
        return cursor.rowcount


def subscription_unsubscribe_returning_language(*, subscriber_id: int, list_id: int, source: str,
                                                digest_id: int | None = None) -> str | None:
    """End the subscription in one UPDATE (noting the digest whose link was used); the subscriber's language
    when it changed something, else None."""
    table = _q(Subscription._meta.db_table)
    people = _q(Subscriber._meta.db_table)
    status = _q("status")
    now = Subscription._meta.get_field("unsubscribed_at").get_db_prep_save(timezone.now(), connection)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {status} = %s, {_q('unsubscribed_at')} = %s, {_q('unsubscribe_source')} = %s, "
            f"{_q('unsubscribed_via_digest_id')} = %s "
            f"WHERE {_q('subscriber_id')} = %s AND {_q('mailing_list_id')} = %s AND {status} <> %s "
            # A subquery, not UPDATE ... FROM: SQLite's RETURNING may name only the updated table.
            f"RETURNING (SELECT p.{_q('language')} FROM {people} p WHERE p.{_q('id')} = {table}.{_q('subscriber_id')})",
            [Subscription.Status.UNSUBSCRIBED, now, source[:40], digest_id, subscriber_id, list_id,
             Subscription.Status.UNSUBSCRIBED],
        )
        row = cursor.fetchone()
    return row[0] if row else None
