"""The receiver for anymail's tracking signal. anymail's views (routed at /anymail/<provider>/tracking/)
authenticate the request (WEBHOOK_SECRET basic auth, and the provider's signature such as
MAILGUN_WEBHOOK_SIGNING_KEY) before this runs; a refused request never reaches it."""

from __future__ import annotations

from anymail.signals import AnymailTrackingEvent

from subscribers.provider_events import provider_event_record


def on_tracking_event(sender: object, event: AnymailTrackingEvent, esp_name: str, **kwargs: object) -> None:
    provider_event_record(event=event, esp_name=esp_name)
