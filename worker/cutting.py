"""Cutting leftovers row by row: the few pending deliveries without a batch (a reader who joined during the plan,
recipients an editor resends) of a tailored or local-time digest, into batches per (variant, zone).

Delivery has no zone column: the reader's zone is read with her row, through the same expression as the plan's
(worker.local_time.zone_expression), and her zone's batches wait for its instant (worker.local_time.batches_not_before),
so a late joiner of a local-time send gets her own zone's hour (docs/decisions/0020-local-time-sends.md).
"""

from __future__ import annotations

from django.db.models import CharField, QuerySet, Value
from django.utils import timezone

from newsletter.models import Digest, DigestVariant
from worker import local_time
from worker.models import Batch, Delivery

# (variant, zone) -> [(delivery id, subscriber id), ...] in subscriber id order
Groups = dict[tuple[DigestVariant, str], list[tuple[int, int]]]


def unbatched_deliveries(*, digest: Digest) -> QuerySet:
    """The digest's pending deliveries without a batch, by subscriber id, each annotated with her `zone`: hers, else
    her list's, for a local-time send; "" for everybody in an at-once one."""
    zone = (local_time.zone_expression(list_zone=digest.mailing_list.time_zone, field="subscriber__time_zone")
            if local_time.is_local_time(digest) else Value("", output_field=CharField()))
    return (Delivery.objects.filter(digest_id=digest.id, batch__isnull=True, status=Delivery.Status.PENDING)
            .annotate(zone=zone).order_by("subscriber_id"))


def zoned_batches_cut(*, digest: Digest, batch_size: int) -> list[int]:
    """worker.planning.batches_cut for a local-time digest that is not tailored: per (language, zone)."""
    variants = {variant.language: variant for variant in DigestVariant.objects.filter(digest_id=digest.id)}
    groups: Groups = {}
    rows = unbatched_deliveries(digest=digest).values_list("id", "subscriber_id", "language", "zone")
    for delivery_id, subscriber_id, language, zone in rows:
        groups.setdefault((variants[language], zone), []).append((delivery_id, subscriber_id))
    return batches_of_groups(digest=digest, groups=groups, batch_size=batch_size)


def batches_of_groups(*, digest: Digest, groups: Groups, batch_size: int) -> list[int]:
    """Batches of at most `batch_size` consecutive rows of each group, each waiting for its zone's instant; each
    row put into its batch. Returns the new batch ids."""
    now = timezone.now()
    not_before = local_time.batches_not_before(digest=digest, zones=sorted({zone for _variant, zone in groups}), now=now)
    chunks = [(variant, zone, rows[start:start + batch_size]) for (variant, zone), rows in groups.items()
              for start in range(0, len(rows), batch_size)]
    batches = Batch.objects.bulk_create(
        [
            Batch(digest_id=digest.id, variant_id=variant.pk, language=variant.language, zone=zone, size=len(chunk),
                  first_subscriber_id=chunk[0][1], last_subscriber_id=chunk[-1][1], next_attempt_at=not_before[zone],
                  created_at=now)
            for variant, zone, chunk in chunks
        ]
    )
    for batch, (_variant, _zone, chunk) in zip(batches, chunks, strict=True):
        Delivery.objects.filter(pk__in=[delivery_id for delivery_id, _subscriber in chunk]).update(batch_id=batch.id)
    return [batch.id for batch in batches]
