"""Steps 1 and 2 of the send pipeline: claim due digests, then prepare each one.

Preparing renders every language variant once, freezes the audience into Delivery rows already cut
into batches by subscriber id (one set-based INSERT ... SELECT, audience_plan) and pokes one task per
batch after commit. Re-running a preparation (a worker died in it) changes nothing already planned.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Case, CharField, F, Q, Value, When
from django.utils import timezone

from newsletter.lifecycle import digest_step
from newsletter.models import Digest, DigestVariant
from newsletter.tailoring import (
    SKIP_REASON,
    Interests,
    TailoringError,
    digest_interests,
    signature_expression,
    variant_map,
)
from worker import local_time, sql
from worker.cutting import zoned_batches_cut
from worker.messages import HeaderInjection, build_envelope
from worker.models import Batch, Delivery, DigestSend
from worker.pokes import batches_poke, prepare_poke
from worker.providers import current_provider
from worker.sending import digest_finish_if_done
from worker.tailoring import tailored_batches, tailored_batches_cut, tailored_variant_map

log = logging.getLogger(__name__)


def digests_claim_due(*, now=None) -> list[int]:
    """Claim scheduled digests whose time has come (conditional UPDATE: two scans never claim one digest twice).

    A digest whose send_at is more than SEND_STALE_AFTER_HOURS old (a restored backup, a server that
    was stopped) is not sent by itself: it waits in needs_confirmation for an editor.
    """
    now = now or timezone.now()
    if settings.SEND_STALE_AFTER_HOURS > 0:
        stale_before = now - timedelta(hours=settings.SEND_STALE_AFTER_HOURS)
        detail = f"Its send time passed more than {settings.SEND_STALE_AFTER_HOURS:g} hours ago; confirm to send it now."
        stale = Digest.objects.filter(status=Digest.Status.SCHEDULED, send_at__lt=stale_before).values_list("id", flat=True)
        for digest_id in stale:
            digest_step(digest_id=digest_id, step="go_stale", only_if=Q(send_at__lt=stale_before), detail=detail, now=now)
    claimed = []
    due = Digest.objects.filter(status=Digest.Status.SCHEDULED, send_at__lte=now).order_by("send_at", "id")
    for digest_id in due.values_list("id", flat=True):
        if digest_step(digest_id=digest_id, step="claim", only_if=Q(send_at__lte=now), detail="", now=now):
            DigestSend.objects.update_or_create(digest_id=digest_id, defaults={"claimed_at": now})
            prepare_poke(digest_id)
            claimed.append(digest_id)
    return claimed


def digest_prepare(*, digest_id: int) -> str:
    """Render, plan and cut a digest that a scan moved to preparing; returns what happened."""
    from newsletter import rendering

    digest = Digest.objects.select_related("mailing_list__organisation").filter(pk=digest_id).first()
    if digest is None or digest.status != Digest.Status.PREPARING:
        return "not preparing"
    send, _ = DigestSend.objects.get_or_create(digest_id=digest_id)
    try:
        build_envelope(digest_id=digest.id, mailing_list=digest.mailing_list, subject=digest.subject,
                       html_body="", text_body="", web_url="")
        variants = rendering.render_digest_variants(digest_id=digest_id)
        for variant in variants:
            build_envelope(digest_id=digest.id, mailing_list=digest.mailing_list, subject=variant.subject,
                           html_body="", text_body="", web_url="")
    except HeaderInjection as exc:
        return _prepare_failed(digest_id, f"Refused: {exc}.")
    except TailoringError as exc:
        return _prepare_failed(digest_id, str(exc))
    except Exception as exc:  # a broken template or item must stop this digest with a reason, not loop
        log.exception("event=prepare_failed", extra={"digest_id": digest_id})
        return _prepare_failed(digest_id, f"Could not render the digest: {exc}")
    if not variants:
        return _prepare_failed(digest_id, "Nothing to send: the digest has no rendered variant.")

    profile = current_provider()
    with transaction.atomic():
        planning_session()
        digest = Digest.objects.select_for_update().select_related("mailing_list").get(pk=digest_id)
        if digest.status != Digest.Status.PREPARING:
            return "not preparing"
        send = DigestSend.objects.select_for_update().get(pk=send.pk)
        if send.planned_at is None:
            # The audience is frozen here, once: people who join later are not added by a re-run.
            plan = audience_plan(digest=digest, variants=variants, batch_size=profile.batch_size)
            send.total, batch_ids = plan.total, plan.batch_ids
            send.planned_at = timezone.now()
        else:
            batch_ids = batches_cut(digest_id=digest_id, batch_size=profile.batch_size)
        send.provider = profile.name
        send.save(update_fields=["total", "planned_at", "provider"])
        digest_step(digest_id=digest_id, step="planned")
        # A local-time send's later zones wait: the reconcile scan pokes their batches when they fall due.
        batches_poke(batch_ids=due_batch_ids(batch_ids=batch_ids, now=timezone.now()))
    log.info("event=digest_prepared", extra={"digest_id": digest_id, "deliveries": send.total, "batches": len(batch_ids)})
    digest_finish_if_done(digest_id=digest_id)
    return f"planned {send.total} deliveries in {len(batch_ids)} batches"


def planning_session() -> None:
    """Settings for the rest of the planning transaction (call it first inside the atomic block).

    PostgreSQL: the audience is sorted for numbering (id per language); with the default work_mem a large
    audience spills to disk (docs/decisions/0006-set-based-planning.md). SET LOCAL ends with the transaction.
    """
    if connection.vendor == "postgresql":
        sql.work_mem_set_local()


def deliveries_plan(*, digest: Digest, variants: list[DigestVariant]) -> int:
    """One INSERT ... SELECT: the list's audience (segment applied, suppressions removed) x this digest, without
    batches (batches_cut cuts them). digest_prepare uses audience_plan, which writes each row with its batch.

    Each delivery gets the variant in the subscriber's language, or the list's default language (or the
    first variant) when there is none in hers. Existing rows are kept (ON CONFLICT DO NOTHING).
    Returns the number of deliveries the digest has.
    """
    sql.deliveries_insert(digest_id=digest.id, audience=_audience_sql(digest=digest, variants=variants), now=timezone.now())
    return Delivery.objects.filter(digest_id=digest.id).count()


def due_batch_ids(*, batch_ids: list[int], now) -> list[int]:
    """Those of `batch_ids` whose time has come (next_attempt_at), the ones worth a poke now."""
    if not batch_ids:
        return []
    return list(Batch.objects.filter(pk__in=batch_ids, next_attempt_at__lte=now).values_list("id", flat=True))


@dataclass
class Plan:
    total: int  # deliveries the digest has
    batch_ids: list[int]  # the batches this plan created, to poke after commit


def audience_plan(*, digest: Digest, variants: list[DigestVariant], batch_size: int) -> Plan:
    """Freeze the audience into deliveries already cut into batches of `batch_size` per language (and, for a
    local-time send, per reader's time zone: each zone's batches wait until its instant, worker.local_time).

    Same audience, languages and guarantees as deliveries_plan, and the same batches as batches_cut
    (consecutive subscriber ids per language), but every delivery row is written once, with its batch:
    cutting afterwards rewrote every row (a second row version, its index entries and one more
    foreign-key check each at commit), the largest part of preparing. Steps: count the audience per
    language, create the batch rows, one INSERT ... SELECT numbering the audience per language and
    joining each bucket of `batch_size` to its batch, then one aggregate for the batches' real sizes
    and subscriber ranges. The count and the INSERT read separate snapshots, so whoever joins or leaves
    in between is handled: a row past the last batch gets none and is cut by batches_cut, a batch left
    empty is deleted. Plain SQL (window functions, VALUES, UPDATE ... FROM) that PostgreSQL and SQLite (3.35 or
    later: bulk_create must return the batch ids) both run. Returns the total and the new batch ids.

    A tailored digest is planned by tailored_plan: the same steps with a variant per language and item set as the
    bucket key (docs/decisions/0021-tailored-digests.md).
    """
    if digest.tailored:
        return tailored_plan(digest=digest, variants=variants, batch_size=batch_size)
    audience = _audience_sql(digest=digest, variants=variants)
    counts = sorted(sql.audience_count_by_language_and_zone(audience=audience))
    variant_ids = {variant.language: variant.id for variant in variants}
    now = timezone.now()
    not_before = local_time.batches_not_before(digest=digest, zones=sorted({zone for _language, zone, _count in counts}), now=now)
    batches = Batch.objects.bulk_create(
        [
            Batch(digest_id=digest.id, variant_id=variant_ids[language], language=language, zone=zone,
                  next_attempt_at=not_before[zone], created_at=now)
            for language, zone, count in counts
            for _ in range(-(-count // batch_size))
        ]
    )
    if not batches:  # nobody in the audience at the count: whoever joined since is planned and cut the plain way
        total = deliveries_plan(digest=digest, variants=variants)
        return Plan(total=total, batch_ids=batches_cut(digest_id=digest.id, batch_size=batch_size))
    # The k-th batch of a (language, zone) takes that group's k-th bucket of subscribers (by id).
    group_numbers = {(language, zone): number for number, (language, zone, _count) in enumerate(counts)}
    next_bucket: dict[tuple[str, str], int] = {}
    buckets = []
    for batch in batches:
        group = (batch.language, batch.zone)
        bucket = next_bucket[group] = next_bucket.get(group, -1) + 1
        buckets.append((group_numbers[group], bucket, batch.id))
    sql.deliveries_insert_batched(digest_id=digest.id, audience=audience, group_numbers=group_numbers,
                                  buckets=buckets, batch_size=batch_size, now=now)
    return batches_settle(digest_id=digest.id, batches=batches, batch_size=batch_size)


def tailored_plan(*, digest: Digest, variants: list[DigestVariant], batch_size: int) -> Plan:
    """audience_plan for a tailored digest: deliveries cut into batches of `batch_size` per variant (language and
    item set) and, for a local-time send, per zone, each zone's batches waiting for its instant (subscriber ids in
    order within each); the readers whose item set is empty written skipped."""
    interests = digest_interests(digest_id=digest.id)
    audience = _audience_sql(digest=digest, variants=variants, interests=interests)
    if local_time.is_local_time(digest):
        counts = sql.audience_count_by_signature_and_zone(audience=audience)
    else:  # one moment for everybody: the count it always ran, every reader in the one zone ""
        counts = [(language, "", signature, count)
                  for language, signature, count in sql.audience_count_by_signature(audience=audience)]
    now = timezone.now()
    if not counts:  # nobody in the audience at the count: whoever joined since is planned and cut the plain way
        sql.deliveries_insert(digest_id=digest.id, audience=audience, now=now)
        return batches_settle(digest_id=digest.id, batches=[], batch_size=batch_size)
    variant_of = tailored_variant_map(digest_id=digest.id, interests=interests, variants=variants,
                                      keys=list(dict.fromkeys((language, signature) for language, _zone, signature, _count
                                                              in counts)))
    not_before = local_time.batches_not_before(digest=digest, zones=sorted({zone for _l, zone, _s, _c in counts}), now=now)
    planned = tailored_batches(digest_id=digest.id, counts=counts, variant_of=variant_of, batch_size=batch_size,
                               not_before=not_before, now=now)
    sql.deliveries_insert_tailored(digest_id=digest.id, audience=audience, language_numbers=planned.language_numbers,
                                   zone_numbers=planned.zone_numbers, keys=planned.keys, buckets=planned.buckets,
                                   batch_size=batch_size, skip_reason=SKIP_REASON, now=now)
    return batches_settle(digest_id=digest.id, batches=planned.batches, batch_size=batch_size)


def batches_settle(*, digest_id: int, batches: list[Batch], batch_size: int) -> Plan:
    """After the INSERT of a plan: set the batches' real sizes and subscriber ranges, delete those left empty, and
    cut whatever got no batch (batches_cut). The plan's total and new batch ids."""
    spans = sql.delivery_spans_by_batch(digest_id=digest_id)
    filled = [(batch.id, *spans[batch.id]) for batch in batches if batch.id in spans]
    if filled:
        sql.batches_set_spans(spans=filled)
    empty = [batch.id for batch in batches if batch.id not in spans]
    if empty:
        Batch.objects.filter(pk__in=empty).delete()
    batch_ids = [batch_id for batch_id, _count, _first, _last in filled]
    if None in spans:
        batch_ids += batches_cut(digest_id=digest_id, batch_size=batch_size)
    return Plan(total=sum(count for count, _first, _last in spans.values()), batch_ids=batch_ids)


