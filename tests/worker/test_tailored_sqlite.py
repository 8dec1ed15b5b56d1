"""`make run` keeps its data in SQLite: a tailored digest's interest signatures (a sub-query summing powers of two)
and its plan (two VALUES lists joined in INSERT ... SELECT) must work there too, not only on PostgreSQL."""

from __future__ import annotations

from tests.support.processes import run_on_fresh_sqlite

SCRIPT = r"""
import json
import django

django.setup()
from django.core import mail
from django.core.management import call_command

call_command("migrate", verbosity=0)
from newsletter.models import Digest, DigestItem, NewsItem
from subscribers.models import Topic
from tests.worker.factories import make_audience, make_digest, make_list
from worker import planning
from worker.models import Batch, Delivery
from worker.planning import digests_claim_due

# The one-step plan must cut every batch itself (the fallback, asked because skipped rows have no batch, cuts none).
fallback_batches = []
two_step_cut = planning.batches_cut
planning.batches_cut = lambda **kwargs: fallback_batches.extend(two_step_cut(**kwargs)) or fallback_batches
mail.outbox = []
water, health, culture = (Topic.objects.create(slug=slug, name=slug) for slug in ("water", "health", "culture"))
mailing_list = make_list(default_language="en")
chosen = {}
for language, topics, count in (("en", [water], 3), ("fr", [water, health], 2), ("ar", [], 2), ("en", [culture], 2)):
    for subscriber in make_audience(mailing_list, count, language=language):
        subscriber.topics.set(topics)
        chosen[subscriber.email] = [topic.slug for topic in topics]
digest = make_digest(mailing_list, tailored=True)
for position, (title, topics) in enumerate((("Water news", [water]), ("Health news", [health]))):
    item = NewsItem.objects.create(title=title, link="https://example.org/a", summary="s", published_at=digest.send_at)
    item.topics.set(topics)
    DigestItem.objects.create(digest=digest, news_item=item, position=position)
digests_claim_due()
digest.refresh_from_db()
print(json.dumps({
    "status": digest.status,
    "received": sorted([m.to[0], chosen[m.to[0]], "Water news" in m.body, "Health news" in m.body] for m in mail.outbox),
    "batches": sorted(Batch.objects.filter(digest=digest).values_list("language", "size", "status")),
    "skipped": sorted(Delivery.objects.filter(digest=digest, status="skipped").values_list("language", "error")),
    "fallback_batches": len(fallback_batches),
}))
"""


def test_it_plans_and_sends_a_tailored_digest_on_sqlite(tmp_path):
    outcome = run_on_fresh_sqlite(SCRIPT, tmp_path, EMAIL_PROVIDER="locmem", CELERY_TASK_ALWAYS_EAGER="1", SEND_BATCH_SIZE="2")

    assert outcome["status"] == "sent" and outcome["fallback_batches"] == 0
    for _email, topics, water, health in outcome["received"]:
        assert (water, health) == (not topics or "water" in topics, not topics or "health" in topics)
    assert len(outcome["received"]) == 7
    assert outcome["batches"] == [["ar", 2, "submitted"], ["en", 1, "submitted"], ["en", 2, "submitted"],
                                  ["fr", 2, "submitted"]]
    assert outcome["skipped"] == [["en", "no item matches her interests"]] * 2


LOCAL_TIME_SCRIPT = r"""
import json
from datetime import UTC, datetime, time

import django
import time_machine

django.setup()
from django.core.management import call_command

call_command("migrate", verbosity=0)
from newsletter.models import Digest, DigestItem, DigestVariant, NewsItem
from subscribers.models import Topic
from tests.worker.factories import make_audience, make_digest, make_list
from worker.models import Batch
from worker.planning import batches_cut, deliveries_plan, digests_claim_due

start = datetime(2026, 12, 8, 6, 0, tzinfo=UTC)
water, health = (Topic.objects.create(slug=slug, name=slug) for slug in ("water", "health"))
mailing_list = make_list(default_language="en", time_zone="Europe/Paris")
for language, zone, topics, count in (("en", "Asia/Beirut", [water], 3), ("fr", "Asia/Beirut", [health], 1),
                                      ("fr", "", [water], 1), ("en", "America/New_York", [water, health], 1),
                                      ("en", "America/New_York", [], 1)):
    for subscriber in make_audience(mailing_list, count, language=language, time_zone=zone):
        subscriber.topics.set(topics)
digest = make_digest(mailing_list, tailored=True, send_at=start, send_mode=Digest.SendMode.LOCAL_TIME,
                     local_send_time=time(9, 0))
for position, (title, topics) in enumerate((("Water news", [water]), ("Health news", [health]))):
    item = NewsItem.objects.create(title=title, link="https://example.org/a", summary="s", published_at=start)
    item.topics.set(topics)
    DigestItem.objects.create(digest=digest, news_item=item, position=position)
with time_machine.travel(start, tick=False):
    digests_claim_due()
planned = sorted([b.zone, b.language, b.variant.item_key.count(",") + 1, b.size, b.next_attempt_at.isoformat()]
                 for b in Batch.objects.filter(digest=digest))
[late] = make_audience(mailing_list, 1, language="fr", time_zone="America/New_York")
late.topics.set([health])
deliveries_plan(digest=digest, variants=list(DigestVariant.objects.filter(digest=digest)))
with time_machine.travel(start, tick=False):
    cut = [[b.zone, b.language, b.next_attempt_at.isoformat()] for b in Batch.objects.filter(
        pk__in=batches_cut(digest_id=digest.id, batch_size=2))]
print(json.dumps({"planned": planned, "cut": cut}))
"""


def test_it_plans_a_tailored_local_time_digest_per_variant_and_zone_on_sqlite(tmp_path):
    outcome = run_on_fresh_sqlite(LOCAL_TIME_SCRIPT, tmp_path, EMAIL_PROVIDER="locmem", CELERY_TASK_ALWAYS_EAGER="1",
                                  SEND_BATCH_SIZE="2")

    beirut, paris, new_york = "2026-12-08T07:00:00+00:00", "2026-12-08T08:00:00+00:00", "2026-12-08T14:00:00+00:00"
    assert outcome["planned"] == [
        ["America/New_York", "en", 2, 2, new_york],  # both topics, and no topic chosen: both items
        ["Asia/Beirut", "en", 1, 1, beirut], ["Asia/Beirut", "en", 1, 2, beirut], ["Asia/Beirut", "fr", 1, 1, beirut],
        ["Europe/Paris", "fr", 1, 1, paris],
    ]
    assert outcome["cut"] == [["America/New_York", "fr", new_york]]
