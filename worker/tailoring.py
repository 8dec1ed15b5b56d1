"""Planning a tailored digest (newsletter.tailoring): each reader's delivery goes to the variant of her language and
item set, readers whose interests match no item are recorded skipped.

worker.planning.tailored_plan takes the same steps as audience_plan with the variant as the bucket key instead of
the language: count the audience per (language, interest signature), map each to a variant (tailored_variant_map),
create the batches per variant (tailored_batches), one INSERT ... SELECT numbering the audience per variant, then
batches_settle. tailored_batches_cut cuts the few deliveries left without a batch.
"""

from __future__ import annotations

import logging

from django.utils import timezone

from newsletter.models import DigestVariant
from newsletter.rendering import render_tailored
from newsletter.tailoring import SKIP_REASON, Interests, digest_interests, signature_expression, variant_map
from worker.models import Batch, Delivery

log = logging.getLogger(__name__)


def tailored_batches(*, digest_id: int, counts: list[tuple[str, int, int]], variant_of: dict, batch_size: int,
                     now) -> tuple[list[Batch], dict[str, int], list[tuple[int, int, int]], list[tuple[int, int, int]]]:
    """The batches of a tailored plan, created for the readers counted as (language, signature, readers) and mapped
    to variants by `variant_of`: (batches, language numbers, keys, buckets) for sql.deliveries_insert_tailored.
    Variant number 0 is an empty item set (skipped); the others number the variants used, in id order."""
    used = sorted({variant.pk: variant for variant in variant_of.values() if variant is not None}.values(),
                  key=lambda variant: variant.pk)
    number_of = {variant.pk: number for number, variant in enumerate(used, start=1)}
    readers = dict.fromkeys(number_of.values(), 0)
    for language, signature, count in counts:
        if (variant := variant_of[(language, signature)]) is not None:
            readers[number_of[variant.pk]] += count
    batches = Batch.objects.bulk_create(
        [
            Batch(digest_id=digest_id, variant_id=variant.pk, language=variant.language, next_attempt_at=now,
                  created_at=now)
            for variant in used
            for _ in range(-(-readers[number_of[variant.pk]] // batch_size))
        ]
    )
    # The k-th batch of a variant takes that variant's k-th bucket of subscribers (by id).
    next_bucket: dict[int, int] = {}
    buckets = []
    for batch in batches:
        number = number_of[batch.variant_id]
        next_bucket[number] = next_bucket.get(number, -1) + 1
        buckets.append((number, next_bucket[number], batch.id))
    language_numbers = {language: number for number, language in enumerate(sorted({key[0] for key in variant_of}))}
    keys = [(language_numbers[language], signature, number_of[variant.pk] if variant is not None else 0)
            for (language, signature), variant in variant_of.items()]
    log.info("event=tailored_planned", extra={"digest_id": digest_id, "variants": len(used)})
    return batches, language_numbers, keys, buckets


def tailored_batches_cut(*, digest_id: int, batch_size: int) -> list[int]:
    """worker.planning.batches_cut for a tailored digest: its pending deliveries without a batch (a reader who
    joined or changed her interests during the plan, recipients resent at an editor's request) go to the variant
    of their language and of the interests they hold now, in batches of `batch_size` by subscriber id; those
    whose interests match no item are skipped. Row by row: this cuts the few the set-based plan left over."""
    interests = digest_interests(digest_id=digest_id)
    rows = list(
        Delivery.objects.filter(digest_id=digest_id, batch__isnull=True, status=Delivery.Status.PENDING)
        .annotate(sig=signature_expression(interests, subscriber="subscriber_id"))
        .order_by("subscriber_id").values_list("id", "subscriber_id", "language", "sig")
    )
    variants = list(DigestVariant.objects.filter(digest_id=digest_id))
    variant_of = tailored_variant_map(digest_id=digest_id, interests=interests, variants=variants,
                              keys={(language, signature) for _id, _subscriber, language, signature in rows})
    skipped: list[int] = []
    per_variant: dict[int, list[tuple[int, int]]] = {}
    by_id: dict[int, DigestVariant] = {}
    for delivery_id, subscriber_id, language, signature in rows:
        variant = variant_of[(language, signature)]
        if variant is None:
            skipped.append(delivery_id)
        else:
            by_id[variant.pk] = variant
            per_variant.setdefault(variant.pk, []).append((delivery_id, subscriber_id))
    if skipped:
        Delivery.objects.filter(pk__in=skipped).update(status=Delivery.Status.SKIPPED, error=SKIP_REASON)
    now = timezone.now()
    chunks = [(variant_id, rows[start:start + batch_size]) for variant_id, rows in per_variant.items()
              for start in range(0, len(rows), batch_size)]
    batches = Batch.objects.bulk_create(
        [
            Batch(digest_id=digest_id, variant_id=variant_id, language=by_id[variant_id].language, size=len(chunk),
                  first_subscriber_id=chunk[0][1], last_subscriber_id=chunk[-1][1], next_attempt_at=now, created_at=now)
            for variant_id, chunk in chunks
        ]
    )
    for batch, (_variant_id, chunk) in zip(batches, chunks, strict=True):
        Delivery.objects.filter(pk__in=[delivery_id for delivery_id, _subscriber in chunk]).update(batch_id=batch.id)
    return [batch.id for batch in batches]


def tailored_variant_map(*, digest_id: int, interests: Interests, variants: list[DigestVariant],
                         keys) -> dict[tuple[str, int], DigestVariant | None]:
    """newsletter.tailoring.variant_map, rendering the variants nobody needed at rendering time."""
    return variant_map(keys=keys, interests=interests, variants=variants,
                       render_missing=lambda wanted: render_tailored(digest_id=digest_id, wanted=wanted))
