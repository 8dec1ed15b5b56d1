"""A tailored send's preparation (newsletter.tailoring, worker.planning.tailored_plan), from outside the product.

Four topics give 16 combinations (none chosen included); the list's readers (en/fr/ar) hold them in turn (by
subscriber id), and the digest's five stories carry one topic each except the last. Measured: rendering the
variants the readers need (how many, premailer runs), the planning transaction commit included, and the bench
process's peak memory over both (VmHWM, reset just before through /proc/self/clear_refs).
"""

from __future__ import annotations

from pathlib import Path

from django.db import connection, transaction

from bench.measure import timed, tree_cpu_seconds
from bench.report import Report, mib, per_second, seconds

TOPICS = 4  # 2**4 = 16 combinations


def tailored_planning(report: Report, *, list_id: int, size: int) -> None:
    from bench.content import digest_create
    from bench.planning_steps import PlanningSteps
    from newsletter.models import Digest, DigestItem
    from newsletter.rendering import render_digest_variants
    from subscribers.models import MailingList, Topic
    from tests.support.premailer import counting_premailer
    from worker.planning import audience_plan, planning_session
    from worker.providers import current_provider

    topics = [Topic.objects.get_or_create(slug=f"bench-topic-{n}", defaults={"name": f"Bench topic {n}"})[0]
              for n in range(TOPICS)]
    _readers_take_combinations(list_id=list_id, topic_ids=[topic.id for topic in topics])
    digest = digest_create(mailing_list=MailingList.objects.get(pk=list_id), subject="Bench tailored")
    Digest.objects.filter(pk=digest.pk).update(tailored=True)
    digest.refresh_from_db()
    for row in DigestItem.objects.filter(digest=digest).order_by("position"):
        if row.position < TOPICS:
            row.news_item.topics.set([topics[row.position]])
    peak_reset = _reset_peak_memory()
    try:
        with counting_premailer() as runs, timed() as render:
            variants = render_digest_variants(digest_id=digest.id)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            backend = cursor.fetchone()[0]
        clock = PlanningSteps(cpu=lambda: tree_cpu_seconds(backend))
        with timed() as whole:
            with transaction.atomic():
                planning_session()
                Digest.objects.select_for_update().get(pk=digest.id)
                clock.charge("lock")
                with clock.of_audience_plan(connection):
                    plan = audience_plan(digest=digest, variants=variants, batch_size=current_provider().batch_size)
            clock.charge("commit")
        peak = _peak_memory()
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM worker_delivery WHERE digest_id = %s", [digest.id])
            cursor.execute("DELETE FROM worker_batch WHERE digest_id = %s", [digest.id])
            cursor.execute("DELETE FROM subscribers_subscriber_topics WHERE topic_id = ANY(%s)", [[t.id for t in topics]])
        for row in DigestItem.objects.filter(digest=digest).select_related("news_item"):
            row.news_item.topics.clear()
        digest.delete()
    if plan.total != size:
        raise RuntimeError(f"tailored planning created {plan.total} deliveries for {size} subscribers")
    languages = len({variant.language for variant in variants})
    report.add("tailored", f"render the variants {size:,} readers need ({2 ** TOPICS} topic combinations in "
               f"{languages} languages): variants; premailer runs", f"{len(variants)}; {runs.calls}")
    report.add("tailored", "of which the time to render them (signatures counted, premailer once per variant)",
               seconds(render.elapsed))
    rate = per_second(size / whole.elapsed, " deliveries/s")
    report.add("tailored", f"plan {size:,} deliveries in {len(plan.batch_ids)} batches, commit included "
               "(worker.planning.tailored_plan)", f"{seconds(whole.elapsed)} ({rate})")
    for step, measure in (("count", "count the audience per language and interest signature"),
                          ("batches", "create the batch rows"),
                          ("insert", "INSERT ... SELECT of the deliveries with their batch, skipped ones included"),
                          ("spans", "batch sizes and subscriber ranges"),
                          ("commit", "commit (deferred foreign-key checks of the new deliveries)")):
        wall, step_cpu = clock.steps.get(step, (0.0, 0.0))
        report.add("tailored", f"of which {measure}; database CPU", f"{seconds(wall)}; {seconds(step_cpu)}")
    report.add("tailored", "peak memory of the bench process over render and plan" + ("" if peak_reset else
               " (VmHWM could not be reset: the whole run's peak)"), mib(peak) if peak else "unknown")


def _readers_take_combinations(*, list_id: int, topic_ids: list[int]) -> None:
    """Reader k of the list (by subscriber id) holds topic n when bit n of k mod 16 is set: every combination."""
    with connection.cursor() as cursor:
        for bit, topic_id in enumerate(topic_ids):
            cursor.execute(
                "INSERT INTO subscribers_subscriber_topics (subscriber_id, topic_id) "
                "SELECT s.subscriber_id, %s FROM subscribers_subscription s WHERE s.mailing_list_id = %s "
                "AND (s.subscriber_id %% 16) & %s <> 0 ON CONFLICT DO NOTHING",
                [topic_id, list_id, 1 << bit],
            )
        cursor.execute("ANALYZE subscribers_subscriber_topics")


def _reset_peak_memory() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def _peak_memory() -> int | None:
    """VmHWM of this process, in bytes."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return None
