"""gunicorn settings of the web process. The Dockerfile, docker-compose.yml and the bench (bench/web.py)
all start gunicorn with this file, so what is benchmarked is what is shipped.

    gunicorn config.wsgi:application --config config/gunicorn.py

Every value can be changed from the environment (WEB_CONCURRENCY is gunicorn's own name for the
worker count). Defaults and why (the measurements: docs/decisions/0007-web-request-cpu.md):
- The public views are mostly CPU, but each request also waits on PostgreSQL (a commit waits for the
  WAL flush) and Redis. One process per core leaves the cores idle during those waits; more processes fill them.
- gthread: each worker runs a few threads, so the waits overlap inside a process without one
  process per concurrent request (memory), and it keeps HTTP connections alive between requests
  (the sync worker closes every connection, so each request pays a new TCP connection). The GIL
  costs little here because a thread gives it up while it waits on the database or Redis.
"""

from __future__ import annotations

import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


_cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
workers = _int("WEB_CONCURRENCY", _cores + 1)
threads = _int("GUNICORN_THREADS", 4)
# Idle keep-alive connections hold a thread's slot only between requests (gthread parks them in its poller).
keepalive = _int("GUNICORN_KEEPALIVE", 5)
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = 30
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
