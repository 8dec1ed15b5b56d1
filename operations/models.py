"""What running the platform keeps: the development outbox's messages and the workers' heartbeats.

Both tables kept the names they had in the worker app (db_table), so moving the models moved no row
(docs/decisions/0009-operations-app.md).
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class OutboxMessage(models.Model):
    """A message the outbox backend 'sent': kept so a person can open it, rendered, in the browser."""

    sent_at = models.DateTimeField(default=timezone.now, db_index=True)
    from_email = models.CharField(max_length=400)
    to = models.TextField(help_text="Comma-separated recipients.")
    subject = models.CharField(max_length=400)
    headers = models.JSONField(default=dict)
    text = models.TextField(blank=True)
    html = models.TextField(blank=True)
    raw = models.TextField(help_text="The full RFC 5322 message as it would go on the wire.")

    class Meta:
        db_table = "worker_outboxmessage"
        ordering = ["-sent_at", "-id"]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to}"


class WorkerHeartbeat(models.Model):
    """Written by a periodic task: proves a worker took a task from Redis and reached the database."""

    hostname = models.CharField(max_length=200, unique=True)
    seen_at = models.DateTimeField(default=timezone.now)
    marker = models.CharField(max_length=64, blank=True)

    class Meta:
        db_table = "worker_workerheartbeat"

    def __str__(self) -> str:
        return f"{self.hostname} @ {self.seen_at:%Y-%m-%d %H:%M:%S}"
