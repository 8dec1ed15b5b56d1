"""Two processes timed in turns: the bench alternates our runs with the peer's, so that a slower or faster spell
of this shared machine falls on both sides rather than on one (each side timed in a block of its own moved the
ratio by half between two bench runs).

A side's script does its setup and warm-up, then calls `serve`: for each line "run" on stdin it runs once and
writes one JSON line. The bench drives it with `Stepper`. The protocol is stdin/stdout lines so the peer's
script, in a virtualenv of its own, needs nothing from this project.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path


def serve(run_once: Callable[[int], dict]) -> None:
    """The side's loop: "ready" once set up, then one JSON line per "run" (the run's number is passed on)."""
    print(json.dumps({"ready": True}), flush=True)
    for number, line in enumerate(sys.stdin):
        if line.strip() != "run":
            break
        print(json.dumps(run_once(number)), flush=True)


class Stepper:
    """One side, started and set up; `step()` times one run."""

    def __init__(self, command: list[str], *, cwd: Path, env: dict[str, str], name: str) -> None:
        self.name = name
        self.process = subprocess.Popen(command, cwd=cwd, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, text=True)
        self._read()  # {"ready": true} once its setup and warm-up are done

    def step(self) -> dict:
        self.process.stdin.write("run\n")
        self.process.stdin.flush()
        return self._read()

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.stdin.close()
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def _read(self) -> dict:
        line = self.process.stdout.readline()
        if not line:
            self.process.wait()
            raise RuntimeError(f"{self.name} stopped (exit {self.process.returncode}):\n{self.process.stderr.read()[-3000:]}")
        return json.loads(line)
