"""Worker-side writes. The send pipeline lives in planning, sending, recovery and control; its
public functions are re-exported here so callers have one place to import writes from."""

from __future__ import annotations

import socket

from django.utils import timezone

from worker.control import (  # noqa: F401 - re-exported
    SendControlError,
    digest_cancel,
    digest_pause,
    digest_resend_uncertain,
    digest_resume,
    digest_schedule_send,
)
from worker.models import WorkerHeartbeat
from worker.planning import batches_cut, batches_poke, deliveries_plan, digest_prepare, digests_claim_due  # noqa: F401
from worker.recovery import sends_reconcile  # noqa: F401
from worker.sending import batch_claim, batch_recipients, batch_send, digest_finish_if_done  # noqa: F401


def heartbeat_record(*, marker: str = "", hostname: str | None = None) -> WorkerHeartbeat:
    heartbeat, _ = WorkerHeartbeat.objects.update_or_create(
        hostname=hostname or socket.gethostname(),
        defaults={"seen_at": timezone.now(), "marker": marker[:64]},
    )
    return heartbeat
