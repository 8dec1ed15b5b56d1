"""Web load: gunicorn serving the app on 127.0.0.1 against the bench database, wrk on loopback.

Each endpoint gets a short warm-up, then a run bounded in time (`duration`) and in count (a per-thread
cap). Every request does real work: a new address per subscribe request, a different subscriber per
one-click request. Afterwards the database is checked for the effects (subscribers created, people
unsubscribed), so a fast run of error pages cannot pass for a result.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import requests

from bench import profiling
from bench.report import Report
from tests.support.processes import ManagedProcess, child_env, wait_until

ROOT = Path(__file__).resolve().parent.parent
WRK_DIR = Path(__file__).resolve().parent / "wrk"
GUNICORN_CONFIG = ROOT / "config" / "gunicorn.py"
THREADS = 2
CONNECTIONS = int(os.environ.get("BENCH_WEB_CONNECTIONS", "8"))
# gunicorn runs with the production settings (config/gunicorn.py); these only override them when set.
GUNICORN_OVERRIDES = {
    name: os.environ[variable]
    for name, variable in (("WEB_CONCURRENCY", "BENCH_WEB_WORKERS"), ("GUNICORN_THREADS", "BENCH_WEB_THREADS"),
                           ("GUNICORN_WORKER_CLASS", "BENCH_WEB_WORKER_CLASS"))
    if os.environ.get(variable, "").strip()
}


def ensure_wrk() -> str:
    """wrk from Debian's package, installed on first use (the bench runs as root on the dev machines)."""
    found = shutil.which("wrk")
    if found:
        return found
    prefix = [] if os.geteuid() == 0 else ["sudo"]
    install = [*prefix, "apt-get", "install", "-y", "-q", "wrk"]
    print("bench: installing wrk (apt-get install wrk)", flush=True)
    if subprocess.run(install, capture_output=True).returncode != 0:
        subprocess.run([*prefix, "apt-get", "update", "-q"], capture_output=True)  # a fresh machine has no package lists
        subprocess.run(install, check=True, capture_output=True)
    return shutil.which("wrk") or "wrk"


def start_gunicorn(*, port: int, log_dir: Path) -> ManagedProcess:
    # The production command line (Dockerfile), access log included (it goes to gunicorn.log), on a loopback port.
    args = [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--config", str(GUNICORN_CONFIG),
            "--bind", f"127.0.0.1:{port}"]
    env = child_env(DJANGO_SETTINGS_MODULE="bench.web_settings", SITE_URL=f"http://127.0.0.1:{port}", **GUNICORN_OVERRIDES)
    process = ManagedProcess(args, env, log_dir / "gunicorn.log").start()

    def answers() -> bool:
        if process.proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited:\n{process.log_tail()}")
        try:
            return requests.get(f"http://127.0.0.1:{port}/subscribe/", timeout=2).status_code == 200
        except requests.RequestException:
            return False

    wait_until(answers, timeout=60, interval=0.2, what="gunicorn to answer")
    return process


def gunicorn_setup() -> str:
    """What config/gunicorn.py gives with this environment, e.g. "3 gthread workers x 4 threads"."""
    namespace: dict = {}
    saved = {name: os.environ.get(name) for name in GUNICORN_OVERRIDES}
    os.environ.update(GUNICORN_OVERRIDES)
    try:
        exec(compile(GUNICORN_CONFIG.read_text(), str(GUNICORN_CONFIG), "exec"), namespace)
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    threads = f" x {namespace['threads']} threads" if namespace["worker_class"] == "gthread" else ""
    return f"{namespace['workers']} {namespace['worker_class']} workers{threads}"


def _cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:  # gone meanwhile
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _tree(pid: int) -> list[int]:
    """pid and its descendants (gunicorn's master and workers)."""
    pids = [pid]
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            children = (task / "children").read_text().split()
        except OSError:
            continue
        for child in children:
            pids.extend(_tree(int(child)))
    return pids


