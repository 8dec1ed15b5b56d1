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
