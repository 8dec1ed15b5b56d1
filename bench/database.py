"""The bench's own PostgreSQL databases: created fresh, migrated, filled set-based, dropped at the end.

Subscribers are generated inside PostgreSQL with `INSERT ... SELECT generate_series` (a million rows
in seconds, no Python loop); their keyed email hash is computed there too with pgcrypto's `hmac`,
which gives the same hex digest as subscribers.emails.email_hash for the same ADDRESS_HASH_KEY.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
ADMIN_URL = os.environ.get("BENCH_ADMIN_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
LANGUAGES = ("en", "fr", "ar")
COUNTRIES = ("FR", "LB", "MA")
EMAIL_DOMAIN = "bench.example.org"

# Values for NOT NULL columns without a database default that the generator does not name (a field
# another engineer added since): the emptiest value of the column's type, so seeding keeps working.
_EMPTY_BY_TYPE = {
    "character varying": "''",
    "text": "''",
    "boolean": "false",
    "integer": "0",
    "bigint": "0",
    "smallint": "0",
    "double precision": "0",
    "numeric": "0",
    "jsonb": "'{}'::jsonb",
    "json": "'{}'::json",
    "timestamp with time zone": "now()",
    "date": "current_date",
    "uuid": "gen_random_uuid()",
}


def url_for(name: str) -> str:
    parts = urlparse(ADMIN_URL)
    return urlunparse(parts._replace(path=f"/{name}"))


def recreate(name: str) -> str:
    """Drop (forcing out stale connections) and create database `name`; return its URL."""
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return url_for(name)


def drop(name: str) -> None:
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def migrate(env: dict[str, str]) -> None:
    """Run the project's migrations on env["DATABASE_URL"] in a child process (as a deploy would)."""
    result = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "--verbosity", "0"],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )
    if result.returncode != 0:
        raise RuntimeError(f"migrate failed on the bench database:\n{result.stdout}\n{result.stderr}")


def _extra_columns(conn: psycopg.Connection, table: str, given: set[str]) -> dict[str, str]:
    rows = conn.execute(
        """SELECT column_name, data_type FROM information_schema.columns
           WHERE table_name = %s AND is_nullable = 'NO' AND column_default IS NULL
             AND is_identity = 'NO'""",
        [table],
    ).fetchall()
    extra = {}
    for column, data_type in rows:
        if column in given or column == "id":
            continue
        if data_type not in _EMPTY_BY_TYPE:
            raise RuntimeError(f"bench seeding does not know how to fill {table}.{column} ({data_type})")
        extra[column] = _EMPTY_BY_TYPE[data_type]
    return extra


def _insert_select(conn: psycopg.Connection, table: str, columns: dict[str, str], source: str, params: dict) -> int:
    columns = {**columns, **_extra_columns(conn, table, set(columns))}
    statement = "INSERT INTO {table} ({names}) SELECT {values} {source}".format(
        table=table, names=", ".join(columns), values=", ".join(columns.values()), source=source
    )
    return conn.execute(statement, params).rowcount


def seed_subscribers(conn: psycopg.Connection, *, count: int, address_hash_key: str) -> int:
    """`count` subscribers reader1..readerN@bench.example.org, languages en/fr/ar in turn."""
    conn.execute("CREATE EXTENSION IF NOT EXISTS pgcrypto")
    email = f"'reader' || g || '@{EMAIL_DOMAIN}'"
    inserted = _insert_select(
        conn,
        "subscribers_subscriber",
        {
            "email": email,
            "email_hash": f"encode(hmac({email}, %(key)s, 'sha256'), 'hex')",
            "name": "'Reader ' || g",
            "language": f"(ARRAY{list(LANGUAGES)!r})[1 + g %% 3]",
            "country": f"(ARRAY{list(COUNTRIES)!r})[1 + g %% 3]",
            "time_zone": "''",
            "attributes": "'{}'::jsonb",
            "created_at": "now()",
        },
        "FROM generate_series(1, %(count)s) AS g",
        {"key": address_hash_key, "count": count},
    )
    conn.execute("ANALYZE subscribers_subscriber")
    return inserted


def seed_subscriptions(conn: psycopg.Connection, *, list_id: int, count: int) -> int:
    """Active subscriptions of the first `count` generated subscribers (by id) to list `list_id`."""
    inserted = _insert_select(
        conn,
        "subscribers_subscription",
        {
            "subscriber_id": "s.id",
            "mailing_list_id": "%(list_id)s",
            "status": "'active'",
            "created_at": "now()",
            "confirmed_at": "now()",
            "unsubscribe_source": "''",
        },
        "FROM (SELECT id FROM subscribers_subscriber ORDER BY id LIMIT %(count)s) AS s",
        {"list_id": list_id, "count": count},
    )
    conn.execute("ANALYZE subscribers_subscription")
    return inserted
