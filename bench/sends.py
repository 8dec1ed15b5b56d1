"""End-to-end sends through the real pipeline: beat-less schedule -> scan -> prepare -> batches, in real
Celery worker processes, to the real anymail Mailgun backend (local server) or to SMTP (aiosmtpd).

Runs in the orchestrator process (Django set up on the bench database). The clock starts when the
editor's "send now" is recorded (worker.control.digest_schedule_send) and stops at the last batch the
provider accepted (the latest Batch.finished_at).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from django.db.models import Count, Max, Min
from django.utils import timezone

from bench import profiling
from bench.content import digest_create
from bench.measure import TreePeak, own_cpu_seconds, tree_cpu_seconds
from newsletter.models import Digest
from tests.support.premailer import counting_premailer, runs_counted
from tests.support.processes import start_worker, wait_until
from worker.control import digest_schedule_send
from worker.models import Batch, Delivery, DigestSend
from worker.selectors import digest_cost

# The providers' default rate limits (Mailgun 100/s, SMTP 20/s) are for real accounts; the bench
# measures the engine, so the shared limiter is set far above anything this machine can reach.
UNLIMITED_RATE = "1000000000"


@dataclass
class SendResult:
    label: str
    recipients: int
    seconds: float
    planning_seconds: float
    premailer_calls: int
    provider_calls: int
    statuses: dict[str, int]
    peak_rss: int
    received: int  # what the provider side counted
    worker_cpu: float  # CPU seconds of the worker process tree during the send
    first_batch_seconds: float  # from "send" to the first batch the provider accepted
    first_claim_seconds: float  # from "send" to the first batch claimed by a worker (prepare is over)
    bench_cpu: float  # CPU seconds of this process (the local provider server, polling) during the send

    @property
    def per_second(self) -> float:
        return self.recipients / self.seconds if self.seconds > 0 else 0.0


def send_end_to_end(
    *, label: str, mailing_list, expected: int, provider_env: dict[str, str], received, log_dir: Path,
    concurrency: int = 2, timeout: float = 1800.0,
) -> SendResult:
    """Send one digest to `mailing_list` with a fresh worker; `received()` reads the provider-side count."""
    digest = digest_create(mailing_list=mailing_list, subject=f"Bench digest ({label})")
    # Premailer runs are counted from outside: in this process for the pre-send checks, in the worker for preparing.
    worker_premailer = log_dir / f"premailer-{label.replace(' ', '-')}.count"
    worker_premailer.unlink(missing_ok=True)
    worker = start_worker(
        log_dir, name=f"bench-{label.replace(' ', '-')}", concurrency=concurrency, premailer_count=worker_premailer,
        SEND_RATE_PER_SECOND=UNLIMITED_RATE, LOG_LEVEL="warning", **provider_env,
    )
    peak = TreePeak(worker.proc.pid)
    stop = threading.Event()

    def sample() -> None:
        # VmHWM is a high-water mark kept by the kernel: a sample a second misses nothing of a process that
        # is still alive, and scanning /proc more often would take CPU from the send being measured.
        while not stop.is_set():
            peak.sample()
            stop.wait(1.0)

    sampler = threading.Thread(target=sample, daemon=True)
    raw = log_dir / f"profile-{label.replace(' ', '-')}.raw"
    recording = profiling.Recording(worker.proc.pid, raw) if profiling.enabled() else None
    try:
        peak.sample()
        sampler.start()
        worker_cpu_before, bench_cpu_before = tree_cpu_seconds(worker.proc.pid), own_cpu_seconds()
        started = timezone.now()
        with counting_premailer() as checks_premailer:
            digest_schedule_send(digest_id=digest.id, now=True)  # runs the pre-send checks here, rendering included
        wait_until(
            lambda: Digest.objects.filter(pk=digest.id, status__in=[Digest.Status.SENT, Digest.Status.FAILED]).exists()
            or _worker_gone(worker),
            timeout=timeout, interval=0.2, what=f"digest {digest.id} ({label}) to be sent",
        )
        if _worker_gone(worker):
            raise RuntimeError(f"worker died during {label}:\n{worker.log_tail()}")
        # The provider-side count can trail the database by a response in flight.
        wait_until(lambda: received() >= expected, timeout=30, what=f"provider to count {expected} recipients")
        worker_cpu, bench_cpu = tree_cpu_seconds(worker.proc.pid) - worker_cpu_before, own_cpu_seconds() - bench_cpu_before
    finally:
        stop.set()
        if sampler.is_alive():
            sampler.join()
        peak.sample()
        if recording is not None:
            recording.stop()
            if raw.exists():
                summary = profiling.summarise(raw)
                raw.with_suffix(".txt").write_text(summary)
                print(f"profile of {label} (py-spy, {raw.with_suffix('.txt')}):\n{summary}", flush=True)
        worker.stop()
    send = DigestSend.objects.get(digest_id=digest.id)
    span = Batch.objects.filter(digest_id=digest.id).aggregate(
        first=Min("finished_at"), last=Max("finished_at"), claimed=Min("claimed_at")
    )
    last = span["last"]
    statuses = dict(Delivery.objects.filter(digest_id=digest.id).values_list("status").annotate(n=Count("id")))
    return SendResult(
        label=label,
        recipients=statuses.get(Delivery.Status.SENT, 0),
        seconds=(last - started).total_seconds(),
        planning_seconds=(send.planned_at - send.claimed_at).total_seconds() if send.planned_at and send.claimed_at else 0.0,
        # In this process for the pre-send checks, in the worker when preparing (0 there when nothing changed).
        premailer_calls=checks_premailer.calls + runs_counted(worker_premailer),
        provider_calls=digest_cost(digest_id=digest.id)["provider_calls"],
        statuses=statuses,
        peak_rss=peak.largest,
        received=received(),
        worker_cpu=worker_cpu,
        first_batch_seconds=(span["first"] - started).total_seconds(),
        first_claim_seconds=(span["claimed"] - started).total_seconds(),
        bench_cpu=bench_cpu,
    )


def _worker_gone(worker) -> bool:
    return worker.proc.poll() is not None
