"""Deployment checks (`manage.py check --deploy` and every start) for the audience side."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

_LOCAL = {"outbox", "smtp", "console", "locmem"}
# config/settings.py's local default SECRET_KEY: it is in the public repository, so it keys nothing secret.
_PUBLIC_KEYS = {"insecure-local-development-key-do-not-use-in-production"}
_MIN_KEY_LENGTH = 32
_NEVER_CHANGE = (
    "ADDRESS_HASH_KEY must never change once set: rotate SECRET_KEY instead (keep the old one in"
    " SECRET_KEY_FALLBACKS). See docs/decisions/0002-address-hash-key.md."
)


@register()
def webhook_secret_configured(app_configs, **kwargs):
    """anymail accepts unauthenticated webhooks (with a warning) when WEBHOOK_SECRET is empty; we say so at start."""
    if settings.EMAIL_PROVIDER in _LOCAL or settings.ANYMAIL.get("WEBHOOK_SECRET"):
        return []
    return [
        Warning(
            "WEBHOOK_SECRET is not set: provider webhooks (bounces, complaints) are not authenticated.",
            hint="Set WEBHOOK_SECRET=user:password and put those credentials in the provider's webhook URL.",
            id="subscribers.W001",
        )
    ]


def production() -> bool:
    """A production start: the same condition config/settings.py refuses the local SECRET_KEY under."""
    return not settings.DEBUG and settings.REQUIRE_SECRET_KEY


# Providers that keep mail on this machine; smtp is not one (it may be a real relay).
_SENDS_NOTHING = {"outbox", "console", "locmem"}


@register()
def email_provider_sends(app_configs, **kwargs):
    """In production a provider that sends nothing would tell every reader "we sent you an email" falsely."""
    if not production() or settings.EMAIL_PROVIDER not in _SENDS_NOTHING or settings.ALLOW_LOCAL_EMAIL_PROVIDER:
        return []
    return [
        Error(
            f"EMAIL_PROVIDER={settings.EMAIL_PROVIDER} sends no email: confirmations and digests would only be"
            " stored on this machine while readers are told they were sent.",
            hint="Set EMAIL_PROVIDER to smtp or a provider (mailgun, postmark, amazon_ses, brevo, resend, ...) and"
            " its settings. To run a production-like instance that really sends nothing (a staging copy), set"
            " ALLOW_LOCAL_EMAIL_PROVIDER=1.",
            id="subscribers.E005",
        )
    ]


def insecure_links_reason() -> str:
    """Why the emails' links must not go out as they are, or "" when they may: SITE_URL is http while the
    provider really delivers mail."""
    if settings.EMAIL_PROVIDER in _SENDS_NOTHING or urlsplit(settings.SITE_URL).scheme == "https":
        return ""
    return (
        f"SITE_URL is {settings.SITE_URL}, so the unsubscribe, confirmation and web-version links of every email"
        f" sent through EMAIL_PROVIDER={settings.EMAIL_PROVIDER} are http: Gmail and Yahoo ignore one-click"
        " unsubscribe links (List-Unsubscribe) that are not https, and their bulk-sender rules require one-click."
    )


_HTTPS_HINT = (
    "Set SITE_URL to the https address readers reach (e.g. SITE_URL=https://news.example.org) and serve it through"
    " a TLS-terminating proxy (README: Running in production)."
)


@register()
def site_url_https_with_a_real_provider(app_configs, **kwargs):
    """Refused at a production start; a warning elsewhere, where tests and trials run real provider code against
    local http servers."""
    reason = insecure_links_reason()
    if not reason:
        return []
    if production():
        return [Error(reason, hint=_HTTPS_HINT, id="subscribers.E006")]
    return [Warning(reason, hint=_HTTPS_HINT + " A production start (REQUIRE_SECRET_KEY=1) refuses this.",
                    id="subscribers.W002")]


@register(Tags.security)
def address_hash_key_configured(app_configs, **kwargs):
    """Suppressions and erasures match people by an HMAC of the address: its key must be set and must outlive SECRET_KEY."""
    key = settings.ADDRESS_HASH_KEY
    if not settings.ADDRESS_HASH_KEY_IS_SET and (production() or settings.SECRET_KEY_FALLBACKS):
        return [
            Error(
                "ADDRESS_HASH_KEY is not set, so address hashes (suppressions, erasures, provider events) are keyed"
                " with SECRET_KEY: rotating SECRET_KEY would silently let suppressed and erased people be imported"
                " and mailed again.",
                hint="Existing installation: set ADDRESS_HASH_KEY to the value SECRET_KEY has now (before rotating"
                " it; if it was already rotated, to the old value now in SECRET_KEY_FALLBACKS). New installation:"
                " set it to 50 or more random characters. " + _NEVER_CHANGE,
                id="subscribers.E001",
            )
        ]
    if production() and key in _PUBLIC_KEYS:
        return [
            Error(
                "ADDRESS_HASH_KEY is the local development key, which is public: anyone could tell from a copy of"
                " the database whether an address is suppressed or erased.",
                hint="Set ADDRESS_HASH_KEY to 50 or more random characters (an existing installation: to the key its"
                " stored hashes were made with, see `manage.py rekey_address_hashes`). " + _NEVER_CHANGE,
                id="subscribers.E002",
            )
        ]
    if production() and len(key) < _MIN_KEY_LENGTH:
        return [
            Error(
                f"ADDRESS_HASH_KEY is {len(key)} characters long; it must be at least {_MIN_KEY_LENGTH}.",
                hint="Set it to 50 or more random characters. " + _NEVER_CHANGE,
                id="subscribers.E003",
            )
        ]
    return []


@register(Tags.database)
def address_hashes_match_key(app_configs, databases=None, **kwargs):
    """Run by migrate (every docker-compose start): stored hashes made with another key are reported, never used silently."""
    from subscribers.address_hash_keys import sample_check

    errors = []
    for alias in databases or []:
        result = sample_check(using=alias)
        if result is not None and result.mismatched:
            errors.append(
                Error(
                    f"{result.message()}: suppressions and erasures made with that key no longer match, so those"
                    " people could be imported and mailed again.",
                    hint="Set ADDRESS_HASH_KEY to the value of the key named there; `manage.py rekey_address_hashes`"
                    " checks every subscriber. " + _NEVER_CHANGE,
                    id="subscribers.E004",
                )
            )
    return errors
