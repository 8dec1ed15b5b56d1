"""What running the platform keeps: the development outbox's messages and the workers' heartbeats.

Both tables kept the names they had in the worker app (db_table), so moving the models moved no row
(docs/decisions/0009-operations-app.md).
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    """A message the outbox backend 'sent': kept so a person can open it, rendered, in the browser."""

    sent_at = models.DateTimeField(_("sent at"), default=timezone.now, db_index=True)
    from_email = models.CharField(_("from email"), max_length=400)
    to = models.TextField(_("to"), help_text=_("Comma-separated recipients."))
    subject = models.CharField(_("subject"), max_length=400)
    headers = models.JSONField(_("headers"), default=dict)
    text = models.TextField(_("text"), blank=True)
    html = models.TextField(_("HTML"), blank=True)
    raw = models.TextField(_("raw message"), help_text=_("The full RFC 5322 message as it would go on the wire."))

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        db_table = "worker_outboxmessage"
        ordering = ["-sent_at", "-id"]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to}"


class WorkerHeartbeat(models.Model):
    """Written by a periodic task: proves a worker took a task from Redis and reached the database."""

    hostname = models.CharField(_("hostname"), max_length=200, unique=True)
    seen_at = models.DateTimeField(_("seen at"), default=timezone.now)
    marker = models.CharField(_("marker"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")
        db_table = "worker_workerheartbeat"

    def __str__(self) -> str:
        return f"{self.hostname} @ {self.seen_at:%Y-%m-%d %H:%M:%S}"
