"""Limits held in Redis, so they hold across every web process.

Each check is one round trip and atomic on the Redis side (a Lua script for the counter, SET NX EX for
the once-per-window key), so concurrent requests cannot slip past a limit between a read and a write.
The keys are the ones Django's cache would use (`cache.make_key`), in the cache's Redis database.

Why not `django.core.cache.cache`: its `incr` is two commands (EXISTS, INCRBY) after an `add`, and
every cache call builds a new redis-py client (about 0.25 ms of CPU each), which was a tenth of a
subscribe request's CPU. config.redis_client keeps one per process.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache

from config.redis_client import shared_client, shared_script

# Defaults; each can be overridden by a Django setting of the same name (read at call time).
DEFAULTS = {
    # Subscribe requests (form and API together) one IP address may make per window (seconds).
    "SUBSCRIBE_PER_IP_LIMIT": 20,
    "SUBSCRIBE_PER_IP_WINDOW": 600,
    # At most one confirmation email per address per window, whatever the number of requests.
    "CONFIRMATION_EMAIL_WINDOW": 3600,
}

# Count one hit; the first hit of a window (or a key that somehow lost its expiry) starts the window.
_COUNT_HIT = """
local count = redis.call('INCR', KEYS[1])
if count == 1 or redis.call('TTL', KEYS[1]) == -1 then
  redis.call('EXPIRE', KEYS[1], ARGV[1])
end
return count
"""


def _setting(name: str) -> int:
    return int(getattr(settings, name, DEFAULTS[name]))


def first_in_window(key: str, *, seconds: int) -> bool:
    """True for the first call with `key` in `seconds`, False for every other until the window ends."""
    return bool(shared_client().set(cache.make_key(f"ratelimit:once:{key}"), 1, nx=True, ex=seconds))


def within_limit(key: str, *, limit: int, seconds: int) -> bool:
    """Count one hit on `key`; True while the count in the current window is at most `limit`."""
    return int(shared_script(_COUNT_HIT)(keys=[cache.make_key(f"ratelimit:count:{key}")], args=[seconds])) <= limit


def subscribe_allowed_for_ip(ip: str | None) -> bool:
    return within_limit(
        f"subscribe-ip:{ip or 'unknown'}",
        limit=_setting("SUBSCRIBE_PER_IP_LIMIT"),
        seconds=_setting("SUBSCRIBE_PER_IP_WINDOW"),
    )


def confirmation_email_allowed(email_hash: str) -> bool:
    return first_in_window(f"confirm-mail:{email_hash}", seconds=_setting("CONFIRMATION_EMAIL_WINDOW"))
