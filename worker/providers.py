"""What the delivery engine needs to know about each provider, in one table.

A provider either merges per-recipient fields itself (one API call carries a whole batch, the body
holds the provider's merge syntax, and `merge_data`/`merge_headers`/`merge_metadata` carry each
recipient's values), or it does not (one message per recipient over one reused connection, values
filled by string substitution into the pre-rendered variant). Everything provider-specific lives
here, so the send code has no per-provider branches.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class ProviderProfile:
    """Contract of one row.

    name: settings.EMAIL_PROVIDER value.
    batch_size: recipients per batch (per API call when `merge_syntax` is set).
    rate_per_second: default messages per second across all workers (0 = unlimited).
    merge_syntax: format string turning a merge key into the provider's in-message reference
        (Mailgun: "%recipient.{key}%"); None means the provider cannot merge body fields, so every
        recipient gets her own message.
    backend: Django email backend path; None means settings.EMAIL_BACKEND.
    idempotency_keys: the backend sends `message.idempotency_key` to the provider (Resend).
    address_refusal: regular expression matching the provider's answer when it refuses a whole merged
        call because of one recipient's address (nobody in it sent): the batch is then split to find it.
    tracking_options: the provider takes open and click tracking per message (anymail's `track_opens` and
        `track_clicks`): every message then says its list's choice. Anymail refuses the two attributes for a
        provider that has no such option (Resend, SES: tracking is the sending domain's setting there).
    """

    name: str
    batch_size: int
    rate_per_second: float
    merge_syntax: str | None = None
    backend: str | None = None
    idempotency_keys: bool = False
    address_refusal: str | None = None
    tracking_options: bool = False

    @property
    def merges(self) -> bool:
        return self.merge_syntax is not None


_DEFAULT = ProviderProfile("default", batch_size=100, rate_per_second=10)

PROVIDERS: dict[str, ProviderProfile] = {
    profile.name: profile
    for profile in [
        ProviderProfile(
            "mailgun", batch_size=1000, rate_per_second=100, merge_syntax="%recipient.{key}%",
            backend="worker.mailgun_backend.EmailBackend",
            address_refusal=r"not a valid address",  # "'to' parameter is not a valid address. please check ..."
            tracking_options=True,
        ),
        # Resend's batch endpoint cannot personalise the body, so one call per recipient, with a key.
        ProviderProfile(
            "resend", batch_size=100, rate_per_second=2, backend="worker.resend_backend.EmailBackend", idempotency_keys=True
        ),
        # Postmark and SES batch only with stored templates: our bodies are rendered here.
        ProviderProfile("postmark", batch_size=500, rate_per_second=50, tracking_options=True),
        # Other anymail providers whose messages take tracking options; the rest of their row is the default's.
        *(ProviderProfile(name, _DEFAULT.batch_size, _DEFAULT.rate_per_second, tracking_options=True)
          for name in ("sendgrid", "sparkpost", "mailjet", "mandrill", "mailersend", "unisender_go")),
        ProviderProfile("amazon_ses", batch_size=50, rate_per_second=14),
        ProviderProfile("smtp", batch_size=100, rate_per_second=20),
        ProviderProfile("outbox", batch_size=200, rate_per_second=0),
        ProviderProfile("locmem", batch_size=200, rate_per_second=0),
        ProviderProfile("console", batch_size=50, rate_per_second=0),
    ]
}


def current_provider() -> ProviderProfile:
    """The profile of settings.EMAIL_PROVIDER with SEND_BATCH_SIZE / SEND_RATE_PER_SECOND overrides applied."""
    name = settings.EMAIL_PROVIDER
    base = PROVIDERS.get(name, ProviderProfile(name, _DEFAULT.batch_size, _DEFAULT.rate_per_second))
    batch_size = settings.SEND_BATCH_SIZE or base.batch_size
    if base.merges:
        batch_size = min(batch_size, base.batch_size)  # the provider's own limit per call
    rate = settings.SEND_RATE_PER_SECOND or base.rate_per_second
    return ProviderProfile(
        name=base.name,
        batch_size=batch_size,
        rate_per_second=rate,
        merge_syntax=base.merge_syntax,
        backend=base.backend,
        idempotency_keys=base.idempotency_keys,
        address_refusal=base.address_refusal,
        tracking_options=base.tracking_options,
    )
