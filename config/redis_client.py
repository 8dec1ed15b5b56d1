"""One Redis client per process for the app's own Redis commands (rate limits), on the cache's Redis.

Django's cache builds a new redis-py client on every call (Why: docs/decisions/0007-web-request-cpu.md). redis-py connects
lazily and its connection pool notices a fork, so one client per process is safe under gunicorn's and
Celery's pre-fork workers. Keyed by the cache's location and options, so tests that swap them get theirs.
"""

from __future__ import annotations

from functools import lru_cache

import redis
from django.conf import settings
from redis.commands.core import Script


@lru_cache(maxsize=4)
def _client_for(location: str, options: tuple) -> redis.Redis:
    return redis.Redis.from_url(location, **dict(options))


def shared_client() -> redis.Redis:
    config = settings.CACHES["default"]
    location = config["LOCATION"]
    location = location[0] if isinstance(location, list | tuple) else location.split(",")[0]
    return _client_for(location, tuple(sorted(config.get("OPTIONS", {}).items())))


@lru_cache(maxsize=16)
def _script_for(client: redis.Redis, source: str) -> Script:
    return client.register_script(source)


def shared_script(source: str) -> Script:
    """A Lua script on the shared client, registered once per process (called by its SHA afterwards)."""
    return _script_for(shared_client(), source)
