"""Local-time sends: each reader gets the digest at the same hour of her own clock.

One rule, used by scheduling (the editor's preview and confirmation), planning (each zone's batches wait until
their instant) and the account: a zone's instant is the first `local_send_time` on its clock at or after the
digest's `send_at`. Readers without a known zone count in their list's zone. Why this rule and not "that
date everywhere": docs/decisions/0020-local-time-sends.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db.models import CharField, F, Value
from django.db.models.functions import Coalesce, NullIf

from newsletter.models import Digest

# Every instant of a send falls within a day (and a clock change) of its send_at; a send is refused when its
# zones would spread it further than this (a guard against a rule change, never reached by the rule itself).
MAX_SPAN = timedelta(hours=26)


class SpanTooLong(ValueError):
    """The zones' instants would spread the send over more than MAX_SPAN."""


def zone_info(name: str) -> ZoneInfo:
    """The zone called `name`, or UTC when it is empty or unknown to this machine (a reader is never dropped for
    a zone name the server's zone database lacks)."""
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def zone_expression(*, list_zone: str, field: str = "time_zone"):
    """The reader's zone as a query expression: hers (`field`: Subscriber's own column, or the path to it from a
    Delivery), else her list's (`list_zone`)."""
    return Coalesce(NullIf(F(field), Value("")), Value(list_zone or "UTC"), output_field=CharField())


def is_local_time(digest: Digest) -> bool:
    """Whether the digest goes at its local_send_time on each reader's clock (else at one moment for everybody)."""
    return digest.send_mode == Digest.SendMode.LOCAL_TIME and digest.local_send_time is not None


def batches_not_before(*, digest: Digest, zones: list[str], now: datetime) -> dict[str, datetime]:
    """When the batches of each of `zones` may go: now for a send at one moment (one zone, ""), else each zone's
    instant (zone_instants). Planning and every later cut (late joiners, resends) use this one rule."""
    if not is_local_time(digest):
        return dict.fromkeys(zones, now)
    return zone_instants(zones=zones, local_send_time=digest.local_send_time, send_at=digest.send_at or now)


def wall_clock_instant(day: date, at: time, zone: ZoneInfo) -> datetime:
    """`at` on `day` on the clock of `zone`, in UTC. A repeated wall time (clocks going back) is its first
    occurrence; a skipped one (clocks going forward) is read with the offset before the jump, i.e. an hour
    later on the new clock."""
    return datetime.combine(day, at, tzinfo=zone).astimezone(UTC)


def zone_instant(*, zone: str, local_send_time: time, send_at: datetime) -> datetime:
    """The first `local_send_time` on the clock of `zone` at or after `send_at` (UTC)."""
    tz = zone_info(zone)
    day = send_at.astimezone(tz).date()
    for offset in (0, 1, 2):
        instant = wall_clock_instant(day + timedelta(days=offset), local_send_time, tz)
        if instant >= send_at:
            return instant
    raise AssertionError("unreachable: a wall time recurs within two days")


def zone_instants(*, zones: list[str], local_send_time: time, send_at: datetime) -> dict[str, datetime]:
    """Each zone's instant (zone_instant); SpanTooLong when they would spread over more than MAX_SPAN."""
    instants = {zone: zone_instant(zone=zone, local_send_time=local_send_time, send_at=send_at) for zone in zones}
    span_check(instants)
    return instants


def span_check(instants: dict[str, datetime]) -> timedelta:
    """The span from the first instant to the last; SpanTooLong beyond MAX_SPAN."""
    if not instants:
        return timedelta(0)
    span = max(instants.values()) - min(instants.values())
    if span > MAX_SPAN:
        raise SpanTooLong(f"the send would span {span}, more than {MAX_SPAN}")
    return span


def first_local_instant(*, zones: list[str], day: date, local_send_time: time) -> tuple[str, datetime]:
    """Scheduling: `local_send_time` on `day` in each of `zones`; the zone whose clock reaches it first and that
    instant (the digest's send_at, from which every other zone's instant follows)."""
    instants = {zone: wall_clock_instant(day, local_send_time, zone_info(zone)) for zone in zones or ["UTC"]}
    first = min(instants, key=lambda zone: (instants[zone], zone))
    return first, instants[first]


@dataclass(frozen=True)
class Spread:
    """Where and when a local-time send goes: the preview's "readers in N time zones, first at ... last at ..."."""

    readers: dict[str, int]  # zone -> readers
    instants: dict[str, datetime]  # zone -> UTC instant

    @property
    def first(self) -> tuple[str, datetime]:
        zone = min(self.instants, key=lambda name: (self.instants[name], name))
        return zone, self.instants[zone]

    @property
    def last(self) -> tuple[str, datetime]:
        zone = max(self.instants, key=lambda name: (self.instants[name], name))
        return zone, self.instants[zone]

    @property
    def span(self) -> timedelta:
        return span_check(self.instants)


def spread(*, readers: dict[str, int], local_send_time: time, send_at: datetime) -> Spread:
    """The instants of the zones that have readers (zone_instants)."""
    zones = sorted(zone for zone, count in readers.items() if count)
    return Spread(readers={zone: readers[zone] for zone in zones},
                  instants=zone_instants(zones=zones, local_send_time=local_send_time, send_at=send_at))
