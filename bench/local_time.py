"""A local-time send planned for 100,000 readers spread over 24 time zones: time to plan and peak memory.

The part (`local_time_planning`) gives the list's readers one of 24 zones, from UTC+14 to UTC-10 (a reader's
zone by her id), and plans a digest scheduled at 09:00 in each reader's time zone in a child process of its own
(`python -m bench.local_time LIST_ID`), so that the child's resident-set high-water mark (VmHWM) is the planning's
and nothing else's; the PostgreSQL backend's high-water mark is read too. The zones are taken away afterwards.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

ZONES = [
    "Pacific/Kiritimati", "Pacific/Auckland", "Australia/Sydney", "Asia/Tokyo", "Asia/Shanghai", "Asia/Bangkok",
    "Asia/Dhaka", "Asia/Kolkata", "Asia/Karachi", "Asia/Dubai", "Europe/Moscow", "Asia/Beirut", "Europe/Paris",
    "Africa/Casablanca", "Europe/London", "Atlantic/Azores", "Atlantic/South_Georgia", "America/Sao_Paulo",
    "America/Halifax", "America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles",
    "Pacific/Honolulu",
]


def local_time_planning(report, *, list_id: int, size: int) -> None:
    from django.db import connection

    from bench.report import mib, per_second, seconds

    with connection.cursor() as cursor:
        _zones_set(cursor, list_id=list_id, zones=ZONES)
    try:
        result = subprocess.run([sys.executable, "-m", "bench.local_time", str(list_id)], cwd=ROOT, env=dict(os.environ),
                                capture_output=True, text=True, timeout=1800)
        if result.returncode != 0:
            raise RuntimeError(result.stderr[-2000:])
        figures = json.loads(result.stdout.strip().splitlines()[-1])
    finally:
        with connection.cursor() as cursor:
            _zones_set(cursor, list_id=list_id, zones=[""])
    if figures["total"] != size:
        raise RuntimeError(f"planning created {figures['total']} deliveries for {size} subscribers")
    section = "local time"
    report.add(section, f"plan {size:,} deliveries over {figures['zones']} time zones in {figures['batches']} batches "
               "(a 09:00-local send), commit included; database CPU", f"{seconds(figures['seconds'])} "
               f"({per_second(size / figures['seconds'], ' deliveries/s')}); {seconds(figures['cpu'])}")
    report.add(section, "of which reading the audience's zones and computing each zone's instant",
               seconds(figures["zones_seconds"]))
    report.add(section, "planning process peak memory (VmHWM; before the plan)",
               f"{mib(figures['peak_rss'])} ({mib(figures['rss_before'])})")
    if figures.get("backend_peak"):
        report.add(section, "PostgreSQL backend peak memory (VmHWM)", mib(figures["backend_peak"]))
    report.add(section, "span of the send (first zone's 09:00 to the last's)", f"{figures['span_hours']:g} h")


def _zones_set(cursor, *, list_id: int, zones: list[str]) -> None:
    """Give each reader of the list a zone of `zones` by her id (one UPDATE). The seed gives languages by id modulo
    3, so the zone is taken from id / 3: every zone gets readers of every language, as a real list's do."""
    values = ", ".join(["%s"] * len(zones))
    cursor.execute(
        f"UPDATE subscribers_subscriber SET time_zone = (ARRAY[{values}])[1 + (id / 3) %% {len(zones)}] "
        "WHERE id IN (SELECT subscriber_id FROM subscribers_subscription WHERE mailing_list_id = %s)",
        [*zones, list_id],
    )


def _plan(list_id: int) -> dict:
    """Plan a 09:00-local digest for the list in this process, as digest_prepare's transaction does; then delete it."""
    import time as clock
    from datetime import time

    from django.db import connection, transaction
    from django.utils import timezone

    from bench.content import digest_create
    from bench.measure import _status_field, peak_rss, tree_cpu_seconds
    from newsletter.models import Digest
    from newsletter.rendering import render_digest_variants
    from subscribers.models import MailingList
    from worker import local_time
    from worker.models import Batch
    from worker.planning import audience_plan, planning_session, readers_per_zone
    from worker.providers import current_provider

    digest = digest_create(mailing_list=MailingList.objects.get(pk=list_id), subject="Bench local time")
    Digest.objects.filter(pk=digest.id).update(send_mode=Digest.SendMode.LOCAL_TIME, local_send_time=time(9, 0),
                                               send_at=timezone.now())
    digest.refresh_from_db()
    variants = render_digest_variants(digest_id=digest.id)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    rss_before = _status_field(os.getpid(), "VmRSS")
    try:
        started = clock.perf_counter()
        zones = local_time.zone_instants(zones=sorted(readers_per_zone(digest=digest, variants=variants)),
                                         local_send_time=digest.local_send_time, send_at=digest.send_at)
        zones_seconds = clock.perf_counter() - started
        started, cpu_before = clock.perf_counter(), tree_cpu_seconds(backend)
        with transaction.atomic():
            planning_session()
            Digest.objects.select_for_update().get(pk=digest.id)
            plan = audience_plan(digest=digest, variants=variants, batch_size=current_provider().batch_size)
        elapsed, cpu = clock.perf_counter() - started, tree_cpu_seconds(backend) - cpu_before
        planned_zones = Batch.objects.filter(digest=digest).values("zone").distinct().count()
        backend_peak = peak_rss(backend)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM worker_delivery WHERE digest_id = %s", [digest.id])
            cursor.execute("DELETE FROM worker_batch WHERE digest_id = %s", [digest.id])
        digest.delete()
    return {"seconds": elapsed, "cpu": cpu, "zones_seconds": zones_seconds, "total": plan.total, "batches": len(plan.batch_ids),
            "zones": planned_zones, "peak_rss": peak_rss(os.getpid()), "rss_before": rss_before,
            "backend_peak": backend_peak, "span_hours": local_time.span_check(zones).total_seconds() / 3600}


if __name__ == "__main__":
    import django

    django.setup()
    print(json.dumps(_plan(int(sys.argv[1]))))
