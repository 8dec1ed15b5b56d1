"""Email address normalisation and the keyed hash that suppressions store."""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings


def normalise_email(address: str) -> str:
    """One person, one address: `A@x.org` and ` a@x.org ` are the same subscriber."""
    return address.strip().lower()


def email_hash(address: str) -> str:
    """HMAC-SHA256 of the normalised address keyed with the site secret.

    Suppressions and erasures keep only this, so a leaked database does not reveal who left,
    while an import of the same address still finds the suppression.
    """
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, normalise_email(address).encode(), hashlib.sha256).hexdigest()
