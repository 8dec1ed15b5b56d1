"""Admin login lockout against password guessing, held in Redis (Django's cache) so every web process
shares the counts.

An authentication backend rather than a middleware: every login path (the admin form, anything that
calls django.contrib.auth.authenticate) goes through it. Failures are counted per username and per
client address; once either count reaches its limit, logins for that username (or from that address)
are refused, even with the right password, until the window ends. Raising PermissionDenied makes
Django stop at this backend and answer with the usual "incorrect username or password", so the
attacker learns nothing new. A successful login clears the username's count (not the address's: one
valid account must not let a guesser reset her own budget for other accounts).
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from config.client_ip import client_ip


def _key(kind: str, value: str) -> str:
    # Hashed so arbitrary usernames (spaces, unicode, 10 KB strings) make valid, bounded cache keys.
    return f"login-lockout:{kind}:{hashlib.sha256(value.encode('utf-8', 'replace')).hexdigest()}"


def _keys(request: HttpRequest | None, username: str | None) -> list[tuple[str, int]]:
    keys = [(_key("user", (username or "").strip().lower()), settings.LOGIN_LOCKOUT_FAILURES)]
    address = client_ip(request) if request is not None else None
    if address:
        keys.append((_key("ip", address), settings.LOGIN_LOCKOUT_IP_FAILURES))
    return keys


def is_locked(request: HttpRequest | None, username: str | None) -> bool:
    counts = cache.get_many([key for key, _limit in _keys(request, username)])
    return any(counts.get(key, 0) >= limit for key, limit in _keys(request, username))


def record_failure(request: HttpRequest | None, username: str | None) -> None:
    seconds = settings.LOGIN_LOCKOUT_SECONDS
    for key, _limit in _keys(request, username):
        cache.add(key, 0, timeout=seconds)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr: this failure opens a new window
            cache.add(key, 1, timeout=seconds)


class LockoutModelBackend(ModelBackend):
    """Django's ModelBackend (permissions included) with a failed-login lockout in front of it."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            from django.contrib.auth import get_user_model

            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if is_locked(request, username):
            raise PermissionDenied("too many failed logins")
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            record_failure(request, username)
        else:
            cache.delete(_keys(request, username)[0][0])
        return user
