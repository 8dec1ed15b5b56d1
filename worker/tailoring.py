"""Planning a tailored digest (newsletter.tailoring): each reader's delivery goes to the variant of her language and
item set, readers whose interests match no item are recorded skipped.

worker.planning.tailored_plan takes the same steps as audience_plan with the variant as the bucket key instead of
the language: count the audience per (language, interest signature), map each to a variant (tailored_variant_map),
create the batches per variant and, for a local-time send, per zone (tailored_batches), one INSERT ... SELECT
numbering the audience per such group, then batches_settle. tailored_batches_cut cuts the few deliveries left without a batch.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from newsletter.models import Digest, DigestVariant
from newsletter.rendering import render_tailored
from newsletter.tailoring import SKIP_REASON, Interests, digest_interests, signature_expression, variant_map
from worker.cutting import Groups, batches_of_groups, unbatched_deliveries
from worker.models import Batch, Delivery

log = logging.getLogger(__name__)


@dataclass
class TailoredBatches:
    """A tailored plan's batches and what sql.deliveries_insert_tailored needs to number the audience into them."""

    batches: list[Batch]
    language_numbers: dict[str, int]
    zone_numbers: dict[str, int] | None  # None: a send at one moment (every reader's zone is "")
    keys: list[tuple[int, ...]]  # (language number, [zone number,] signature, group number)
    buckets: list[tuple[int, int, int]]  # (group number, bucket, batch id)


def tailored_batches(*, digest_id: int, counts: list[tuple[str, str, int, int]], variant_of: dict, batch_size: int,
                     not_before: dict[str, datetime], now) -> TailoredBatches:
    """The batches of a tailored plan, created for the readers counted as (language, zone, signature, readers) and
    mapped to variants by `variant_of`, per (variant, zone), each zone's batches waiting until `not_before[zone]`
    (one zone, "", in a send at one moment). Group number 0 is an empty item set (skipped); the others number the
    (variant, zone) groups used, in variant id and zone order."""
    used = sorted({(variant_of[(language, signature)], zone) for language, zone, signature, _count in counts
                   if variant_of[(language, signature)] is not None}, key=lambda group: (group[0].pk, group[1]))
    number_of = {(variant.pk, zone): number for number, (variant, zone) in enumerate(used, start=1)}
    readers = dict.fromkeys(number_of.values(), 0)
    for language, zone, signature, count in counts:
        if (variant := variant_of[(language, signature)]) is not None:
            readers[number_of[(variant.pk, zone)]] += count
    batches = Batch.objects.bulk_create(
        [
            Batch(digest_id=digest_id, variant_id=variant.pk, language=variant.language, zone=zone,
                  next_attempt_at=not_before[zone], created_at=now)
            for variant, zone in used
            for _ in range(-(-readers[number_of[(variant.pk, zone)]] // batch_size))
        ]
    )
    # The k-th batch of a group takes that group's k-th bucket of subscribers (by id).
    next_bucket: dict[int, int] = {}
    buckets = []
    for batch in batches:
        number = number_of[(batch.variant_id, batch.zone)]
        next_bucket[number] = next_bucket.get(number, -1) + 1
        buckets.append((number, next_bucket[number], batch.id))
    language_numbers = {language: number for number, language in enumerate(sorted({key[0] for key in variant_of}))}
    zones = sorted({zone for _language, zone, _signature, _count in counts})
    # A send at one moment keeps the keys (and so the statement) it had before zones: no zone column.
    zone_numbers = {zone: number for number, zone in enumerate(zones)} if zones != [""] else None

    def group(language: str, zone: str, signature: int) -> int:
        variant = variant_of[(language, signature)]
        return number_of[(variant.pk, zone)] if variant is not None else 0

    keys = [(language_numbers[language], signature, group(language, zone, signature)) if zone_numbers is None
            else (language_numbers[language], zone_numbers[zone], signature, group(language, zone, signature))
            for language, zone, signature, _count in counts]
    log.info("event=tailored_planned", extra={"digest_id": digest_id, "variants": len({v.pk for v, _zone in used}),
                                              "zones": len(zones)})
    return TailoredBatches(batches=batches, language_numbers=language_numbers, zone_numbers=zone_numbers, keys=keys,
                           buckets=buckets)


def tailored_batches_cut(*, digest: Digest, batch_size: int) -> list[int]:
    """worker.planning.batches_cut for a tailored digest: its pending deliveries without a batch (a reader who
    joined or changed her interests during the plan, recipients resent at an editor's request) go to the variant
    of their language and of the interests they hold now, in batches of `batch_size` by subscriber id per variant
    and zone (a local-time send's late joiner waits for her zone's hour); those whose interests match no item are
    skipped. Row by row: this cuts the few the set-based plan left over."""
    interests = digest_interests(digest_id=digest.id)
    rows = list(
        unbatched_deliveries(digest=digest)
        .annotate(sig=signature_expression(interests, subscriber="subscriber_id"))
        .values_list("id", "subscriber_id", "language", "zone", "sig")
    )
    variants = list(DigestVariant.objects.filter(digest_id=digest.id))
    variant_of = tailored_variant_map(digest_id=digest.id, interests=interests, variants=variants,
                                      keys={(language, signature) for _id, _subscriber, language, _zone, signature in rows})
    skipped: list[int] = []
    groups: Groups = {}
    for delivery_id, subscriber_id, language, zone, signature in rows:
        variant = variant_of[(language, signature)]
        if variant is None:
            skipped.append(delivery_id)
        else:
            groups.setdefault((variant, zone), []).append((delivery_id, subscriber_id))
    if skipped:
        Delivery.objects.filter(pk__in=skipped).update(status=Delivery.Status.SKIPPED, error=SKIP_REASON)
    return batches_of_groups(digest=digest, groups=groups, batch_size=batch_size)


def tailored_variant_map(*, digest_id: int, interests: Interests, variants: list[DigestVariant],
                         keys) -> dict[tuple[str, int], DigestVariant | None]:
    """newsletter.tailoring.variant_map, rendering the variants nobody needed at rendering time."""
    return variant_map(keys=keys, interests=interests, variants=variants,
                       render_missing=lambda wanted: render_tailored(digest_id=digest_id, wanted=wanted))
