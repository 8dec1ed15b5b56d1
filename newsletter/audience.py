"""Who a digest would reach if it were sent now, as the editor reads it before confirming a send.

Counted with the send's own audience and language rule (worker.planning.readers_per_variant), never another.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time
from typing import NamedTuple

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from newsletter.checks import LANGUAGE_NAMES, Problem, blocking, digest_check
from newsletter.lifecycle import digest_is_editable
from newsletter.models import Digest, DigestVariant, NewsItem
from newsletter.tailoring import TailoringError
from subscribers.segments import SegmentFilterError
from worker.local_time import Spread, spread, zone_info, zone_instant
from worker.planning import readers_per_tailored_variant, readers_per_variant, readers_per_zone


@dataclass(frozen=True)
class VariantReaders:
    """A tailored digest's variant as the editor reads it: its language, the titles of its items, its readers."""

    variant_id: int
    language: str
    titles: list[str]  # empty: every item of the digest
    readers: int

    def description(self) -> str:
        language = dict(LANGUAGE_NAMES).get(self.language, self.language)
        items = ", ".join(f"“{title}”" for title in self.titles) if self.titles else _("every item")
        readers = ngettext("%(count)d reader", "%(count)d readers", self.readers) % {"count": self.readers}
        return _("%(language)s with %(items)s (%(readers)s)") % {"language": language, "items": items, "readers": readers}


@dataclass(frozen=True)
class Audience:
    total: int
    per_language: list[tuple[str, int]]  # (language code, readers), most readers first
    usable: bool = True  # False: the segment's filters cannot be used (the pre-send checks say why)
    tailored: list[VariantReaders] = field(default_factory=list)  # a tailored digest's variants, most readers first
    skipped: int = 0  # a tailored digest's readers whose interests match no item

    def variants_sentence(self) -> str:
        """ "3 variants: English with “A”, “C” (12 readers); ...; 2 readers skipped: no item matches their interests"."""
        variants = ngettext("%(count)d variant", "%(count)d variants", len(self.tailored)) % {"count": len(self.tailored)}
        parts = [variant.description() for variant in self.tailored]
        if self.skipped:
            parts.append(ngettext("%(count)d reader skipped: no item matches her interests",
                                  "%(count)d readers skipped: no item matches their interests",
                                  self.skipped) % {"count": self.skipped})
        return _("%(variants)s: %(list)s") % {"variants": variants, "list": "; ".join(parts)}

    def readers_of(self, variant_id: int) -> int | None:
        return next((variant.readers for variant in self.tailored if variant.variant_id == variant_id), None)

    def sentence(self) -> str:
        """ "37 people: 20 in French, 12 in Arabic, 5 in English" in the interface's language."""
        people = ngettext("%(count)d person", "%(count)d people", self.total) % {"count": self.total}
        if not self.per_language:
            return people
        names = dict(LANGUAGE_NAMES)
        parts = [_("%(count)d in %(language)s") % {"count": count, "language": names.get(language, language)}
                 for language, count in self.per_language]
        return _("%(people)s: %(languages)s") % {"people": people, "languages": ", ".join(parts)}


def digest_audience(*, digest: Digest, variants: list[DigestVariant]) -> Audience:
    """The audience of `digest` per variant language (its rendered `variants`), counted now; a tailored digest's
    per variant too, with its skipped readers."""
    if digest.tailored:
        return _tailored_audience(digest=digest, variants=variants)
    try:
        readers = readers_per_variant(digest=digest, variants=variants)
    except SegmentFilterError:
        return Audience(total=0, per_language=[], usable=False)
    per_language = sorted(((language, count) for language, count in readers.items() if count),
                          key=lambda pair: (-pair[1], pair[0]))
    return Audience(total=sum(count for _language, count in per_language), per_language=per_language)


def _tailored_audience(*, digest: Digest, variants: list[DigestVariant]) -> Audience:
    try:
        rows = readers_per_tailored_variant(digest=digest, variants=variants) if variants else []
    except (SegmentFilterError, TailoringError):
        return Audience(total=0, per_language=[], usable=False)
    order = list(digest.digest_items.order_by("position", "id").values_list("news_item_id", flat=True))
    titles = dict(NewsItem.objects.filter(pk__in=order).values_list("pk", "title"))
    tailored, per_language, skipped = [], {}, 0
    for variant, count in rows:
        if variant is None:
            skipped += count
            continue
        ids = set(_ids(variant.item_key))
        shown = [] if ids >= set(order) else [titles[item_id] for item_id in order if item_id in ids]
        tailored.append(VariantReaders(variant_id=variant.pk, language=variant.language, titles=shown, readers=count))
        per_language[variant.language] = per_language.get(variant.language, 0) + count
    ordered = sorted(per_language.items(), key=lambda pair: (-pair[1], pair[0]))
    return Audience(total=sum(per_language.values()), per_language=ordered, tailored=tailored, skipped=skipped)


