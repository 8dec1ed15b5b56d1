"""Limits held in Redis (Django's cache), so they hold across every web process.

Both operations are single atomic Redis commands (SET NX and INCR), so concurrent requests cannot
slip past a limit between a read and a write.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache

# Defaults; each can be overridden by a Django setting of the same name (read at call time).
DEFAULTS = {
    # Subscribe requests (form and API together) one IP address may make per window (seconds).
    "SUBSCRIBE_PER_IP_LIMIT": 20,
    "SUBSCRIBE_PER_IP_WINDOW": 600,
    # At most one confirmation email per address per window, whatever the number of requests.
    "CONFIRMATION_EMAIL_WINDOW": 3600,
}


def _setting(name: str) -> int:
    return int(getattr(settings, name, DEFAULTS[name]))


def first_in_window(key: str, *, seconds: int) -> bool:
    """True for the first call with `key` in `seconds`, False for every other until the window ends."""
    return bool(cache.add(f"ratelimit:once:{key}", 1, timeout=seconds))


def within_limit(key: str, *, limit: int, seconds: int) -> bool:
    """Count one hit on `key`; True while the count in the current window is at most `limit`."""
    full_key = f"ratelimit:count:{key}"
    cache.add(full_key, 0, timeout=seconds)
    try:
        count = cache.incr(full_key)
    except ValueError:  # the key expired between add and incr: this hit opens a new window
        cache.add(full_key, 1, timeout=seconds)
        count = 1
    return count <= limit


def subscribe_allowed_for_ip(ip: str | None) -> bool:
    return within_limit(
        f"subscribe-ip:{ip or 'unknown'}",
        limit=_setting("SUBSCRIBE_PER_IP_LIMIT"),
        seconds=_setting("SUBSCRIBE_PER_IP_WINDOW"),
    )


def confirmation_email_allowed(email_hash: str) -> bool:
    return first_in_window(f"confirm-mail:{email_hash}", seconds=_setting("CONFIRMATION_EMAIL_WINDOW"))