def _database_backends() -> list[int]:
    """The PostgreSQL backends serving the bench database (gunicorn's persistent connections among them)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")
        return [row[0] for row in cursor.fetchall()]


def _cpu_snapshot(gunicorn_pid: int) -> tuple[dict[int, float], dict[int, float]]:
    return ({pid: _cpu_seconds(pid) for pid in _tree(gunicorn_pid)},
            {pid: _cpu_seconds(pid) for pid in _database_backends()})


def _cpu_used(before: dict[int, float], after: dict[int, float]) -> float:
    return sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items())


def wrk_run(*, port: int, script: str, args: list[str], seconds: float, max_requests: int,
            profile: tuple[int, Path] | None = None) -> dict:
    """One bounded wrk run; with `profile` (gunicorn pid, raw output path) py-spy records the web workers meanwhile.

    With `profile`, the answer also holds the CPU the web processes and the database backends used per
    request (`web_cpu_ms`, `db_cpu_ms`): on a machine shared with other work these move far less than req/s.
    """
    recording = profiling.Recording(profile[0], profile[1]) if profile and profiling.enabled() else None
    before = _cpu_snapshot(profile[0]) if profile else None
    try:
        data = _wrk(port=port, script=script, args=args, seconds=seconds, max_requests=max_requests)
        if before is not None:
            web_after, db_after = _cpu_snapshot(profile[0])
            answered = max(1, data["requests"])
            data["web_cpu_ms"] = 1000 * _cpu_used(before[0], web_after) / answered
            data["db_cpu_ms"] = 1000 * _cpu_used(before[1], db_after) / answered
        return data
    finally:
        if recording is not None:
            recording.stop()
            if profile[1].exists():
                summary = profiling.summarise(profile[1], only=("subscribers/", "config/", "worker/", "newsletter/"))
                profile[1].with_suffix(".txt").write_text(summary)
                print(f"profile of {script} (py-spy):\n{summary}", flush=True)


def _wrk(*, port: int, script: str, args: list[str], seconds: float, max_requests: int) -> dict:
    env = dict(os.environ, BENCH_WRK_COMMON=str(WRK_DIR / "common.lua"),
               BENCH_WRK_MAX_PER_THREAD=str(max(1, max_requests // THREADS)))
    command = [ensure_wrk(), f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{max(1, round(seconds))}s", "--timeout", "5s",
               "-s", str(WRK_DIR / script), f"http://127.0.0.1:{port}", "--", *args]
    result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=seconds + 60)
    if result.returncode != 0:
        raise RuntimeError(f"wrk failed: {result.stderr[-2000:]}")
    data = json.loads([line for line in result.stdout.splitlines() if line.startswith("{")][-1])
    data["rps"] = data["requests"] / (data["duration_us"] / 1e6)
    data["errors"] = sum(data[key] for key in ("connect_errors", "read_errors", "write_errors", "status_errors", "timeouts"))
    return data


def run_web_load(report: Report, figures: dict, *, list_id: int, duration: float, log_dir: Path, port: int) -> None:
    from subscribers import subscribe_requests
    from subscribers.models import MailingList, QueuedEmail, Subscriber, Subscription
    from subscribers.tokens import make_unsubscribe_token

    slug = MailingList.objects.get(pk=list_id).slug
    subscriber_ids = list(
        Subscription.objects.filter(mailing_list_id=list_id, status=Subscription.Status.ACTIVE)
        .order_by("subscriber_id").values_list("subscriber_id", flat=True)
    )
    tokens_file = log_dir / "one-click-tokens.txt"
    tokens_file.write_text("\n".join(make_unsubscribe_token(subscriber_id=s, list_id=list_id) for s in subscriber_ids) + "\n")

    gunicorn = start_gunicorn(port=port, log_dir=log_dir)
    try:
        # Every gunicorn worker imports the URLconf and opens its connections on its first requests: not measured.
        warm = uuid.uuid4().hex[:8]
        for script in ("subscribe_form.lua", "subscribe_api.lua"):
            wrk_run(port=port, script=script, args=[warm, slug], seconds=2, max_requests=400)

        run = uuid.uuid4().hex[:8]
        form = wrk_run(port=port, script="subscribe_form.lua", args=[run, slug], seconds=duration, max_requests=100_000,
                       profile=(gunicorn.proc.pid, log_dir / "profile-web-subscribe-form.raw"))
        api = wrk_run(port=port, script="subscribe_api.lua", args=[run, slug], seconds=duration, max_requests=100_000,
                      profile=(gunicorn.proc.pid, log_dir / "profile-web-subscribe-api.raw"))
        one_click = wrk_run(port=port, script="one_click.lua", args=[str(tokens_file), str(THREADS)], seconds=duration,
                            max_requests=len(subscriber_ids),
                            profile=(gunicorn.proc.pid, log_dir / "profile-web-one-click.raw"))
    finally:
        gunicorn.stop()
    # The answers only stored the requests; a worker decides them behind the answer (subscribers.subscribe_requests).
    # Decided here, in-process, once gunicorn has stopped (a request wrk cut off may still have been writing).
    started = time.perf_counter()
    decided = 0
    while claimed := subscribe_requests.subscribe_requests_apply_due(limit=200):
        decided += claimed
    drain_seconds = max(time.perf_counter() - started, 1e-9)
    report.add("web", "worker: subscribe requests decided (subscriber, subscriptions, consent, queued email)",
               f"{decided / drain_seconds:,.0f} requests/s in one process ({decided:,} requests)")
    figures["worker_subscribe_requests_per_s"] = decided / drain_seconds
    form_created = Subscriber.objects.filter(email__startswith=f"form-{run}-").count()
    # No worker runs during the web part: every new subscriber's confirmation email is still in the outbox.
    form_queued = QueuedEmail.objects.filter(
        kind=QueuedEmail.Kind.CONFIRMATION, subscriber__email__startswith=f"form-{run}-"
    ).count()
    api_created = Subscriber.objects.filter(email__startswith=f"api-{run}-").count()
    unsubscribed = Subscription.objects.filter(
        mailing_list_id=list_id, status=Subscription.Status.UNSUBSCRIBED, unsubscribe_source="one-click"
    ).count()

    setup = f"gunicorn {gunicorn_setup()}, wrk {THREADS} threads x {CONNECTIONS} connections, {duration:.0f} s"
    report.add("web", "setup", setup)
    for name, label, data, effect, target in (
        ("subscribe", "subscribe form POST /subscribe/", form,
         f"{form_created:,} subscribers created, {form_queued:,} confirmation emails queued", ">= 300/s, p99 < 150 ms"),
        ("api", "subscribe API POST /api/subscribe", api, f"{api_created:,} subscribers created", ""),
        ("one-click", "one-click POST /u/<token>/ (RFC 8058)", one_click, f"{unsubscribed:,} unsubscribed", ">= 500/s"),
    ):
        figures[f"web_{name}_rps"] = data["rps"]
        figures[f"web_{name}_p99"] = data["p99_us"] / 1000
        met = None
        if name == "subscribe":
            met = data["rps"] >= 300 and data["p99_us"] < 150_000 and not data["errors"]
        elif name == "one-click":
            met = data["rps"] >= 500 and not data["errors"]
        cpu = ""
        if "web_cpu_ms" in data:
            cpu = f"; CPU per request: web {data['web_cpu_ms']:.2f} ms, PostgreSQL {data['db_cpu_ms']:.2f} ms"
        report.add("web", label,
                   f"{data['rps']:,.0f} req/s, p50 {data['p50_us'] / 1000:.1f} ms, p99 {data['p99_us'] / 1000:.1f} ms, "
                   f"{data['requests']:,} requests, {data['errors']} errors; {effect}{cpu}", target, met)
    _check_effects(form, form_created, api, api_created, one_click, unsubscribed)
    if form_queued != form_created:
        raise RuntimeError(f"form: {form_created} subscribers created but {form_queued} confirmation emails queued")


def _check_effects(form: dict, form_created: int, api: dict, api_created: int, one_click: dict, unsubscribed: int) -> None:
    """Every answered request must have done its work (wrk may count a last request cut off by the deadline)."""
    problems = []
    for label, data, effect in (("form", form, form_created), ("api", api, api_created), ("one-click", one_click, unsubscribed)):
        done = data["requests"] - data["errors"]
        if effect < done - CONNECTIONS:
            problems.append(f"{label}: {done} requests answered but only {effect} took effect")
    if problems:
        raise RuntimeError("; ".join(problems))