def readers_per_zone(*, digest: Digest, variants: list[DigestVariant]) -> dict[str, int]:
    """How many readers each time zone has if the digest were planned now (its own zone rule: hers, else her
    list's), whatever the digest's send mode. The preview and the confirmation show the spread. Zones do not
    depend on the variants: without any, everybody is counted as reading the list's default language."""
    variants = variants or [DigestVariant(language=digest.mailing_list.default_language)]
    audience = _audience_sql(digest=digest, variants=variants, by_zone=True)
    readers: dict[str, int] = {}
    for _language, zone, count in sql.audience_count_by_language_and_zone(audience=audience):
        readers[zone] = readers.get(zone, 0) + count
    return readers


def readers_per_variant(*, digest: Digest, variants: list[DigestVariant]) -> dict[str, int]:
    """How many readers each variant would reach if the digest were planned now: the audience and language rule
    the send itself uses (_audience_sql), counted instead of inserted. The editor's preview shows it."""
    if not variants:
        return {}
    if digest.tailored:
        per_language: dict[str, int] = {}
        for variant, count in readers_per_tailored_variant(digest=digest, variants=variants):
            if variant is not None:
                per_language[variant.language] = per_language.get(variant.language, 0) + count
        return per_language
    return dict(sql.audience_count_by_language(audience=_audience_sql(digest=digest, variants=variants)))