def _ids(key: str) -> list[int]:
    return [int(part) for part in key.split(",") if part]


class SendReview(NamedTuple):
    """What an editor reads before she confirms a send: blocking problems, warnings, the variants, the audience."""

    problems: list[Problem]
    warnings: list[Problem]
    variants: list[DigestVariant]
    audience: Audience


def digest_send_review(*, digest: Digest) -> SendReview:
    """The pre-send check of a draft (its variants rendered and stored first) and who it would reach now; a digest
    past draft is not checked again (its variants are what is sent)."""
    found = digest_check(digest_id=digest.id) if digest_is_editable(digest.status) else []
    variants = list(DigestVariant.objects.filter(digest=digest).order_by("language"))
    audience = digest_audience(digest=digest, variants=variants)
    return SendReview(blocking(found), [problem for problem in found if not problem.blocking], variants, audience)


def audience_zones(*, digest: Digest) -> list[str]:
    """The time zones the digest's audience has now (each reader's, else her list's); [] when it cannot be read."""
    try:
        return sorted(zone for zone, count in readers_per_zone(digest=digest, variants=[]).items() if count)
    except SegmentFilterError:
        return []


def typed_local_time(*, digest: Digest) -> datetime | None:
    """For a local-time digest, the date and hour its editor typed (naive): its hour on the date of the zone whose
    clock reaches it first; None for a digest sent at one moment. The schedule form shows it again."""
    if digest.send_mode != Digest.SendMode.LOCAL_TIME or digest.send_at is None or digest.local_send_time is None:
        return None
    zones = audience_zones(digest=digest) or [digest.mailing_list.time_zone]
    first = min(zones, key=lambda zone: (zone_instant(zone=zone, local_send_time=digest.local_send_time,
                                                      send_at=digest.send_at), zone))
    return datetime.combine(digest.send_at.astimezone(zone_info(first)).date(), digest.local_send_time)


def digest_spread(*, digest: Digest, send_at: datetime, local_send_time: time) -> Spread | None:
    """Where and when a local-time send would go if planned now: readers and instant per zone (None when the
    segment cannot be used)."""
    try:
        readers = readers_per_zone(digest=digest, variants=[])
    except SegmentFilterError:
        return None
    return spread(readers=readers, local_send_time=local_send_time, send_at=send_at)


def plan_spread_sentence(*, digest: Digest, send_at: datetime, local_send_time: time | None) -> str:
    """The spread sentence of a schedule plan (newsletter.services.SendPlan's send_at and local_send_time) for
    every screen that confirms one; "" for a send at one moment or when the segment cannot be used."""
    if local_send_time is None:
        return ""
    found = digest_spread(digest=digest, send_at=send_at, local_send_time=local_send_time)
    return spread_sentence(found) if found else ""


def spread_sentence(found: Spread) -> str:
    """ "Readers in 7 time zones, first at 08:00 UTC (Beirut), last at 14:00 UTC (New York); the send spans
    6 hours." in the interface's language."""
    if not found.instants:
        return _("Nobody to send to.")
    (first_zone, first), (last_zone, last) = found.first, found.last
    if len(found.instants) == 1:
        return _("All readers in one time zone (%(zone)s): at %(time)s UTC.") % {
            "zone": zone_label(first_zone), "time": f"{first:%H:%M}"}
    hours = found.span.total_seconds() / 3600
    zones = ngettext("Readers in %(count)d time zone", "Readers in %(count)d time zones", len(found.instants)) % {
        "count": len(found.instants)}
    return _("%(zones)s, first at %(first)s UTC (%(first_zone)s), last at %(last)s UTC (%(last_zone)s); "
             "the send spans %(hours)s hours.") % {
        "zones": zones, "first": f"{first:%H:%M}", "first_zone": zone_label(first_zone),
        "last": f"{last:%H:%M}", "last_zone": zone_label(last_zone), "hours": f"{hours:g}" if hours == int(hours)
        else f"{hours:.1f}"}


def zone_label(zone: str) -> str:
    """ "America/New_York" -> "New York": the city an editor recognises."""
    return zone.rsplit("/", 1)[-1].replace("_", " ") or zone
