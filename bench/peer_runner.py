"""The peer, django-newsletter, in its own virtualenv (var/bench/peer-venv), timed in the same run as ours."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from bench import database

ROOT = Path(__file__).resolve().parent.parent
PEER_DIR = ROOT / "bench" / "peer"
VENV = ROOT / "var" / "bench" / "peer-venv"
REQUIREMENTS = PEER_DIR / "requirements.txt"
DATABASE = os.environ.get("BENCH_DATABASE", "pub_bench") + "_peer"


@dataclass
class PeerResult:
    messages: int
    seconds: float
    sample_bytes: int

    @property
    def per_second(self) -> float:
        return self.messages / self.seconds


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


def run_peer(*, messages: int, articles: int, warmup: int) -> PeerResult:
    python = ensure_venv()
    url = database.recreate(DATABASE)
    try:
        result = subprocess.run(
            [str(python), "-W", "ignore", "send_peer.py", str(messages), str(articles), str(warmup)],
            cwd=PEER_DIR, env={"PATH": "/usr/bin:/bin", "PEER_DATABASE_URL": url},
            capture_output=True, text=True,
        )
    finally:
        database.drop(DATABASE)
    if result.returncode != 0:
        raise RuntimeError(f"django-newsletter run failed:\n{result.stderr[-3000:]}")
    data = json.loads(result.stdout.strip().splitlines()[-1])
    if data["messages"] != messages:
        raise RuntimeError(f"django-newsletter sent {data['messages']} messages, expected {messages}")
    return PeerResult(**data)
