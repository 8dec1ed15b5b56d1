"""Our per-message mode in one process with Django's in-memory backend: the like-for-like peer comparison.

Run by bench.parts as `python -m bench.ours_locmem LIST_ID WARMUP_LIST_ID` with EMAIL_PROVIDER=locmem and
CELERY_TASK_ALWAYS_EAGER=1, so the whole real pipeline (scan, prepare with rendering, batch claims,
one message per recipient, delivery rows) runs inline, as django-newsletter's `submit()` does. A digest to the
small warm-up list goes first, untimed, as bench/peer/send_peer.py does for django-newsletter
(bench.parts.WARMUP_MESSAGES says why). Then, for each line "run" on stdin, one timed digest to the list, and
one JSON line on stdout (bench.stepper: the bench alternates these with the peer's runs).
"""

from __future__ import annotations

import os
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core import mail  # noqa: E402

from bench.content import digest_create  # noqa: E402
from bench.stepper import serve  # noqa: E402
from newsletter.models import Digest  # noqa: E402
from subscribers.models import MailingList  # noqa: E402
from worker.control import digest_schedule_send  # noqa: E402
from worker.models import Delivery  # noqa: E402
from worker.process import worker_process_ready  # noqa: E402


def main() -> None:
    assert settings.EMAIL_PROVIDER == "locmem" and settings.CELERY_TASK_ALWAYS_EAGER
    worker_process_ready()  # this process runs the tasks inline: it starts as a worker process does
    mailing_list = MailingList.objects.get(pk=int(sys.argv[1]))
    warmup = digest_create(mailing_list=MailingList.objects.get(pk=int(sys.argv[2])), subject="Bench warm-up")
    digest_schedule_send(digest_id=warmup.id, now=True)
    warmup.refresh_from_db()
    assert warmup.status == Digest.Status.SENT, warmup.status_detail
    serve(lambda run: timed_send(mailing_list, run))


def timed_send(mailing_list: MailingList, run: int) -> dict:
    digest = digest_create(mailing_list=mailing_list, subject=f"Bench digest {run + 1} (per message, in memory)")
    mail.outbox = []
    profile_to = os.environ.get("BENCH_PROFILE_TO", "") if run == 0 else ""
    profiler = None
    if profile_to:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.001)
        profiler.start()
    started, cpu_started = time.perf_counter(), time.process_time()
    digest_schedule_send(digest_id=digest.id, now=True)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    if profiler is not None:
        profiler.stop()
        with open(profile_to, "w") as out:
            out.write(profiler.output_text(unicode=True, color=False, show_all=False))
    digest.refresh_from_db()
    sent = Delivery.objects.filter(digest_id=digest.id, status=Delivery.Status.SENT).count()
    sample = mail.outbox[0].message().as_bytes() if mail.outbox else b""
    return {
        # cpu_seconds: this process only (PostgreSQL's side is not in it); steadier than wall time on a shared machine.
        "messages": len(mail.outbox), "sent": sent, "seconds": elapsed, "cpu_seconds": cpu, "status": digest.status,
        "ok": digest.status == Digest.Status.SENT and sent == len(mail.outbox), "sample_bytes": len(sample),
    }


if __name__ == "__main__":
    main()
