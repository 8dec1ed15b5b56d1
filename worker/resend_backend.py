"""Anymail's Resend backend plus Resend's `Idempotency-Key` request header.

Anymail has no option for it (esp_extra only reaches the JSON body), and Resend reads it from the
HTTP request headers. A message with an `idempotency_key` attribute sends it; Resend then accepts
a repeated call with the same key once, so a retried batch cannot mail anybody twice.
"""

from __future__ import annotations

from anymail.backends.resend import EmailBackend as ResendEmailBackend


class EmailBackend(ResendEmailBackend):
    def build_message_payload(self, message, defaults):
        payload = super().build_message_payload(message, defaults)
        key = getattr(message, "idempotency_key", None)
        if key:
            payload.headers["Idempotency-Key"] = str(key)[:256]
        return payload
