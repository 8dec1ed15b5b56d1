"""Reachability of the three parts a send needs: database, Redis, at least one worker."""

from __future__ import annotations

import redis
from django.conf import settings
from django.db import connection

from operations import sql
from worker.celery_app import app


def _check_database() -> dict:
    try:
        sql.database_ping()
        return {"ok": True, "vendor": connection.vendor}
    except Exception as exc:  # any failure means "down"; the message says why
        return {"ok": False, "error": str(exc)[:300]}


def _check_redis() -> dict:
    try:
        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)
        client.ping()
        return {"ok": True}
    except Exception as exc:
        return {"ok": False, "error": str(exc)[:300]}


def _check_workers(timeout: float) -> dict:
    try:
        replies = app.control.ping(timeout=timeout) or []
    except Exception as exc:
        return {"ok": False, "error": str(exc)[:300]}
    names = sorted(name for reply in replies for name in reply)
    if not names:
        return {"ok": False, "error": "no worker answered the ping", "workers": []}
    return {"ok": True, "workers": names}


def health_report(*, worker_timeout: float = 1.0) -> dict:
    database = _check_database()
    redis_status = _check_redis()
    workers = _check_workers(worker_timeout) if redis_status["ok"] else {"ok": False, "error": "Redis is down"}
    return {
        "ok": database["ok"] and redis_status["ok"] and workers["ok"],
        "database": database,
        "redis": redis_status,
        "workers": workers,
    }


def public_health(report: dict) -> dict:
    """What anyone may see: up or down per part and how many workers answered. Host names, database vendor
    and error texts (which can carry internal addresses) are for staff only."""
    workers = report["workers"]
    return {
        "ok": report["ok"],
        "database": {"ok": report["database"]["ok"]},
        "redis": {"ok": report["redis"]["ok"]},
        "workers": {"ok": workers["ok"], "count": len(workers.get("workers", []))},
    }
