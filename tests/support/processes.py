"""Real processes for integration tests: a Celery worker (and beat) against the test database and Redis."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def test_database_url() -> str:
    """The URL of the database pytest-django created, so child processes see the test's rows."""
    s = connection.settings_dict
    if s["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{s['NAME']}"
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    return f"postgres://{s['USER']}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def child_env(**overrides: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=test_database_url(),
        REDIS_URL=settings.REDIS_URL,
        SITE_URL=settings.SITE_URL,
        SECRET_KEY=settings.SECRET_KEY,
        ADDRESS_HASH_KEY=settings.ADDRESS_HASH_KEY,
        # Tests serve feeds from 127.0.0.1, which feed fetching refuses unless allow-listed.
        FEED_FETCH_ALLOWED_HOSTS="127.0.0.1",
        PYTHONUNBUFFERED="1",
    )
    env.update(overrides)
    return env


def wait_until(condition: Callable[[], object], *, timeout: float, interval: float = 0.1, what: str = "condition"):
    """Poll `condition` until it returns something truthy; fail with `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(interval)


def run_on_fresh_sqlite(script: str, folder: Path, **env: str) -> dict:
    """Run `script` (Python, Django set up by it) in a child process on a new SQLite file in `folder`, with these
    settings; returns the JSON object it printed last. Fails with the child's error output when it fails."""
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=300,
                            env=child_env(DATABASE_URL=f"sqlite:///{folder / 'child.sqlite3'}", DEBUG="0", **env))
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


class ManagedProcess:
    def __init__(self, args: list[str], env: dict[str, str], log_path: Path):
        self.args = args
        self.env = env
        self.log_path = log_path
        self.proc: subprocess.Popen | None = None

    def start(self) -> ManagedProcess:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = open(self.log_path, "ab")  # noqa: SIM115 - closed when the process is stopped
        self.proc = subprocess.Popen(
            self.args, env=self.env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self._log = log
        return self

    def kill(self, sig: int = signal.SIGKILL) -> None:
        """Signal the whole process group (a prefork worker has children)."""
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, sig)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=5)
        if getattr(self, "_log", None):
            self._log.close()
            self._log = None

    def stop(self) -> None:
        self.kill(signal.SIGTERM)

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except FileNotFoundError:
            return ""


def start_worker(tmp_path: Path, *, name: str = "w1", concurrency: int = 1, premailer_count: Path | None = None,
                 fake_clock: Path | None = None, queues: str = "mail,bulk,feeds", **env: str) -> ManagedProcess:
    """A Celery worker; with `premailer_count`, its premailer runs are counted there (tests.support.premailer);
    with `fake_clock`, it reads the time from that shared fake clock (tests.support.fake_clock).
    By default one test worker serves every queue (production runs one worker per queue)."""
    module = "celery"
    if premailer_count is not None:
        from tests.support.premailer import COUNT_TO

        env[COUNT_TO] = str(premailer_count)
        module = "tests.support.premailer"
    if fake_clock is not None:
        from tests.support.fake_clock import CLOCK_FILE

        env[CLOCK_FILE] = str(fake_clock)
        module = "tests.support.fake_clock"
    args = [
        sys.executable, "-m", module, "-A", "worker", "worker",
        "--loglevel=INFO", f"--concurrency={concurrency}", "--pool=prefork",
        "--without-gossip", "--without-mingle", "-n", f"{name}@%h",
        "-Q", queues,
    ]
    process = ManagedProcess(args, child_env(**env), tmp_path / f"worker-{name}.log").start()
    _wait_for_ping(process, f"{name}@")
    return process


def start_beat(tmp_path: Path, **env: str) -> ManagedProcess:
    args = [sys.executable, "-m", "celery", "-A", "worker", "beat", "--loglevel=INFO",
            f"--schedule={tmp_path / 'beat-schedule'}"]
    return ManagedProcess(args, child_env(**env), tmp_path / "beat.log").start()


def _wait_for_ping(process: ManagedProcess, prefix: str, timeout: float = 60) -> None:
    from worker.celery_app import app

    def answered() -> bool:
        if process.proc and process.proc.poll() is not None:
            raise AssertionError(f"worker exited with {process.proc.returncode}:\n{process.log_tail()}")
        replies = app.control.ping(timeout=0.5) or []
        return any(name.startswith(prefix) for reply in replies for name in reply)

    wait_until(answered, timeout=timeout, what=f"worker {prefix} to answer a ping")
