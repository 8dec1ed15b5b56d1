"""One fault scenario's send: a fresh list and digest, fresh Redis, real worker and beat processes, the fault,
then the tally of what the provider received against what the digest reports.

Runs in the fault run's process (Django set up on its own PostgreSQL). Every wait is bounded by the scenario's
deadline; the database may be down while this waits, so its reads here give None instead of failing.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from django.db import Error as DatabaseError
from django.db import connection, connections

from bench import celery_processes, database
from bench.content import digest_create, mailing_list_create
from bench.fault_table import ScenarioRow, tally
from bench.own_services import OwnPostgres, OwnRedis
from bench.receipts import ReceiptsMailgun
from tests.support.processes import ManagedProcess, child_env

ROOT = Path(__file__).resolve().parent.parent
# The send rate: each 1,000-recipient batch waits about four seconds for its slot.
RATE_PER_SECOND = "250"
# Processes per worker, as Procfile.dev and docker-compose.yml run them (FAULTS_MAIL_CONCURRENCY to try others).
WORKER_CONCURRENCY = {"mail": int(os.environ.get("FAULTS_MAIL_CONCURRENCY", "4")), "bulk": 2}
FINAL_STATUSES = ("sent", "failed", "cancelled")
# The provider's count can trail the digest's end by an answer in flight.
SETTLE_SECONDS = 10.0
T = TypeVar("T")


def quiet_db(read: Callable[[], T]) -> T | None:
    """`read()`, or None while the database is unreachable (the connection is dropped and opened afresh next time)."""
    try:
        return read()
    except DatabaseError:
        connections.close_all()
        return None


@dataclass
class Stage:
    """What a scenario's fault can act on, and what it reports."""

    key: str
    log_dir: Path
    postgres: OwnPostgres
    redis: OwnRedis
    fake: ReceiptsMailgun
    env: dict[str, str]
    worker_queues: dict[str, str]  # node name -> queues
    digest_id: int
    list_id: int
    recipients: int
    deadline: float  # time.monotonic()
    workers: dict[str, ManagedProcess] = field(default_factory=dict)
    beat: ManagedProcess | None = None
    web: ManagedProcess | None = None
    web_url: str = ""
    signup_slug: str = ""
    notes: list[str] = field(default_factory=list)
    extra: dict = field(default_factory=dict)  # what a scenario keeps between its fault and its report

    def left(self) -> float:
        return self.deadline - time.monotonic()

    def digest_status(self) -> str | None:
        from newsletter.models import Digest

        return quiet_db(lambda: Digest.objects.filter(pk=self.digest_id).values_list("status", flat=True).first())

    def done(self) -> bool:
        return self.digest_status() in FINAL_STATUSES

    def received(self) -> int:
        return self.fake.digest_received(self.digest_id)

    def wait(self, condition: Callable[[], object], *, interval: float = 0.25, stop_when_done: bool = True) -> bool:
        """Poll `condition` until it holds (True), the digest ends (False, with stop_when_done) or the deadline passes."""
        while self.left() > 0:
            if condition():
                return True
            if stop_when_done and self.done():
                return False
            self.keep_processes_running()
            time.sleep(interval)
        return False

    def wait_mid_send(self, share: float = 0.3) -> bool:
        """Until the provider holds `share` of the recipients (the fault then falls in the middle of the send)."""
        target = max(1, int(self.recipients * share))
        reached = self.wait(lambda: self.received() >= target)
        if not reached:
            self.notes.append("fault not injected: the send ended first")
        return reached

    def start_worker(self, name: str) -> ManagedProcess:
        self.workers[name] = celery_processes.start_worker(self.log_dir, name=name, queues=self.worker_queues[name],
                                                           env=self.env, concurrency=WORKER_CONCURRENCY[name])
        return self.workers[name]

    def keep_processes_running(self) -> None:
        """Production restarts a process that exits (docker-compose `restart: unless-stopped`); so does this run,
        and says so in the notes: a worker or beat that dies of a fault is a finding."""
        for name, process in list(self.workers.items()):
            if process.proc.poll() is not None:
                self.notes.append(f"{name} worker exited with {process.proc.returncode}; restarted")
                process.kill()
                self.start_worker(name)
        if self.beat is not None and self.beat.proc.poll() is not None:
            self.notes.append(f"beat exited with {self.beat.proc.returncode}; restarted")
            self.beat.kill()
            self.beat = celery_processes.start_beat(self.log_dir, env=self.env)

    def stop_all(self) -> None:
        for process in [self.web, self.beat, *self.workers.values()]:
            if process is not None:
                process.stop()


@dataclass(frozen=True)
class Seeded:
    recipients: int
    signup_slug: str


def seed(recipients: int) -> Seeded:
    """The readers every scenario's list holds, and the public list people subscribe to in (h)."""
    from django.conf import settings

    with connection.cursor() as cursor:
        database.seed_subscribers(cursor.connection, count=recipients, address_hash_key=settings.ADDRESS_HASH_KEY)
    signup = mailing_list_create(slug="faults-signup", name="Faults signup")
    return Seeded(recipients=recipients, signup_slug=signup.slug)


def _fresh_send(key: str, recipients: int) -> tuple[int, int]:
    stamp = time.strftime("%H%M%S")
    mailing_list = mailing_list_create(slug=f"faults-{key}-{stamp}", name=f"Faults {key} {stamp}")
    with connection.cursor() as cursor:
        database.seed_subscriptions(cursor.connection, list_id=mailing_list.id, count=recipients)
    digest = digest_create(mailing_list=mailing_list, subject=f"Faults digest ({key})")
    return mailing_list.id, digest.id


