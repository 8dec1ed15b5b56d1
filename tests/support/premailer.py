"""Counting premailer runs from outside the product (tests and the bench).

Every premailer call goes through `newsletter.rendering._inline_css`. In this process `counting_premailer()`
wraps it for the length of a block. A Celery worker started with `start_worker(..., premailer_count=path)` runs
through `python -m tests.support.premailer`, which wraps it in every pool process and appends one byte to
`path` per run (O_APPEND: the processes' writes do not overwrite each other); `runs_counted(path)` reads it.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

COUNT_TO = "PREMAILER_COUNT_TO"  # the worker's environment: where to append its runs


@dataclass
class PremailerRuns:
    calls: int = 0


@contextmanager
def counting_premailer() -> Iterator[PremailerRuns]:
    """Count the premailer runs made in this process inside the block."""
    from newsletter import rendering

    runs = PremailerRuns()
    inline = rendering._inline_css

    def counted(html: str) -> str:
        runs.calls += 1
        return inline(html)

    with mock.patch.object(rendering, "_inline_css", counted):
        yield runs


def runs_counted(path: Path) -> int:
    """Premailer runs a worker started with `premailer_count=path` has made so far."""
    return path.stat().st_size if path.exists() else 0


def _count_in_pool_process(**_kwargs: object) -> None:
    from newsletter import rendering

    if getattr(rendering._inline_css, "counted", False):
        return  # already wrapped in this process (or in the parent it was forked from)
    path = os.environ[COUNT_TO]
    inline = rendering._inline_css

    def counted(html: str) -> str:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, b".")
        finally:
            os.close(fd)
        return inline(html)

    counted.counted = True
    rendering._inline_css = counted


if __name__ == "__main__":
    # `python -m tests.support.premailer <celery arguments>`: celery, with premailer counted in each process
    # that runs tasks (prefork children at start; the main process once ready, for the solo and threads pools).
    from celery.__main__ import main
    from celery.signals import worker_process_init, worker_ready

    worker_process_init.connect(_count_in_pool_process, weak=False)
    worker_ready.connect(_count_in_pool_process, weak=False)
    sys.argv[0] = "celery"
    sys.exit(main())
