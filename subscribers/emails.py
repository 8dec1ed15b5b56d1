"""Email address normalisation and the keyed hash that suppressions store."""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings


def normalise_email(address: str) -> str:
    """One person, one address: `A@x.org` and ` a@x.org ` are the same subscriber."""
    return address.strip().lower()


def email_hash(address: str) -> str:
    """HMAC-SHA256 of the normalised address keyed with settings.ADDRESS_HASH_KEY (never SECRET_KEY).

    Suppressions and erasures keep only this, so a leaked database does not reveal who left,
    while an import of the same address still finds the suppression. The key must never change:
    SECRET_KEY rotates, this does not (docs/decisions/0002-address-hash-key.md).
    """
    return email_hash_with(address, key=settings.ADDRESS_HASH_KEY)


def email_hash_with(address: str, *, key: str) -> str:
    """email_hash under an explicit key: only for finding and re-keying hashes made with another key."""
    return hmac.new(key.encode(), normalise_email(address).encode(), hashlib.sha256).hexdigest()
