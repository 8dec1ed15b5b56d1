"""The peer, django-newsletter, in its own virtualenv (var/bench/peer-venv), timed in the same run as ours."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench import database
from bench.stepper import Stepper

ROOT = Path(__file__).resolve().parent.parent
PEER_DIR = ROOT / "bench" / "peer"
VENV = ROOT / "var" / "bench" / "peer-venv"
REQUIREMENTS = PEER_DIR / "requirements.txt"
DATABASE = os.environ.get("BENCH_DATABASE", "pub_bench") + "_peer"


def ensure_venv() -> Path:
    """Create the peer virtualenv and install the pinned requirements once (a stamp remembers them)."""
    python = VENV / "bin" / "python"
    stamp = VENV / ".requirements"
    wanted = REQUIREMENTS.read_text()
    if python.exists() and stamp.exists() and stamp.read_text() == wanted:
        return python
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", "-r", str(REQUIREMENTS)], check=True)
    stamp.write_text(wanted)
    return python


@contextmanager
def peer_side(*, messages: int, articles: int, warmup: int, runs: int) -> Iterator[Stepper]:
    """django-newsletter set up and warmed up in its own process and database, ready to time `runs` submissions."""
    python = ensure_venv()
    url = database.recreate(DATABASE)
    side = None
    try:
        side = Stepper([str(python), "-W", "ignore", "send_peer.py", str(messages), str(articles), str(warmup), str(runs)],
                       cwd=PEER_DIR, env={"PATH": "/usr/bin:/bin", "PEER_DATABASE_URL": url}, name="django-newsletter")
        yield side
    finally:
        if side is not None:
            side.close()
        database.drop(DATABASE)
