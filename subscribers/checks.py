"""Deployment checks (`manage.py check --deploy` and every start) for the audience side."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Warning, register

_LOCAL = {"outbox", "smtp", "console", "locmem"}


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