def run_scenario(scenario, *, seeded: Seeded, postgres: OwnPostgres, redis: OwnRedis, base_env: dict[str, str],
                 worker_queues: dict[str, str], run_dir: Path, timeout: float) -> ScenarioRow:
    """Run one scenario (bench.fault_scenarios.Scenario) from a clean Redis to its row of the table."""
    row = ScenarioRow(key=scenario.key, title=scenario.title)
    log_dir = run_dir / scenario.key
    log_dir.mkdir(parents=True, exist_ok=True)
    redis.flush()
    list_id, digest_id = _fresh_send(scenario.key, seeded.recipients)
    with ReceiptsMailgun(api_key=base_env["MAILGUN_API_KEY"], domain=base_env["MAILGUN_SENDER_DOMAIN"]) as fake:
        env = {**base_env, **fake.env(), "SEND_RATE_PER_SECOND": RATE_PER_SECOND}
        stage = Stage(key=scenario.key, log_dir=log_dir, postgres=postgres, redis=redis, fake=fake, env=env,
                      worker_queues=worker_queues, digest_id=digest_id, list_id=list_id, recipients=seeded.recipients,
                      deadline=time.monotonic() + timeout, signup_slug=seeded.signup_slug)
        command = None
        started = fault_end = None
        try:
            for name in worker_queues:
                stage.start_worker(name)
            stage.beat = celery_processes.start_beat(log_dir, env=env)
            if scenario.web:
                _start_web(stage)
            started = time.time()
            # The editor's command, as documented: it runs the pre-send checks, schedules and follows the send.
            command = ManagedProcess([sys.executable, "manage.py", "send_digest", str(digest_id), "--now", "--wait",
                                      "--interval", "2"], child_env(**env), log_dir / "send_digest.log").start()
            fault_end = scenario.inject(stage) if scenario.inject is not None else None
            stage.wait(lambda: False, interval=0.5)  # until the digest ends or the deadline
            _settle(stage)
            if scenario.report is not None:
                scenario.report(stage)
            _command_outcome(command, stage)
        except Exception as exc:  # noqa: BLE001 - one broken scenario must not hide the others' rows
            traceback.print_exc()
            stage.notes.append(f"harness error: {type(exc).__name__}: {str(exc).splitlines()[0][:160] if str(exc) else ''}")
            _services_back(stage)
        finally:
            if command is not None:
                command.kill()
            stage.stop_all()
        _fill_row(row, stage, started=started, fault_end=fault_end)
    return row


def _services_back(stage: Stage) -> None:
    """After a scenario broke off, its PostgreSQL and Redis must answer again for the row and the next scenario."""
    if not stage.postgres.answers():
        try:
            stage.postgres.start()
        except RuntimeError as exc:
            print(f"faults: PostgreSQL did not come back: {exc}", flush=True)
    if not stage.redis.answers():
        stage.redis.kill()
        stage.redis.start()


def _start_web(stage: Stage) -> None:
    from bench.own_services import free_port
    from bench.web import start_gunicorn

    port = free_port(58000)
    stage.web = start_gunicorn(port=port, log_dir=stage.log_dir)
    stage.web_url = f"http://127.0.0.1:{port}"


def _settle(stage: Stage) -> None:
    """Let answers in flight reach the provider's count before it is compared with the digest's account."""
    from worker.models import Delivery

    sent = quiet_db(lambda: Delivery.objects.filter(digest_id=stage.digest_id, status="sent").count()) or 0
    deadline = time.monotonic() + SETTLE_SECONDS
    while stage.received() < sent and time.monotonic() < deadline:
        time.sleep(0.2)


def _command_outcome(command: ManagedProcess, stage: Stage) -> None:
    """`send_digest --wait` should end with the account when the digest ends, whatever happened meanwhile."""
    try:
        code = command.proc.wait(timeout=max(1.0, min(15.0, stage.left())))
    except subprocess.TimeoutExpired:
        if stage.done():
            stage.notes.append("send_digest --wait still running after the digest ended")
        return
    printed = "sent:" in command.log_path.read_text(errors="replace")
    if code != 0 or not printed:
        stage.notes.append(f"send_digest --wait exited {code}" + ("" if printed else " without the account"))


def _fill_row(row: ScenarioRow, stage: Stage, *, started: float | None, fault_end: float | None) -> None:
    from newsletter.models import Digest
    from subscribers.models import Subscription
    from worker.control import SendControlError, digest_cancel
    from worker.models import Delivery

    digest = Digest.objects.get(pk=stage.digest_id)
    row.finished = started is not None and digest.status in FINAL_STATUSES and digest.finished_at is not None
    if row.finished:
        end = digest.finished_at.timestamp()
        row.send_seconds = end - started
        row.recovery_seconds = end - fault_end if fault_end is not None else None
    else:
        # Its batches must not go out later, into another scenario's count.
        try:
            digest_cancel(digest_id=stage.digest_id)
            stage.notes.append(f"digest still {digest.status} at the end; cancelled")
        except SendControlError:
            stage.notes.append(f"digest still {digest.status} at the end")
    audience = Subscription.objects.filter(mailing_list_id=stage.list_id).values_list("subscriber__email", flat=True)
    statuses = dict(Delivery.objects.filter(digest_id=stage.digest_id).values_list("subscriber__email", "status"))
    row.tally = tally((email.lower() for email in audience), stage.fake.digest_counts(stage.digest_id),
                      {email.lower(): status for email, status in statuses.items()})
    account: dict[str, int] = {}
    for status in statuses.values():
        account[status] = account.get(status, 0) + 1
    row.account = account
    row.notes = stage.notes