def readers_per_tailored_variant(*, digest: Digest, variants: list[DigestVariant]) -> list[tuple[DigestVariant | None, int]]:
    """A tailored digest's readers per variant if it were planned now, most readers first; the variant None counts
    the readers whose interests match no item (skipped). A reader needing a variant not rendered is left out."""
    interests = digest_interests(digest_id=digest.id)
    counts = interest_counts(digest=digest, interests=interests)
    variant_of = variant_map(keys=[(language, signature) for language, signature, _count in counts],
                             interests=interests, variants=variants)
    readers: dict[int | None, int] = {}
    for language, signature, count in counts:
        variant = variant_of[(language, signature)]
        if variant is not None or not interests.items_for(signature):
            key = variant.pk if variant is not None else None
            readers[key] = readers.get(key, 0) + count
    by_id = {variant.pk: variant for variant in variants}
    return sorted(((by_id.get(key), count) for key, count in readers.items()), key=lambda pair: (pair[0] is None, -pair[1]))


def interest_counts(*, digest: Digest, interests: Interests) -> list[tuple[str, int, int]]:
    """A tailored digest's audience counted as (language, interest signature, readers), with the send's own
    audience and language rule (_audience_sql): what newsletter.tailoring makes its variants from."""
    return sql.audience_count_by_signature(audience=_audience_sql(digest=digest, variants=[], interests=interests))


