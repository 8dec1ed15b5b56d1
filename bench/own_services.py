"""A PostgreSQL cluster and a redis-server of the fault run's own, on loopback ports nobody else uses.

Other engineers' test suites use the machine's PostgreSQL (5432) and Redis (6379) while this runs, and the
scenarios stop and restart the servers: only these two, which this process created, are ever stopped.
As root, PostgreSQL runs as the `postgres` user (it refuses to run as root).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg
from psycopg import sql

PG_BIN = Path(os.environ.get("FAULTS_PG_BIN", "/usr/lib/postgresql/15/bin"))
PG_USER = "postgres"


def missing_programs() -> list[str]:
    """What this machine lacks to run the fault servers, as the packages that bring them."""
    missing = []
    if not (PG_BIN / "initdb").exists():
        missing.append(f"postgresql-15 (no {PG_BIN / 'initdb'}; or set FAULTS_PG_BIN)")
    if shutil.which("redis-server") is None:
        missing.append("redis-server")
    return missing


def port_free(port: int) -> bool:
    with socket.socket() as sock:
        # A server stopped a moment ago leaves its port in TIME_WAIT: free for a new server, which sets this too.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_port(preferred: int) -> int:
    """`preferred` when nothing listens there, else any free port."""
    if port_free(preferred):
        return preferred
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait(condition, *, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError(f"timed out after {timeout:.0f}s waiting for {what}")
        time.sleep(0.05)


class OwnPostgres:
    """initdb into a temporary folder, trust authentication, fsync off (nothing here must survive a crash)."""

    def __init__(self, *, port: int):
        self.port = port
        self.folder = Path(tempfile.mkdtemp(prefix="faults-pg-"))
        self.data = self.folder / "data"
        self.sockets = self.folder / "socket"  # its own socket folder: /var/run/postgresql belongs to the shared server
        self.log = self.folder / "postgresql.log"
        self.running = False

    def url(self, database: str) -> str:
        return f"postgres://{PG_USER}@127.0.0.1:{self.port}/{database}"

    def _as_postgres(self, *args: str) -> list[str]:
        return ["runuser", "-u", PG_USER, "--", *args] if os.geteuid() == 0 else list(args)

    def _run(self, *args: str, timeout: float = 120) -> None:
        result = subprocess.run(self._as_postgres(*args), capture_output=True, text=True, timeout=timeout)
        if result.returncode != 0:
            raise RuntimeError(f"{' '.join(args[:2])} failed: {result.stdout[-1000:]}{result.stderr[-1000:]}\n"
                               f"{self.log_tail()}")

    def init(self) -> OwnPostgres:
        self.folder.chmod(0o755)
        for path in (self.data, self.sockets):
            path.mkdir()
        self.log.touch()
        if os.geteuid() == 0:
            for path in (self.data, self.sockets, self.log):
                shutil.chown(path, user=PG_USER)
        self._run(str(PG_BIN / "initdb"), "-D", str(self.data), "-U", PG_USER, "--auth=trust", "-E", "UTF8",
                  "--locale=C.UTF-8")
        return self

    def start(self) -> None:
        options = (f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={self.sockets} "
                   "-c fsync=off -c max_connections=200")
        self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60", "-o", options,
                  "start")
        self.running = True
        _wait(self.answers, timeout=30, what="the fault run's PostgreSQL")

    def stop(self, mode: str = "fast") -> None:
        """`fast` ends every session (as a restart for an upgrade does); `immediate` is a crash."""
        self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "-t", "60", "stop")
        self.running = False

    def answers(self) -> bool:
        try:
            with psycopg.connect(self.url("postgres"), connect_timeout=2):
                return True
        except psycopg.OperationalError:
            return False

    def create_database(self, name: str) -> str:
        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return self.url(name)

    def log_tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def remove(self) -> None:
        if (self.data / "postmaster.pid").exists():
            try:
                self.stop("immediate")
            except (RuntimeError, subprocess.TimeoutExpired) as exc:
                print(f"faults: could not stop the own PostgreSQL in {self.data}: {exc}", flush=True)
                return  # its files stay for a person to look at; the shared server is not concerned
        shutil.rmtree(self.folder, ignore_errors=True)


class OwnRedis:
    """redis-server with nothing on disk: a restart comes back empty, as a cache node without persistence does."""

    def __init__(self, *, port: int):
        self.port = port
        self.folder = Path(tempfile.mkdtemp(prefix="faults-redis-"))
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        log = open(self.folder / "redis.log", "ab")  # noqa: SIM115 - kept open for the server's life
        self.proc = subprocess.Popen(
            ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port), "--save", "", "--appendonly", "no",
             "--dir", str(self.folder)],
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True,  # Ctrl-C reaches us, we stop it
        )
        log.close()
        _wait(self.answers, timeout=15, what="the fault run's redis-server")

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=10)

    def answers(self) -> bool:
        import redis

        try:
            return bool(redis.Redis.from_url(self.url, socket_connect_timeout=0.5, socket_timeout=0.5).ping())
        except redis.RedisError:
            return False

    def flush(self) -> None:
        import redis

        redis.Redis.from_url(self.url).flushall()

    def remove(self) -> None:
        self.kill()
        shutil.rmtree(self.folder, ignore_errors=True)
