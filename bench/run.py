"""`make bench`: one run, one table (printed and written to bench/results/latest.md).

Environment:
  BENCH_LARGE=1            also send to 1,000,000 recipients (scaling and memory at 1M)
  BENCH_SIZES=10000,100000 batch-mode send sizes (default; BENCH_LARGE adds 1000000)
  BENCH_SMTP_SIZES=...     per-message SMTP send sizes (default 10000; with BENCH_LARGE also 100000)
  BENCH_PEER_MESSAGES=3000 messages for the django-newsletter / our in-memory comparison
  BENCH_WEB_SECONDS=10     duration of each web load run
  BENCH_SKIP=web,peer,...  parts to leave out while developing (peer, sends, smtp, planning, tailored, local_time, anatomy,
                           web)
  BENCH_SEND_TIMEOUT=1800  seconds after which a send is reported as not completed
  BENCH_PLANNING_SIZE=N    planning cost for the list of size N (default 100000); the tailored send's too
  BENCH_KEEP_DB=1          keep the bench database afterwards (to look at it)
  BENCH_DATABASE=pub_bench, BENCH_REDIS_URL=redis://127.0.0.1:6379/6, BENCH_RESULTS=bench/results/latest.md
                           what the run owns: the database is dropped and created anew, the Redis db flushed
"""

from __future__ import annotations

import os
import sys
import tempfile
import traceback
from pathlib import Path

from bench import database

ROOT = Path(__file__).resolve().parent.parent
# Overridable so several people can bench on one machine without dropping each other's database.
RESULTS = Path(os.environ.get("BENCH_RESULTS", str(ROOT / "bench" / "results" / "latest.md"))).resolve()
DATABASE = os.environ.get("BENCH_DATABASE", "pub_bench")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/6")


def _sizes(name: str, default: list[int]) -> list[int]:
    raw = os.environ.get(name, "")
    return [int(part.replace("_", "")) for part in raw.split(",") if part.strip()] if raw.strip() else default


def _configure_environment(database_url: str) -> None:
    """Settings for this process and, through os.environ, for every child it starts."""
    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=database_url,
        REDIS_URL=REDIS_URL,
        DEBUG="0",
        LOG_LEVEL="warning",
        EMAIL_PROVIDER="mailgun",
        MAILGUN_API_KEY="key-bench",
        MAILGUN_SENDER_DOMAIN="mg.example.org",
        MAILGUN_API_URL="http://127.0.0.1:9/v3",  # each send's worker gets its server's real URL
        CELERY_TASK_ALWAYS_EAGER="0",
    )


def main() -> int:
    large = os.environ.get("BENCH_LARGE", "") in {"1", "true", "yes"}
    sizes = _sizes("BENCH_SIZES", [10_000, 100_000])
    if large and 1_000_000 not in sizes:
        sizes.append(1_000_000)
    # One message per recipient is two orders of magnitude slower than batches: 100k only with BENCH_LARGE.
    smtp_sizes = _sizes("BENCH_SMTP_SIZES", [size for size in sizes if size <= (100_000 if large else 10_000)])
    peer_messages = int(os.environ.get("BENCH_PEER_MESSAGES", "3000"))
    web_seconds = float(os.environ.get("BENCH_WEB_SECONDS", "10"))
    skip = {part.strip() for part in os.environ.get("BENCH_SKIP", "").split(",") if part.strip()}

    print(f"bench: creating database {DATABASE} and migrating it", flush=True)
    url = database.recreate(DATABASE)
    _configure_environment(url)
    database.migrate(dict(os.environ))

    import django

    django.setup()
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()

    from bench import parts, tailored
    from bench.report import Report

    report = Report()
    work = Path(tempfile.mkdtemp(prefix="bench-", dir=ROOT / "var"))
    try:
        lists = parts.seed(report, sizes=sorted({*sizes, *smtp_sizes}), peer_messages=peer_messages)
        planning_size = int(os.environ.get("BENCH_PLANNING_SIZE", "0")) or (100_000 if 100_000 in lists else max(sizes))
        steps = [
            ("peer", lambda: parts.peer_comparison(report, list_id=lists["peer"], warmup_list_id=lists["warmup"],
                                                          messages=peer_messages)),
            ("sends", lambda: parts.batch_sends(report, lists=lists, sizes=sizes, log_dir=work)),
            ("smtp", lambda: parts.smtp_sends(report, lists=lists, sizes=smtp_sizes, log_dir=work)),
            ("planning", lambda: parts.planning(report, lists=lists, size=planning_size)),
            ("tailored", lambda: tailored.tailored_planning(report, list_id=lists[planning_size], size=planning_size)),
            ("local_time", lambda: parts.local_time(report, lists=lists, size=planning_size)),
            ("anatomy", lambda: parts.anatomy(report, list_id=lists["web"])),
            ("web", lambda: parts.web_load(report, list_id=lists["web"], seconds=web_seconds, log_dir=work)),
        ]
        for name, step in steps:
            if name in skip:
                report.notes.append(f"{name}: left out (BENCH_SKIP)")
                continue
            print(f"bench: {name}", flush=True)
            load_before = os.getloadavg()[0]
            try:
                step()
            except Exception as exc:  # one broken part must not hide the others' figures
                traceback.print_exc()
                report.add(name, "did not complete", f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}", met=False)
            # Other people's processes share the 2 cores: the load says how much of the machine this part had.
            report.loads.append(f"{name} {load_before:.1f}->{os.getloadavg()[0]:.1f}")
        parts.headline(report)
        parts.configuration_notes(report, sizes=sizes, smtp_sizes=smtp_sizes, peer_messages=peer_messages)
    finally:
        report.write(RESULTS)
        print(report.markdown())
        print(f"bench: written to {RESULTS}; worker logs in {work.relative_to(ROOT)}", flush=True)
        if os.environ.get("BENCH_KEEP_DB", "") not in {"1", "true", "yes"}:
            from django.db import connections

            connections.close_all()
            database.drop(DATABASE)
    return 0


if __name__ == "__main__":
    sys.exit(main())
