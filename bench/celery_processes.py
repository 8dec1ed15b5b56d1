"""Celery worker and beat processes started as production starts them (docker-compose.yml), and the pool
child that is running a task, for the fault run's SIGKILL.

The workers are told apart by their node name (`mail@host`, `bulk@host`); a worker that consumes a queue no
task is routed to simply idles.
"""

from __future__ import annotations

import signal
import socket
import sys
import time
from pathlib import Path

from bench.measure import descendants
from tests.support.processes import ManagedProcess, child_env


def _log_size(path: Path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return 0


def _wait_for_log(process: ManagedProcess, *, marker: bytes, after: int, timeout: float, what: str) -> None:
    """Wait for `marker` in what the process wrote to its log after byte `after` (its log is appended to
    across restarts, so an earlier start's line must not count)."""
    deadline = time.monotonic() + timeout
    while True:
        if process.proc is not None and process.proc.poll() is not None:
            raise RuntimeError(f"{what} exited with {process.proc.returncode}:\n{process.log_tail()}")
        with open(process.log_path, "rb") as log:
            log.seek(after)
            if marker in log.read():
                return
        if time.monotonic() > deadline:
            raise RuntimeError(f"timed out after {timeout:.0f}s waiting for {what}:\n{process.log_tail()}")
        time.sleep(0.1)


def start_worker(log_dir: Path, *, name: str, queues: str, env: dict[str, str], concurrency: int = 2) -> ManagedProcess:
    """`celery -A worker worker -Q <queues> -n <name>@%h` with production's options, ready to take tasks."""
    args = [sys.executable, "-m", "celery", "-A", "worker", "worker", "-Q", queues, "-n", f"{name}@%h",
            "--loglevel=INFO", f"--concurrency={concurrency}", "--without-gossip", "--without-mingle"]
    log_path = log_dir / f"worker-{name}.log"
    offset = _log_size(log_path)
    process = ManagedProcess(args, child_env(**env), log_path).start()
    # The broker may be the one being restarted: readiness is read from the log, not asked through Redis.
    _wait_for_log(process, marker=b" ready.", after=offset, timeout=90, what=f"the {name} worker")
    return process


def start_beat(log_dir: Path, *, env: dict[str, str]) -> ManagedProcess:
    args = [sys.executable, "-m", "celery", "-A", "worker", "beat", "--loglevel=INFO",
            f"--schedule={log_dir / 'celerybeat-schedule'}"]
    return ManagedProcess(args, child_env(**env), log_dir / "beat.log").start()


def pool_children(process: ManagedProcess) -> list[int]:
    """The pool processes (and anything they started) of a prefork worker, read from /proc."""
    return descendants(process.proc.pid) if process.proc is not None else []


def busy_children(name: str, process: ManagedProcess) -> list[int]:
    """Pool children of worker `name` that are running a task now, from Celery's remote control (the worker
    says which child runs which task); a child that has no task, or a worker that did not answer, is not busy."""
    from worker.celery_app import app

    node = f"{name}@{socket.gethostname()}"
    try:
        active = app.control.inspect(destination=[node], timeout=1.0).active() or {}
    except Exception:  # noqa: BLE001 - the broker may be down: nobody is known to be busy
        return []
    children = set(pool_children(process))
    return [task["worker_pid"] for task in active.get(node, []) if task.get("worker_pid") in children]


def kill_worker(process: ManagedProcess) -> None:
    """SIGKILL the worker's whole process group: the main process and its pool children die at once, as when
    its machine or container is lost; nothing runs its shutdown."""
    process.kill(signal.SIGKILL)
