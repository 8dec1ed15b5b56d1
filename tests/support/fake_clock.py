"""A fake clock that the test process and the Celery workers it starts all read: the real time plus an offset kept
in a file, which the test moves forward (`clock_set`).

A worker started with `start_worker(..., fake_clock=path)` runs through `python -m tests.support.fake_clock`,
which replaces `django.utils.timezone.now` before Django loads anything, so every claim, scan, reconcile and
batch record of that worker reads the fake time (what the product reads its time through). Celery's own timers,
Redis expiries and the kernel stay on the real clock: only the product's notion of "now" moves. Between two
moves the fake clock runs at real speed.
"""

from __future__ import annotations

import os
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

CLOCK_FILE = "FAKE_CLOCK_FILE"  # the worker's environment: where the offset is


def _real_now() -> datetime:
    return datetime.now(UTC)


def clock_set(path: Path, when: datetime) -> None:
    """Move the shared clock so that it reads `when` now (atomically: a reader never sees half a number)."""
    temporary = path.with_suffix(".tmp")
    temporary.write_text(repr((when - _real_now()).total_seconds()))
    os.replace(temporary, path)


def clock_now(path: Path) -> datetime:
    """What the shared clock reads now."""
    try:
        offset = float(path.read_text())
    except (FileNotFoundError, ValueError):
        offset = 0.0
    return _real_now() + timedelta(seconds=offset)


def install() -> None:
    """Make django.utils.timezone.now read the clock named by FAKE_CLOCK_FILE (before Django is set up)."""
    from django.utils import timezone

    path = Path(os.environ[CLOCK_FILE])
    timezone.now = lambda: clock_now(path)


if __name__ == "__main__":
    # `python -m tests.support.fake_clock <celery arguments>`: celery, every process on the shared fake clock
    # (prefork children inherit the replaced function).
    install()
    from celery.__main__ import main

    sys.argv[0] = "celery"
    sys.exit(main())
