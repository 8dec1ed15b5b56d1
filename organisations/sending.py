"""How a message goes out through its organisation's sending domain, and whether its From address is aligned
with that domain (DMARC, relaxed alignment). One definition each: the digests (worker.messages), the
confirmations and welcomes (subscribers.notifications), the pre-send check and the admin all call these.

Blank sending domain: the installation's MAILGUN_SENDER_DOMAIN (or, with another provider, nothing is changed:
the provider's own settings decide, as before organisations existed). docs/decisions/0011-organisations.md.
"""

from __future__ import annotations

from functools import cache

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils.translation import gettext
from publicsuffixlist import PublicSuffixList

from organisations.models import Organisation

# The local part of the envelope sender (Return-Path) on the sending domain, where bounces come back.
BOUNCE_LOCAL_PART = "bounces"
# Django backends that hand `message.from_email` to the server as the envelope sender (MAIL FROM) while the
# From header comes from extra_headers["From"] when given (django.core.mail.backends.smtp, and the stores).
_ENVELOPE_BACKENDS = ("smtp", "outbox", "locmem", "console")
# Anymail providers that take `envelope_sender` (their table "envelope_sender: Yes"); Mailgun takes the domain
# through esp_extra. The others (Postmark, SendGrid, Resend, Brevo, ...) set the Return-Path domain in their
# own account per sending domain: nothing to say per message.
_ANYMAIL_ENVELOPE_PROVIDERS = ("amazon_ses", "sparkpost", "mailjet", "postal")


def sending_domain(organisation: Organisation) -> str:
    """The domain the organisation's messages are sent through; "" when the provider's own settings decide."""
    if organisation.sending_domain:
        return organisation.sending_domain
    if settings.EMAIL_PROVIDER == "mailgun":
        return str(settings.ANYMAIL.get("MAILGUN_SENDER_DOMAIN", "")).strip().lower()
    return ""


def envelope_sender(domain: str) -> str:
    return f"{BOUNCE_LOCAL_PART}@{domain}"


def sending_domain_apply(message: EmailMessage, *, domain: str) -> None:
    """Make `message` go out through `domain`: Mailgun's per-message sender domain, or the envelope sender
    (Return-Path) on the domain with the From header left as it is. Nothing when `domain` is blank."""
    if not domain:
        return
    provider = settings.EMAIL_PROVIDER
    if provider == "mailgun":
        message.esp_extra = {**(getattr(message, "esp_extra", None) or {}), "sender_domain": domain}
    elif provider in _ANYMAIL_ENVELOPE_PROVIDERS:
        message.envelope_sender = envelope_sender(domain)
    elif provider in _ENVELOPE_BACKENDS:
        message.extra_headers = {"From": message.from_email, **message.extra_headers}
        message.from_email = envelope_sender(domain)


@cache
def _suffixes() -> PublicSuffixList:
    return PublicSuffixList()  # the list shipped in the package: no network


def organisational_domain(domain: str) -> str:
    """DMARC's organisational domain: one label more than the public suffix (mg.example.org -> example.org)."""
    domain = domain.strip().rstrip(".").lower()
    return _suffixes().privatesuffix(domain) or domain


def address_domain(address: str) -> str:
    return address.rsplit("@", 1)[-1].strip().lower()


def aligned(*, from_email: str, domain: str) -> bool:
    """Relaxed DMARC alignment of the From address with the sending domain: same organisational domain.
    A blank sending domain is not judged here (the provider's settings decide): True."""
    if not domain:
        return True
    return organisational_domain(address_domain(from_email)) == organisational_domain(domain)


def alignment_problem(*, from_email: str, organisation: Organisation) -> str:
    """Why a list's sender address cannot pass DMARC through its organisation's sending domain, in words an
    editor acts on; "" when it can (or when no sending domain is known to judge it)."""
    domain = sending_domain(organisation)
    if aligned(from_email=from_email, domain=domain):
        return ""
    return gettext(
        "The sender address %(from_email)s is not on the sending domain of %(organisation)s (%(domain)s): "
        "receiving servers would fail its DMARC check and may reject the emails or file them as spam. Either give "
        "the list a sender address at %(expected)s, or set the organisation's sending domain to a domain under "
        "%(from_domain)s that is authenticated (SPF and DKIM) at your email provider."
    ) % {"from_email": from_email, "organisation": organisation.name, "domain": domain,
         "expected": organisational_domain(domain), "from_domain": organisational_domain(address_domain(from_email))}
