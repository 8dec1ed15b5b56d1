"""What a worker process does once at start, before its first task."""

from __future__ import annotations

import gc


def worker_process_ready() -> None:
    """Put every object alive at start (Django, the apps, models, templates, the Celery app) out of the
    cyclic collector's reach.

    Those objects live as long as the process, yet each full collection walks all of them, a visible share
    of a send's time (docs/decisions/0005-per-message-cpu.md). `gc.freeze()` is the standard library's answer
    for exactly these long-lived objects;
    collection still runs for everything a task creates. In a prefork child it also keeps the collector
    from writing to pages shared with the parent (copy-on-write).
    """
    gc.freeze()