def _audience_sql(*, digest: Digest, variants: list[DigestVariant], interests: Interests | None = None,
                  by_zone: bool | None = None) -> sql.Query:
    """SELECT id, lang, zone of the audience: lang is the subscriber's language when the digest has that variant,
    else the list's default language when it has that one, else the first variant's; zone is the reader's time
    zone (else the list's) for a local-time send (or `by_zone`), else "" for everybody.

    With `interests` (a tailored digest), SELECT id, lang, zone, sig: lang is her language whatever the variants (a
    missing one is rendered for her), or the list's default when she has none; sig her interest signature
    (newsletter.tailoring.signature_expression)."""
    from subscribers.selectors import audience_subscribers
    from subscribers.texts import languages as site_languages

    languages = site_languages() if interests is not None else [variant.language for variant in variants]
    default = digest.mailing_list.default_language
    fallback = default if default in languages else languages[0]
    audience = audience_subscribers(list_id=digest.mailing_list_id, segment_id=digest.segment_id).order_by()
    by_zone = local_time.is_local_time(digest) if by_zone is None else by_zone
    audience = audience.annotate(
        lang=Case(When(language__in=languages, then=F("language")), default=Value(fallback), output_field=CharField()),
        zone=local_time.zone_expression(list_zone=digest.mailing_list.time_zone) if by_zone
        else Value("", output_field=CharField()),
    )
    if interests is not None:
        audience = audience.annotate(sig=signature_expression(interests)).values("id", "lang", "zone", "sig")
    else:
        audience = audience.values("id", "lang", "zone")
    audience_sql, params = audience.query.sql_with_params()
    return audience_sql, list(params)


def batches_cut(*, digest_id: int, batch_size: int) -> list[int]:
    """Cut the digest's pending deliveries that have no batch into batches of `batch_size` per language,
    by keyset on subscriber id (each batch is a subscriber id range). Returns the new batch ids.

    A tailored or local-time digest's leftovers are cut row by row per (variant, zone) instead (worker.cutting):
    each reader to her variant, each zone's batches waiting for its instant."""
    ranges = sql.unbatched_ranges(digest_id=digest_id, batch_size=batch_size)
    if not ranges:
        return []
    digest = Digest.objects.select_related("mailing_list").get(pk=digest_id)
    if digest.tailored:
        return tailored_batches_cut(digest=digest, batch_size=batch_size)
    if local_time.is_local_time(digest):
        return zoned_batches_cut(digest=digest, batch_size=batch_size)
    variants = dict(DigestVariant.objects.filter(digest_id=digest_id).values_list("language", "id"))
    now = timezone.now()
    batches = Batch.objects.bulk_create(
        [
            Batch(digest_id=digest_id, variant_id=variants[language], language=language, size=count,
                  first_subscriber_id=first, last_subscriber_id=last, next_attempt_at=now, created_at=now)
            for language, first, last, count in ranges
        ]
    )
    sql.deliveries_assign_batches(digest_id=digest_id, batches=batches)
    return [batch.id for batch in batches]


def _prepare_failed(digest_id: int, reason: str) -> str:
    digest_step(digest_id=digest_id, step="prepare_failed", detail=reason)
    DigestSend.objects.filter(digest_id=digest_id).update(last_error=reason)
    log.warning("event=digest_failed", extra={"digest_id": digest_id, "reason": reason})
    return reason
