"""Signed, single-purpose tokens for the links we put in emails.

Each purpose has its own salt, so a confirmation token can never be used to unsubscribe and the
reverse. Tokens carry ids only inside a signature: they cannot be guessed or forged.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.core import signing

CONFIRM_MAX_AGE = timedelta(days=7)
# The undo button on the page that has just ended a subscription.
UNDO_MAX_AGE = timedelta(days=1)

_UNSUBSCRIBE_SALT = "subscribers.unsubscribe.v1"
_PREFERENCES_SALT = "subscribers.preferences.v1"
_CONFIRM_SALT = "subscribers.confirm.v1"
_UNDO_SALT = "subscribers.undo-unsubscribe.v1"


# What Django's signing makes (Signer: value:signature; dumps: payload:time:signature), the signature being a
# SHA-256 HMAC in unpadded base64url: 43 characters.
_SIGNED = re.compile(r"[A-Za-z0-9_.:-]*:[A-Za-z0-9_-]{43}")
# Our pages whose path ends in a personal token.
_TOKEN_PATHS = ("/u/", "/preferences/", "/confirm/")


class BadToken(Exception):
    """The token is forged, tampered with, expired or meant for another purpose."""


def _signer(salt: str) -> signing.Signer:
    # Links are signed per recipient in the send path: building a Signer each time cost more than the
    # HMAC itself. Cached per (salt, key, fallbacks) so a rotated SECRET_KEY takes effect at once.
    return _cached_signer(salt, settings.SECRET_KEY, tuple(settings.SECRET_KEY_FALLBACKS))


@lru_cache(maxsize=32)
def _cached_signer(salt: str, key: str, fallback_keys: tuple[str, ...]) -> signing.Signer:
    return signing.Signer(key=key, salt=salt, fallback_keys=list(fallback_keys))


@lru_cache(maxsize=32)
def _cached_hmac(salt: str, key: str) -> hmac.HMAC:
    # The key Signer derives (sha256 of salt + "signer" + key), computed once; each token copies this HMAC.
    derived = hashlib.sha256(f"{salt}signer".encode() + key.encode()).digest()
    return hmac.new(derived, digestmod=hashlib.sha256)


def _sign_fast(salt: str, value: str) -> str:
    """Exactly `Signer(salt=salt).sign(value)` (tests compare them), for less (docs/decisions/0005-per-message-cpu.md).

    Two links are signed per recipient of every send, a million times for a list of half a million;
    only making tokens takes this path, reading them goes through Django's Signer (with fallback keys).
    """
    return _signed(_cached_hmac(salt, settings.SECRET_KEY), value)


def _signed(keyed: hmac.HMAC, value: str) -> str:
    mac = keyed.copy()
    mac.update(value.encode())
    return f"{value}:{base64.urlsafe_b64encode(mac.digest()).rstrip(b'=').decode()}"


class LinkMaker:
    """The personal links of many messages (a send makes two per recipient): the settings are read and the keys
    looked up once, when it is made, instead of for every link. `unsubscribe_url` and `preferences_url` make
    one for a single link; the tokens are `make_unsubscribe_token`'s and `make_preferences_token`'s (a test
    compares). Make one per batch, so a changed SECRET_KEY or SITE_URL applies to the next batch."""

    def __init__(self) -> None:
        key = settings.SECRET_KEY
        self._site = settings.SITE_URL
        self._unsubscribe = _cached_hmac(_UNSUBSCRIBE_SALT, key)
        self._preferences = _cached_hmac(_PREFERENCES_SALT, key)

    def unsubscribe_url(self, *, subscriber_id: int, list_id: int, digest_id: int | None = None) -> str:
        return f"{self._site}/u/{_signed(self._unsubscribe, _unsubscribe_value(subscriber_id, list_id, digest_id))}/"

    def preferences_url(self, *, subscriber_id: int) -> str:
        return f"{self._site}/preferences/{_signed(self._preferences, str(subscriber_id))}/"


def _unsubscribe_value(subscriber_id: int, list_id: int, digest_id: int | None) -> str:
    """What an unsubscribe token signs: "subscriber.list", and ".digest" when the link goes out in a digest, so
    leaving through it is counted for that digest. Still one signature, a few characters longer."""
    if digest_id is None:
        return f"{subscriber_id}.{list_id}"
    return f"{subscriber_id}.{list_id}.{digest_id}"


def make_unsubscribe_token(*, subscriber_id: int, list_id: int, digest_id: int | None = None) -> str:
    return _sign_fast(_UNSUBSCRIBE_SALT, _unsubscribe_value(subscriber_id, list_id, digest_id))


@dataclass(frozen=True)
class UnsubscribeLink:
    subscriber_id: int
    list_id: int
    digest_id: int | None  # the digest that carried the link; None for links made without one (and older links)


def read_unsubscribe_link(token: str) -> UnsubscribeLink:
    """Everything an unsubscribe token carries. Unsubscribe links never expire: old emails must keep working."""
    parts = _unsign(_signer(_UNSUBSCRIBE_SALT), token).split(".")
    if len(parts) not in (2, 3) or not all(p.isdigit() for p in parts):
        raise BadToken("malformed token")
    return UnsubscribeLink(subscriber_id=int(parts[0]), list_id=int(parts[1]),
                           digest_id=int(parts[2]) if len(parts) == 3 else None)


def read_unsubscribe_token(token: str) -> tuple[int, int]:
    """Returns (subscriber_id, list_id) (read_unsubscribe_link without the digest)."""
    link = read_unsubscribe_link(token)
    return link.subscriber_id, link.list_id


def make_preferences_token(*, subscriber_id: int) -> str:
    return _sign_fast(_PREFERENCES_SALT, str(subscriber_id))


def read_preferences_token(token: str) -> int:
    value = _unsign(_signer(_PREFERENCES_SALT), token)
    if not value.isdigit():
        raise BadToken("malformed preferences token")
    return int(value)


def make_confirm_token(
    *, subscriber_id: int, list_ids: list[int], topic_ids: list[int] | None = None, requested_at: datetime | None = None
) -> str:
    """`topic_ids`: interests the requester chose, applied only when she confirms (never before).
    `requested_at` (default now): when the request was made, so an unsubscribe after it kills the link."""
    at = requested_at or datetime.now(UTC)
    payload = {"s": subscriber_id, "l": sorted(list_ids), "at": at.isoformat()}
    if topic_ids:
        payload["t"] = sorted(topic_ids)
    return signing.dumps(payload, salt=_CONFIRM_SALT, compress=False)


@dataclass(frozen=True)
class ConfirmLink:
    subscriber_id: int
    list_ids: list[int]
    topic_ids: list[int]
    requested_at: datetime | None  # None for links made before they carried it


def read_confirm_link(token: str) -> ConfirmLink:
    """Everything a confirmation token carries; refuses tokens older than CONFIRM_MAX_AGE."""
    try:
        payload = signing.loads(token, salt=_CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    except signing.SignatureExpired:
        raise BadToken("confirmation link has expired") from None
    except signing.BadSignature:
        raise BadToken("confirmation link is not valid") from None
    try:
        at = payload.get("at")
        return ConfirmLink(
            subscriber_id=int(payload["s"]),
            list_ids=[int(x) for x in payload["l"]],
            topic_ids=[int(x) for x in payload.get("t", [])],
            requested_at=datetime.fromisoformat(at) if at else None,
        )
    except (AttributeError, KeyError, TypeError, ValueError):
        raise BadToken("confirmation link is not valid") from None


def make_undo_token(*, subscriber_id: int, list_id: int, unsubscribed_at: datetime) -> str:
    """Undoes exactly the unsubscribe made at `unsubscribed_at`; shown only on the page that made it."""
    payload = {"s": subscriber_id, "l": list_id, "at": unsubscribed_at.isoformat()}
    return signing.dumps(payload, salt=_UNDO_SALT, compress=False)


def read_undo_token(token: str) -> tuple[int, int, datetime]:
    """Returns (subscriber_id, list_id, the unsubscribe's time); refuses tokens older than UNDO_MAX_AGE."""
    try:
        payload = signing.loads(token, salt=_UNDO_SALT, max_age=UNDO_MAX_AGE)
        return int(payload["s"]), int(payload["l"]), datetime.fromisoformat(payload["at"])
    except signing.BadSignature:
        raise BadToken("undo link is not valid") from None
    except (AttributeError, KeyError, TypeError, ValueError):
        raise BadToken("undo link is not valid") from None


def read_confirm_token(token: str) -> tuple[int, list[int]]:
    """Returns (subscriber_id, list_ids); refuses tokens older than CONFIRM_MAX_AGE."""
    try:
        payload = signing.loads(token, salt=_CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    except signing.SignatureExpired:
        raise BadToken("confirmation link has expired") from None
    except signing.BadSignature:
        raise BadToken("confirmation link is not valid") from None
    try:
        return int(payload["s"]), [int(x) for x in payload["l"]]
    except (KeyError, TypeError, ValueError):
        raise BadToken("confirmation link is not valid") from None


def read_confirm_topics(token: str) -> list[int]:
    """The topic ids carried by a confirmation token (empty for tokens made without any)."""
    try:
        payload = signing.loads(token, salt=_CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
        return [int(x) for x in payload.get("t", [])]
    except (signing.BadSignature, AttributeError, TypeError, ValueError):
        raise BadToken("confirmation link is not valid") from None


def confirm_url(
    *, subscriber_id: int, list_ids: list[int], topic_ids: list[int] | None = None, requested_at: datetime | None = None
) -> str:
    token = make_confirm_token(subscriber_id=subscriber_id, list_ids=list_ids, topic_ids=topic_ids, requested_at=requested_at)
    return f"{settings.SITE_URL}/confirm/{token}/"


def unsubscribe_url(*, subscriber_id: int, list_id: int, digest_id: int | None = None) -> str:
    return LinkMaker().unsubscribe_url(subscriber_id=subscriber_id, list_id=list_id, digest_id=digest_id)


def preferences_url(*, subscriber_id: int) -> str:
    return LinkMaker().preferences_url(subscriber_id=subscriber_id)


def _unsign(signer: signing.Signer, token: str) -> str:
    try:
        return signer.unsign(token)
    except signing.BadSignature:
        raise BadToken("link is not valid") from None



def link_without_tokens(url: str) -> str:
    """A link as it may be stored and shown (clicks per link): without anybody's signed token. Our unsubscribe,
    preferences and confirmation links become their path prefix; any path segment or query value holding a
    signed token is left out; the fragment too. Everyone's copy of a link comes out the same."""
    parts = urlsplit(url.strip())
    path = parts.path
    if f"{parts.scheme}://{parts.netloc}" == settings.SITE_URL.rstrip("/"):
        path = next((prefix for prefix in _TOKEN_PATHS if path.startswith(prefix)), path)
    path = "/".join(segment for segment in path.split("/") if not _SIGNED.fullmatch(unquote(segment)))
    query = [(key, value) for key, value in parse_qsl(parts.query, keep_blank_values=True) if not _SIGNED.fullmatch(value)]
    return urlunsplit((parts.scheme, parts.netloc, path, urlencode(query), ""))
