"""The mailbox an address delivers to, for limits against mail-bombing: `Ana+x@gmail.com`, `a.n.a@googlemail.com`
and `"ana"@gmail.com` all land in one inbox, so they share one limit. Subscribers keep the address as typed
(subscribers.emails.normalise_email); only the limits use this key."""

from __future__ import annotations

import re

# Providers that deliver `a.n.a@` to `ana@`, and domains that are one mailbox system.
_DOTS_IGNORED = frozenset({"gmail.com"})
_SAME_AS = {"googlemail.com": "gmail.com"}
_QUOTED_PAIR = re.compile(r"\\(.)")


def mailbox_key(address: str) -> str:
    """The address reduced to the inbox it reaches: lower case, no +tag, no quotes, no dots where ignored."""
    local, _at, domain = address.strip().rpartition("@")
    domain = domain.lower().rstrip(".")
    domain = _SAME_AS.get(domain, domain)
    if len(local) >= 2 and local.startswith('"') and local.endswith('"'):
        local = _QUOTED_PAIR.sub(r"\1", local[1:-1])
    local = local.lower().split("+", 1)[0]
    if domain in _DOTS_IGNORED:
        local = local.replace(".", "")
    return f"{local}@{domain}"
