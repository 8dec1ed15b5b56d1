"""py-spy around a worker process tree during a send (BENCH_PROFILE=1), summarised to the project's hot spots.

py-spy samples from outside (no code change, no slowdown of the sampled process beyond the sampling);
its "raw" output is one collapsed stack per line with a sample count, which `summarise` turns into
inclusive shares per function so the report can say where the time goes.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def enabled() -> bool:
    return os.environ.get("BENCH_PROFILE", "") in {"1", "true", "yes"}


def py_spy() -> str | None:
    beside = Path(sys.executable).with_name("py-spy")
    return str(beside) if beside.exists() else shutil.which("py-spy")


class Recording:
    """`py-spy record --subprocesses` of `pid` into `raw_path` until stopped."""

    def __init__(self, pid: int, raw_path: Path):
        self.raw_path = raw_path
        self.proc = None
        binary = py_spy()
        if binary is None:
            return
        raw_path.parent.mkdir(parents=True, exist_ok=True)
        self.proc = subprocess.Popen(
            [binary, "record", "--pid", str(pid), "--subprocesses", "--rate", "200", "--format", "raw",
             "--output", str(raw_path), "--nonblocking"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)  # py-spy writes its file on SIGINT
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()


def summarise(raw_path: Path, *, top: int = 25, only: tuple[str, ...] = ("worker/", "newsletter/", "subscribers/")) -> str:
    """Inclusive sample share of every function (project files first), idle samples left out."""
    inclusive: Counter[str] = Counter()
    total = 0
    for line in raw_path.read_text(errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        frames = stack.split(";")
        # Idle: a worker waiting on Redis or for a task is not where the send's time goes.
        if any(idle in stack for idle in ("(kombu/", "(billiard/pool.py)", "select (selectors.py")) and not any(
            part in stack for part in only
        ):
            continue
        n = int(count)
        total += n
        for frame in dict.fromkeys(frames):
            inclusive[frame] += n
    if not total:
        return "no busy samples"
    lines = [f"{total} busy samples"]
    for frame, n in inclusive.most_common():
        if len(lines) > top:
            break
        if any(part in frame for part in only) or "psycopg" in frame or "anymail" in frame or "requests" in frame:
            lines.append(f"{100 * n / total:5.1f}%  {frame}")
    return "\n".join(lines)
