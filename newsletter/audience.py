"""Who a digest would reach if it were sent now, as the editor reads it before confirming a send.

Counted with the send's own audience and language rule (worker.planning.readers_per_variant), never another.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from newsletter.checks import LANGUAGE_NAMES
from newsletter.models import Digest, DigestVariant
from subscribers.segments import SegmentFilterError
from worker.local_time import Spread, spread, zone_info, zone_instant
from worker.planning import readers_per_variant, readers_per_zone


@dataclass(frozen=True)
class Audience:
    total: int
    per_language: list[tuple[str, int]]  # (language code, readers), most readers first
    usable: bool = True  # False: the segment's filters cannot be used (the pre-send checks say why)

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
    """The audience of `digest` per variant language (its rendered `variants`), counted now."""
    try:
        readers = readers_per_variant(digest=digest, variants=variants)
    except SegmentFilterError:
        return Audience(total=0, per_language=[], usable=False)
    per_language = sorted(((language, count) for language, count in readers.items() if count),
                          key=lambda pair: (-pair[1], pair[0]))
    return Audience(total=sum(count for _language, count in per_language), per_language=per_language)


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


def spread_sentence(found: Spread) -> str:
    """ "Readers in 7 time zones, first at 08:00 UTC (Beirut), last at 14:00 UTC (New York); the send spans
    6 hours." in the interface's language."""
    if not found.instants:
        return _("Nobody to send to.")
    (first_zone, first), (last_zone, last) = found.first, found.last
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
