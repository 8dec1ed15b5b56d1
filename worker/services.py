"""Worker-side writes that are not part of the send pipeline."""

from __future__ import annotations

import socket

from django.utils import timezone

from worker.models import WorkerHeartbeat


def heartbeat_record(*, marker: str = "", hostname: str | None = None) -> WorkerHeartbeat:
    heartbeat, _ = WorkerHeartbeat.objects.update_or_create(
        hostname=hostname or socket.gethostname(),
        defaults={"seen_at": timezone.now(), "marker": marker[:64]},
    )
    return heartbeat
