"""Each worker's last sign of life, written by the beat's heartbeat task (the admin lists them)."""

from __future__ import annotations

import socket

from django.utils import timezone

from operations.models import WorkerHeartbeat


def heartbeat_record(*, marker: str = "", hostname: str | None = None) -> WorkerHeartbeat:
    heartbeat, _ = WorkerHeartbeat.objects.update_or_create(
        hostname=hostname or socket.gethostname(),
        defaults={"seen_at": timezone.now(), "marker": marker[:64]},
    )
    return heartbeat
