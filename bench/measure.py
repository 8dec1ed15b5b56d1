"""Timing and peak-memory helpers.

Peak memory is read from Linux's /proc/<pid>/status `VmHWM` (the resident-set high-water mark the
kernel keeps per process), so a child process's peak is known without sampling it.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass
class Timer:
    started: float = 0.0
    elapsed: float = 0.0


@contextmanager
def timed() -> Iterator[Timer]:
    timer = Timer(started=time.perf_counter())
    try:
        yield timer
    finally:
        timer.elapsed = time.perf_counter() - timer.started


def _status_field(pid: int, name: str) -> int | None:
    """A kB field of /proc/<pid>/status in bytes, or None when the process is gone."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith(name + ":"):
                    return int(line.split()[1]) * 1024
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None
    return None


def peak_rss(pid: int) -> int | None:
    """Peak resident set size (VmHWM) of one process, in bytes."""
    return _status_field(pid, "VmHWM")


def descendants(pid: int) -> list[int]:
    """All living descendants of `pid` (children, grandchildren...), found through /proc/*/stat."""
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                # The command name may contain spaces and parentheses: the ppid is after the last ')'.
                ppid = int(stat.read().rsplit(")", 1)[1].split()[1])
        except (FileNotFoundError, ProcessLookupError, IndexError, ValueError):
            continue
        parents.setdefault(ppid, []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


@dataclass
class TreePeak:
    """Largest VmHWM seen among a process and its descendants (a prefork worker's pool children)."""

    root: int
    peaks: dict[int, int] = field(default_factory=dict)

    def sample(self) -> None:
        # Children may exit (max-tasks-per-child); keep the highest mark ever read for each pid.
        for pid in [self.root, *descendants(self.root)]:
            value = peak_rss(pid)
            if value is not None and value > self.peaks.get(pid, 0):
                self.peaks[pid] = value

    @property
    def largest(self) -> int:
        return max(self.peaks.values(), default=0)


def rate(count: float, seconds: float) -> float:
    return count / seconds if seconds > 0 else float("inf")


def mib(value: int | float) -> float:
    return value / (1024 * 1024)


_TICKS = os.sysconf("SC_CLK_TCK")


def _cpu_fields(pid: int) -> tuple[float, float] | None:
    """(own user+system seconds, reaped children's user+system seconds) of one process."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return None
    # Fields after the command name start at field 3 (state); utime is field 14, cstime field 17.
    utime, stime, cutime, cstime = (int(value) for value in fields[11:15])
    return (utime + stime) / _TICKS, (cutime + cstime) / _TICKS


def tree_cpu_seconds(pid: int) -> float:
    """CPU seconds used so far by a process, its living descendants and the children it has reaped."""
    total = 0.0
    root = _cpu_fields(pid)
    if root is not None:
        total += root[0] + root[1]
    for child in descendants(pid):
        fields = _cpu_fields(child)
        if fields is not None:
            total += fields[0] + fields[1]
    return total


def own_cpu_seconds() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime
