"""Where one batch's time goes: each step of sending 1,000 recipients, timed in-process (best of 3).

The end-to-end figures say how fast; this says why. Steps follow worker.sending.batch_send: read the
recipients, build the merged message (worker.messages), anymail's Mailgun payload, the HTTP body
(requests), and for the per-message modes one Django message per recipient, serialised as SMTP does
(`message().as_bytes()`) and handed to the in-memory backend. Nothing is sent.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import requests
from django.core.mail import get_connection
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend

from bench.content import digest_create
from bench.report import Report

SIZE = 1000


def _best(step: Callable[[], object], repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        step()
        best = min(best, time.perf_counter() - started)
    return best


def batch_anatomy(report: Report, *, mailing_list) -> dict[str, float]:
    from newsletter.rendering import render_digest_variants
    from subscribers.models import Subscriber
    from worker.messages import Recipient, build_envelope, merged_message, single_message
    from worker.prebuilt_mime import prebuild

    digest = digest_create(mailing_list=mailing_list, subject="Bench anatomy")
    variant = next(v for v in render_digest_variants(digest_id=digest.id) if v.language == "ar")
    envelope = build_envelope(digest_id=digest.id, mailing_list=mailing_list, subject=variant.subject,
                              html_body=variant.html, text_body=variant.text, web_url="https://news.example.org/archive/1/")

    def read() -> list:
        return [
            Recipient(delivery_id=s_id, subscriber_id=s_id, email=email, name=name)
            for s_id, email, name in Subscriber.objects.filter(subscriptions__mailing_list=mailing_list)
            .order_by("id").values_list("id", "email", "name")[:SIZE]
        ]

    recipients = read()
    if len(recipients) < SIZE:
        raise RuntimeError(f"anatomy needs {SIZE} subscribers on the list")
    options = {"api_key": "key-bench", "sender_domain": "mg.example.org", "api_url": "http://127.0.0.1:9/v3"}
    # What the engine sends with (worker.mailgun_backend), and anymail's stock backend for comparison.
    backend = get_connection("worker.mailgun_backend.EmailBackend", **options)
    stock = get_connection("anymail.backends.mailgun.EmailBackend", **options)
    message = merged_message(envelope=envelope, recipients=recipients, merge_syntax="%recipient.{key}%")
    payload = backend.build_message_payload(message, backend.send_defaults)
    stock_payload = stock.build_message_payload(message, stock.send_defaults)

    def encode(payload=payload) -> int:
        params = payload.get_request_params(backend.api_url)
        wanted = {key: params[key] for key in ("method", "url", "data", "files", "headers", "auth", "params") if key in params}
        return len(requests.Request(**wanted).prepare().body)

    # Per-message mode builds the MIME message once per batch and fills each recipient in at the byte
    # level (worker.prebuilt_mime); Django's own per-recipient build is timed beside it.
    prebuilt = prebuild(envelope, backend=None)
    singles = [single_message(envelope=envelope, recipient=r, prebuilt=prebuilt) for r in recipients]
    django_singles = [single_message(envelope=envelope, recipient=r) for r in recipients]
    locmem = LocmemBackend()

    def per_message_batch() -> list:
        batch_prebuilt = prebuild(envelope, backend=None)  # once per batch, as worker.sending does
        return [single_message(envelope=envelope, recipient=r, prebuilt=batch_prebuilt) for r in recipients]

    steps = {
        "read 1,000 recipients (one query)": read,
        "merged message: personal values, signed links, merge data (worker.messages.merged_message)":
            lambda: merged_message(envelope=envelope, recipients=recipients, merge_syntax="%recipient.{key}%"),
        "Mailgun payload (worker.mailgun_backend: anymail's, plain addresses not re-parsed)":
            lambda: backend.build_message_payload(message, backend.send_defaults),
        "HTTP body (multipart/form-data, joined once)": encode,
        "for comparison: anymail's stock Mailgun payload": lambda: stock.build_message_payload(message, stock.send_defaults),
        "for comparison: anymail's stock HTTP body (urlencoded by requests)": lambda: encode(stock_payload),
        "per-message: 1,000 messages, MIME built once and filled per recipient (worker.prebuilt_mime)":
            per_message_batch,
        "per-message: MIME bytes as SMTP sends them (message().as_bytes())": lambda: [m.message().as_bytes() for m in singles],
        "per-message: Django in-memory backend (send_messages)": lambda: [locmem.send_messages([m]) for m in singles],
        "for comparison: 1,000 messages built by Django per recipient (EmailMultiAlternatives)":
            lambda: [single_message(envelope=envelope, recipient=r) for r in recipients],
        "for comparison: Django's MIME serialisation per recipient": lambda: [m.message().as_bytes() for m in django_singles],
    }
    results = {}
    for label, step in steps.items():
        elapsed = _best(step)
        results[label] = elapsed
        report.add("batch anatomy", label, f"{elapsed * 1e6 / SIZE:,.0f} µs per recipient")
    report.add("batch anatomy", "HTTP body of one 1,000-recipient Mailgun call", f"{encode() / 1e6:.2f} MB")
    digest.delete()
    return results
