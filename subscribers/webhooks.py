"""The receiver for anymail's tracking signal. anymail's views (routed at /anymail/<provider>/tracking/)
authenticate the request (WEBHOOK_SECRET basic auth, and the provider's signature such as
MAILGUN_WEBHOOK_SIGNING_KEY) before this runs; a refused request never reaches it."""

from __future__ import annotations

import logging

from anymail.signals import AnymailTrackingEvent
from django.conf import settings

from subscribers.provider_events import provider_event_record

log = logging.getLogger(__name__)

# Providers whose every webhook anymail verifies by a signature it requires to be configured.
_SIGNED_BY_PROVIDER = {"Mailgun"}


def on_tracking_event(sender: object, event: AnymailTrackingEvent, esp_name: str, **kwargs: object) -> None:
    # Without WEBHOOK_SECRET anymail lets anybody in (with only a warning): a forged "complaint" would
    # suppress any address. Such events are dropped, not acted on.
    if not settings.ANYMAIL.get("WEBHOOK_SECRET") and esp_name not in _SIGNED_BY_PROVIDER:
        log.error("event=provider_event_refused", extra={"reason": "no_webhook_secret", "esp": esp_name})
        return
    provider_event_record(event=event, esp_name=esp_name)
