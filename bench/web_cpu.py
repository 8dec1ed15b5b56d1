"""CPU per request of the public endpoints, in-process: Django's WSGI handler called directly, no network.

Wall-clock load figures (bench/web.py) move by a factor of two on a shared machine; the CPU time one
process spends per request does not, so this is the figure to compare before and after a change.
Each request does real work against the configured database and Redis (a new address per subscribe,
a different subscriber per one-click), exactly as under gunicorn; queries and Redis commands are
counted too.

    DATABASE_URL=... REDIS_URL=... DJANGO_SETTINGS_MODULE=bench.web_settings python -m bench.web_cpu [requests]

With BENCH_PROFILE=1 a pyinstrument profile of each endpoint is written to var/bench/web-cpu-<name>.txt.
"""

from __future__ import annotations

import io
import os
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CSRF_TOKEN = "benchcsrftokenbenchcsrftoken0123"  # the same token bench/wrk/subscribe_form.lua sends


@dataclass
class CpuFigures:
    name: str
    requests: int
    cpu_ms: float  # process CPU (user + system) per request, best round (least disturbed by other processes)
    cpu_median_ms: float  # the median round
    db_cpu_ms: float  # CPU of this process's PostgreSQL backend per request (same cores, other process); 0 if unknown
    queries: float  # SQL statements per request
    redis: float  # Redis commands per request (pipelined ones counted one by one)
    statuses: set[int]


def _environ(method: str, path: str, body: bytes = b"", content_type: str = "", cookie: str = "") -> dict:
    environ = {
        "REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": "", "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000", "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "127.0.0.1", "HTTP_HOST": "127.0.0.1",
        "wsgi.input": io.BytesIO(body), "wsgi.url_scheme": "http", "wsgi.errors": sys.stderr,
        "CONTENT_LENGTH": str(len(body)), "HTTP_USER_AGENT": "bench",
    }
    if content_type:
        environ["CONTENT_TYPE"] = content_type
    if cookie:
        environ["HTTP_COOKIE"] = cookie
    return environ


class _Counter:
    """Counts SQL statements (Django's execute_wrapper) and Redis commands (redis-py's connection)."""

    def __init__(self) -> None:
        self.queries = 0
        self.redis = 0

    def __call__(self, execute, sql, params, many, context):
        self.queries += 1
        return execute(sql, params, many, context)


def _count_redis(counter: _Counter) -> Callable[[], None]:
    from redis.connection import Connection

    original = Connection.send_command
    original_packed = Connection.send_packed_command

    def send_command(self, *args, **kwargs):
        counter.redis += 1
        return original(self, *args, **kwargs)

    def send_packed_command(self, command, check_health=True):
        # Pipelines send many commands in one packet: count the commands, not the packet.
        if isinstance(command, list):
            counter.redis += len(command)
        return original_packed(self, command, check_health)

    Connection.send_command = send_command
    Connection.send_packed_command = send_packed_command

    def restore() -> None:
        Connection.send_command = original
        Connection.send_packed_command = original_packed

    return restore


