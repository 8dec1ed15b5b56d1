"""The operations app's SQL: one function per statement."""

from __future__ import annotations

from django.db import connection


def database_ping() -> None:
    """Ask the database the cheapest question there is; raises when it cannot answer."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
