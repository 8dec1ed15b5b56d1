"""`make run` keeps its data in SQLite: the set-based planning SQL (window functions, a VALUES list joined
in INSERT ... SELECT ... ON CONFLICT) and the migrations must work there too, not only on PostgreSQL.

The send runs in a child process on a fresh SQLite file (the test database here is PostgreSQL): migrate,
then the whole pipeline inline (scan, prepare, batches, the in-memory backend), as the local worker would.
"""

from __future__ import annotations

from tests.support.processes import run_on_fresh_sqlite

SCRIPT = r"""
import json
import django

django.setup()
from django.core import mail
from django.core.management import call_command
from django.db import connection

call_command("migrate", verbosity=0)
from newsletter.models import Digest
from subscribers.models import Suppression
from subscribers.services import suppression_add
from tests.worker.factories import make_audience, make_digest, make_list
from worker.models import Batch, Delivery, DigestSend
from worker import planning
from worker.planning import digests_claim_due

# The one-step plan must cut every batch itself; the two-step fallback (batches_cut) would hide a failure.
cut_calls = []
two_step_cut = planning.batches_cut
planning.batches_cut = lambda **kwargs: cut_calls.append(kwargs) or two_step_cut(**kwargs)
mail.outbox = []
mailing_list = make_list(default_language="en")
make_audience(mailing_list, 7, language="en")
make_audience(mailing_list, 3, language="fr")
make_audience(mailing_list, 1, language="ar")
make_audience(mailing_list, 2, status="unsubscribed")
suppression_add(email=make_audience(mailing_list, 1)[0].email, reason=Suppression.Reason.COMPLAINT)
digest = make_digest(mailing_list)
claimed = digests_claim_due()  # autocommit: the eager prepare and batch tasks run at once
digest.refresh_from_db()
with connection.cursor() as cursor:
    cursor.execute("SELECT name FROM pragma_index_list('worker_delivery')")
    indexes = sorted(row[0] for row in cursor.fetchall())
print(json.dumps({
    "claimed": claimed == [digest.id],
    "status": digest.status,
    "total": DigestSend.objects.get(digest=digest).total,
    "sent": Delivery.objects.filter(digest=digest, status=Delivery.Status.SENT).count(),
    "messages": len(mail.outbox),
    # Our Message-ID, as the header says and as the database recorded it.
    "message_ids_recorded": sorted(m.extra_headers["Message-ID"] for m in mail.outbox) == sorted(
        Delivery.objects.filter(digest=digest).values_list("provider_message_id", flat=True)),
    "sent_at_set": not Delivery.objects.filter(digest=digest, sent_at__isnull=True).exists(),
    "batches": sorted(Batch.objects.filter(digest=digest).values_list("language", "size", "status")),
    "unbatched": Delivery.objects.filter(digest=digest, batch__isnull=True).count(),
    "indexes": indexes,
    "fallback_cuts": len(cut_calls),
}))
"""


def test_it_plans_and_sends_a_digest_on_sqlite(tmp_path):
    outcome = run_on_fresh_sqlite(SCRIPT, tmp_path, EMAIL_PROVIDER="locmem", CELERY_TASK_ALWAYS_EAGER="1", SEND_BATCH_SIZE="4")
    assert outcome["claimed"] and outcome["status"] == "sent"
    assert (outcome["total"], outcome["sent"], outcome["messages"], outcome["unbatched"]) == (11, 11, 11, 0)
    assert outcome["fallback_cuts"] == 0
    assert outcome["message_ids_recorded"] and outcome["sent_at_set"]
    # One variant per audience language, each cut in fours by subscriber id.
    assert outcome["batches"] == [["ar", 1, "submitted"], ["en", 3, "submitted"], ["en", 4, "submitted"],
                                  ["fr", 3, "submitted"]]
    # Delivery's digest and batch keys have no single-column index of their own on SQLite either.
    assert not [name for name in outcome["indexes"] if name.endswith(("_digest_id_e9c53468", "_batch_id_31e3b94d"))]
    # No index holds status (SQLite has no fillfactor; worker 0001 sets it on PostgreSQL only).
    assert {"delivery_batch", "delivery_unbatched"} <= set(outcome["indexes"])
    assert not {"delivery_batch_status", "delivery_digest_status"} & set(outcome["indexes"])


LOCAL_TIME_SCRIPT = r"""
import json
from datetime import UTC, datetime, time
import django

django.setup()
from django.core.management import call_command

call_command("migrate", verbosity=0)
from newsletter.models import Digest
from tests.worker.factories import make_audience, make_digest, make_list, make_variant
from worker.models import Batch
from worker.planning import audience_plan

mailing_list = make_list(time_zone="Europe/Zurich")
make_audience(mailing_list, 3, language="en", time_zone="Asia/Beirut")
make_audience(mailing_list, 2, language="fr", time_zone="America/New_York")
make_audience(mailing_list, 1, language="fr")
digest = make_digest(mailing_list, status=Digest.Status.SENDING, send_at=datetime(2026, 12, 8, 6, 0, tzinfo=UTC),
                     send_mode=Digest.SendMode.LOCAL_TIME, local_send_time=time(9, 0))
plan = audience_plan(digest=digest, variants=[make_variant(digest), make_variant(digest, language="fr")], batch_size=2)
print(json.dumps({
    "total": plan.total,
    "batches": sorted([b.language, b.zone, b.size, b.next_attempt_at.isoformat()] for b in Batch.objects.filter(digest=digest)),
}))
"""


def test_it_plans_a_local_time_digest_per_zone_on_sqlite(tmp_path):
    outcome = run_on_fresh_sqlite(LOCAL_TIME_SCRIPT, tmp_path, EMAIL_PROVIDER="locmem")
    assert outcome["total"] == 6
    assert outcome["batches"] == [
        ["en", "Asia/Beirut", 1, "2026-12-08T07:00:00+00:00"], ["en", "Asia/Beirut", 2, "2026-12-08T07:00:00+00:00"],
        ["fr", "America/New_York", 2, "2026-12-08T14:00:00+00:00"], ["fr", "Europe/Zurich", 1, "2026-12-08T08:00:00+00:00"]]
