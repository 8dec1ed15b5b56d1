"""`make faults`: a 20,000-recipient digest through the real pipeline, once per fault scenario, with production
defaults; one row per scenario, printed and written to bench/results/faults.md (its "latest run" section).

It starts a PostgreSQL cluster and a redis-server of its own (bench.own_services) and only ever stops those:
the machine's shared servers keep serving other people's tests. Scenarios (bench.fault_scenarios):
  a baseline; b PostgreSQL restarted (about 1 s down); c PostgreSQL stopped 30 s; d a worker SIGKILLed and started
  again; e Redis restarted empty; f the provider answering 500 for 20 s; g one-click unsubscribes of readers whose
  batch is not sent yet; h 100 subscribes/s through the API, with the confirmation emails' latency.

Environment:
  BENCH_FAULTS=a,b,d        scenarios to run (default: all)
  FAULTS_RECIPIENTS=20000   the send's size
  FAULTS_TIMEOUT=600        seconds after which a scenario's row says "did not finish"
  FAULTS_RESULTS=bench/results/faults.md
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from bench import database
from bench.fault_table import markdown_table, results_with_section
from bench.own_services import OwnPostgres, OwnRedis, free_port, missing_programs

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(os.environ.get("FAULTS_RESULTS", str(ROOT / "bench" / "results" / "faults.md"))).resolve()
# Two workers, as production will run them once bulk sends have their queue: transactional mail and beat's short
# jobs on `mail`, digest preparation and batches on `bulk`. Where every task still routes to `mail`, the bulk
# worker idles.
MAIL_WORKER_QUEUES = "mail"
BULK_WORKER_QUEUES = "bulk"
WORKER_QUEUES = {"mail": MAIL_WORKER_QUEUES, "bulk": BULK_WORKER_QUEUES}
DATABASE = "publisher_faults"
# Knobs whose production defaults (config/settings.py) the run must keep, even when the caller's shell sets them.
DEFAULTS_KEPT = ("SEND_", "CELERY_", "QUEUED_EMAIL_", "PROVIDER_", "DB_CONN_MAX_AGE", "CONFIRMATION_EMAIL", "LOG_LEVEL")


def _selected(all_keys: list[str]) -> list[str]:
    raw = os.environ.get("BENCH_FAULTS", "")
    keys = [part.strip().lower() for part in raw.split(",") if part.strip()] or all_keys
    unknown = [key for key in keys if key not in all_keys]
    if unknown:
        raise SystemExit(f"BENCH_FAULTS: unknown scenario(s) {', '.join(unknown)}; known: {', '.join(all_keys)}")
    return keys


def _environment(database_url: str, redis_url: str) -> dict[str, str]:
    """This process's settings and, through os.environ, every child's."""
    for name in list(os.environ):
        if name.startswith(DEFAULTS_KEPT):
            del os.environ[name]
    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        DEBUG="0",
        EMAIL_PROVIDER="mailgun",
        MAILGUN_API_KEY="key-faults",
        MAILGUN_SENDER_DOMAIN="mg.example.org",
        MAILGUN_API_URL="http://127.0.0.1:9/v3",  # each scenario's processes get their own server's URL
    )
    return dict(os.environ)


def _stop_on_signal(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)  # through the finally blocks: processes stopped, own servers removed


def _commit() -> str:
    found = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    # The results a previous run wrote are not a change to the code that ran.
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no", "--", ".", ":!bench/results"], cwd=ROOT,
                           capture_output=True, text=True)
    return (found.stdout.strip() or "unknown") + (" (with uncommitted changes)" if dirty.stdout.strip() else "")


def main() -> int:
    recipients = int(os.environ.get("FAULTS_RECIPIENTS", "20000").replace("_", ""))
    timeout = float(os.environ.get("FAULTS_TIMEOUT", "600"))
    missing = missing_programs()
    if missing:
        print(f"faults: needs {' and '.join(missing)} installed (apt-get install ...)", file=sys.stderr)
        return 1
    signal.signal(signal.SIGTERM, _stop_on_signal)
    signal.signal(signal.SIGHUP, _stop_on_signal)
    # Started in the background by a script, Python inherits SIGINT ignored: Ctrl-C or kill -INT must still clean up.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    run_dir = ROOT / "var" / f"faults-{time.strftime('%Y%m%d-%H%M%S')}"
    run_dir.mkdir(parents=True)
    postgres = OwnPostgres(port=free_port(55432))
    redis = OwnRedis(port=free_port(56379))
    rows = []
    django_ready = False
    began = time.monotonic()
    load_before = os.getloadavg()[0]
    try:
        print(f"faults: own PostgreSQL on 127.0.0.1:{postgres.port}, own Redis on 127.0.0.1:{redis.port}; logs in "
              f"{run_dir.relative_to(ROOT)}", flush=True)
        postgres.init().start()
        redis.start()
        base_env = _environment(postgres.create_database(DATABASE), redis.url)
        database.migrate(base_env)

        import django

        django.setup()
        django_ready = True
        from bench.fault_scenarios import SCENARIOS
        from bench.fault_send import run_scenario, seed

        keys = _selected([scenario.key for scenario in SCENARIOS])
        seeded = seed(recipients)
        print(f"faults: {recipients:,} readers; scenarios {', '.join(keys)}", flush=True)
        for scenario in SCENARIOS:
            if scenario.key not in keys:
                continue
            print(f"faults: ({scenario.key}) {scenario.title}", flush=True)
            row = run_scenario(scenario, seeded=seeded, postgres=postgres, redis=redis, base_env=base_env,
                               worker_queues=WORKER_QUEUES, run_dir=run_dir, timeout=timeout)
            rows.append(row)
            print("faults: " + " | ".join(row.cells()), flush=True)
    finally:
        if django_ready:
            from django.db import connections

            connections.close_all()
        redis.remove()
        postgres.remove()
        if rows:
            _write(rows, recipients=recipients, minutes=(time.monotonic() - began) / 60, load=(load_before, os.getloadavg()[0]),
                   run_dir=run_dir)
    return 0


def _write(rows, *, recipients: int, minutes: float, load: tuple[float, float], run_dir: Path) -> None:
    table = markdown_table(rows)
    section = "\n".join([
        f"## Latest run: {datetime.now(UTC):%Y-%m-%d %H:%M UTC}, commit {_commit()}",
        "",
        f"{recipients:,} recipients at 250/s, production defaults, {minutes:.0f} minutes for the run; machine load "
        f"(1-minute average, 2 shared cores) {load[0]:.1f} -> {load[1]:.1f}; logs in {run_dir.relative_to(ROOT)}.",
        "",
        table,
    ])
    existing = RESULTS.read_text() if RESULTS.exists() else ""
    RESULTS.write_text(results_with_section(existing, section))
    print(table)
    print(f"faults: written to {RESULTS.relative_to(ROOT) if RESULTS.is_relative_to(ROOT) else RESULTS}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
