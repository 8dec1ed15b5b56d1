"""Limits held in Redis, so they hold across every web process.

Each check is one round trip and atomic on the Redis side (a Lua script for the counter, SET NX EX for
the once-per-window key), so concurrent requests cannot slip past a limit between a read and a write.
The keys are the ones Django's cache would use (`cache.make_key`), in the cache's Redis database.

Why not `django.core.cache.cache`: its `incr` is two commands (EXISTS, INCRBY) after an `add`, and
every cache call builds a new redis-py client, a large share of a subscribe request's CPU
(docs/decisions/0007-web-request-cpu.md). config.redis_client keeps one per process.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.core.cache import cache

from config.redis_client import shared_client, shared_script
from subscribers.emails import email_hash
from subscribers.mailbox import mailbox_key

_WEEK = 7 * 24 * 3600

# Count one hit; the first hit of a window (or a key that somehow lost its expiry) starts the window.
_COUNT_HIT = """
local count = redis.call('INCR', KEYS[1])
if count == 1 or redis.call('TTL', KEYS[1]) == -1 then
  redis.call('EXPIRE', KEYS[1], ARGV[1])
end
return count
"""


# KEYS: the once-per-window key of this mailbox and lists, the weekly counter of this mailbox.
# ARGV: window seconds, weekly cap, week seconds. Returns 0 when allowed (and counts it), else seconds to wait.
_CONFIRMATION_ALLOWED = """
local wait = redis.call('TTL', KEYS[1])
if wait > 0 then return wait end
local sent = tonumber(redis.call('GET', KEYS[2]) or '0')
if sent >= tonumber(ARGV[2]) then
  local week_left = redis.call('TTL', KEYS[2])
  if week_left > 0 then return week_left end
  redis.call('DEL', KEYS[2])
end
redis.call('SET', KEYS[1], 1, 'EX', ARGV[1])
if redis.call('INCR', KEYS[2]) == 1 or redis.call('TTL', KEYS[2]) == -1 then
  redis.call('EXPIRE', KEYS[2], ARGV[3])
end
return 0
"""


def first_in_window(key: str, *, seconds: int) -> bool:
    """True for the first call with `key` in `seconds`, False for every other until the window ends."""
    return bool(shared_client().set(cache.make_key(f"ratelimit:once:{key}"), 1, nx=True, ex=seconds))


def within_limit(key: str, *, limit: int, seconds: int) -> bool:
    """Count one hit on `key`; True while the count in the current window is at most `limit`."""
    return int(shared_script(_COUNT_HIT)(keys=[cache.make_key(f"ratelimit:count:{key}")], args=[seconds])) <= limit


def client_network(ip: str | None) -> str:
    """The unit one client is counted by: an IPv4 address, or the /64 an IPv6 host picks its addresses from."""
    try:
        address = ipaddress.ip_address(ip or "")
    except ValueError:
        return "unknown"
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def subscribe_allowed_for_ip(ip: str | None) -> bool:
    return within_limit(
        f"subscribe-ip:{client_network(ip)}",
        limit=settings.SUBSCRIBE_PER_IP_LIMIT,
        seconds=settings.SUBSCRIBE_PER_IP_WINDOW,
    )


def confirmation_emails_per_week() -> int:
    """The weekly cap per mailbox, as the confirmation email states it."""
    return settings.CONFIRMATION_EMAILS_PER_WEEK


def confirmation_email_wait(*, address: str, list_ids: list[int]) -> int:
    """0 when a confirmation email to this address for these lists may go now (it is counted), otherwise the
    seconds until one may: one per mailbox and lists per window, CONFIRMATION_EMAILS_PER_WEEK per mailbox."""
    mailbox = email_hash(mailbox_key(address))
    lists = ".".join(str(list_id) for list_id in sorted(set(list_ids)))
    keys = [cache.make_key(f"ratelimit:confirm-mail:{mailbox}:{lists}"), cache.make_key(f"ratelimit:confirm-week:{mailbox}")]
    args = [settings.CONFIRMATION_EMAIL_WINDOW, confirmation_emails_per_week(), _WEEK]
    return int(shared_script(_CONFIRMATION_ALLOWED)(keys=keys, args=args))
