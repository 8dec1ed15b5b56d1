"""Which email domains we accept from the public form, the API and CSV imports: public DNS names only.

An address at `localhost`, an IP literal, a single-label name or a reserved/special-use suffix cannot
receive mail from the internet; accepting it would let anyone make us send to internal hosts and would
fill lists with addresses that only bounce. Decided from the text alone: no DNS lookups (slow, and a
lookup itself reaches out to whatever name a stranger typed).
"""

from __future__ import annotations

import ipaddress

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

NOT_PUBLIC_MESSAGE = _("Use an address on a public internet domain (this one cannot receive our emails).")

# RFC 6761/6762/7686/8375 special-use names and the suffixes intranets commonly use. example.org/.com/.net
# stay allowed on purpose: documentation, demo data and tests use them.
RESERVED_SUFFIXES = (
    "localhost",
    "local",
    "internal",
    "lan",
    "home.arpa",
    "test",
    "invalid",
    "onion",
    "arpa",
)


def public_domain_problem(email: str) -> str:
    """Empty when the address's domain is a public DNS name; otherwise the reason, in words a person reads."""
    domain = email.rpartition("@")[2].strip().lower().rstrip(".")
    if not domain or domain.startswith("[") or _is_ip_address(domain) or "." not in domain:
        return str(NOT_PUBLIC_MESSAGE)
    if any(domain == suffix or domain.endswith("." + suffix) for suffix in RESERVED_SUFFIXES):
        return str(NOT_PUBLIC_MESSAGE)
    return ""


def validate_public_domain(email: str) -> None:
    """Django validator form of public_domain_problem (for form fields)."""
    if public_domain_problem(email):
        raise ValidationError(NOT_PUBLIC_MESSAGE, code="not_public_domain")


def _is_ip_address(domain: str) -> bool:
    try:
        ipaddress.ip_address(domain)
    except ValueError:
        return False
    return True