def _backend_cpu_seconds(pid: int | None) -> float:
    """utime + stime of a local process from /proc (PostgreSQL's backend for our connection)."""
    if pid is None:
        return 0.0
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _backend_pid() -> int | None:
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def measure(name: str, make_environ: Callable[[int], dict], count: int, *, warm: int = 30, rounds: int = 5) -> CpuFigures:
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection

    handler = WSGIHandler()
    statuses: set[int] = set()

    def start_response(status, headers, exc_info=None):
        statuses.add(int(status.split()[0]))

    def one(n: int) -> None:
        response = handler(make_environ(n), start_response)
        b"".join(response)
        response.close()

    for n in range(warm):
        one(-1 - n)
    statuses.clear()
    counter = _Counter()
    restore = _count_redis(counter)
    profiler = None
    if os.environ.get("BENCH_PROFILE", "") in {"1", "true", "yes"}:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.0005)
        profiler.start()
    try:
        # Several rounds: the best one is the cost with the least interference from other processes.
        per_round = max(1, count // rounds)
        cpus = []
        backend = _backend_pid()
        db_started = _backend_cpu_seconds(backend)
        with connection.execute_wrapper(counter):
            for first in range(0, per_round * rounds, per_round):
                started = time.process_time()
                for n in range(first, first + per_round):
                    one(n)
                cpus.append((time.process_time() - started) / per_round)
        db_cpu = _backend_cpu_seconds(backend) - db_started
    finally:
        restore()
        if profiler is not None:
            profiler.stop()
            out = ROOT / "var" / "bench" / f"web-cpu-{name}.txt"
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(profiler.output_text(unicode=False, color=False, show_all=False))
    done = per_round * rounds
    cpus.sort()
    return CpuFigures(name, done, 1000 * cpus[0], 1000 * cpus[len(cpus) // 2], 1000 * db_cpu / done,
                      counter.queries / done, counter.redis / done, statuses)


def run(count: int) -> list[CpuFigures]:
    from subscribers import subscribe_requests
    from subscribers.models import MailingList, Subscriber, Subscription
    from subscribers.tokens import make_unsubscribe_token

    run_id = uuid.uuid4().hex[:8]
    from bench.content import mailing_list_create

    mailing_list = (MailingList.objects.filter(slug="bench-web-cpu").first()
                    or mailing_list_create(slug="bench-web-cpu", name="Bench web CPU"))
    slug = mailing_list.slug

    def form(n: int) -> dict:
        body = (f"email=cpu-{run_id}-{n}%40bench.example.org&name=&language=fr&lists={slug}"
                f"&consent=on&website=&csrfmiddlewaretoken={CSRF_TOKEN}").encode()
        return _environ("POST", "/subscribe/", body, "application/x-www-form-urlencoded", f"csrftoken={CSRF_TOKEN}")

    def api(n: int) -> dict:
        body = f'{{"email": "cpuapi-{run_id}-{n}@bench.example.org", "language": "ar", "lists": ["{slug}"], "consent": true}}'
        return _environ("POST", "/api/subscribe", body.encode(), "application/json")

    people = Subscriber.objects.bulk_create(
        Subscriber(email=f"cpu1c-{run_id}-{n}@bench.example.org", email_hash="x", language=("en", "fr", "ar")[n % 3])
        for n in range(count + 40)
    )
    Subscription.objects.bulk_create(
        Subscription(subscriber=p, mailing_list=mailing_list, status=Subscription.Status.ACTIVE) for p in people
    )
    one_click_tokens = [make_unsubscribe_token(subscriber_id=p.id, list_id=mailing_list.id) for p in people]

    def one_click(n: int) -> dict:
        token = one_click_tokens[n if n >= 0 else count - 1 - n]
        return _environ("POST", f"/u/{token}/", b"List-Unsubscribe=One-Click", "application/x-www-form-urlencoded")

    def page(n: int) -> dict:
        return _environ("GET", f"/u/{one_click_tokens[0]}/")

    results = [measure("subscribe-form", form, count), measure("subscribe-api", api, count),
               measure("one-click", one_click, count), measure("unsubscribe-page", page, count)]
    unsubscribed = Subscription.objects.filter(
        mailing_list=mailing_list, subscriber__in=people, status=Subscription.Status.UNSUBSCRIBED,
        unsubscribe_source="one-click",
    ).count()
    # The answers stored the requests; a worker decides them (subscribers.subscribe_requests), not measured here.
    while subscribe_requests.subscribe_requests_apply_due(limit=200):
        pass
    created = Subscriber.objects.filter(email__startswith=f"cpu-{run_id}-").count()
    if created < count or unsubscribed < count:
        raise RuntimeError(f"requests did not all take effect: {created} created, {unsubscribed} unsubscribed of {count}")
    return results


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.web_settings")
    import django

    django.setup()
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    for figures in run(count):
        print(f"{figures.name:18} {figures.cpu_ms:6.2f} ms CPU/request (median round {figures.cpu_median_ms:5.2f}), "
              f"PostgreSQL backend {figures.db_cpu_ms:4.2f} ms  {figures.queries:4.1f} queries  "
              f"{figures.redis:4.1f} redis commands  statuses {sorted(figures.statuses)}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
