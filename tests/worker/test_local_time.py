"""The local-time rule: each zone's instant is the first local_send_time on its clock at or after send_at."""

from datetime import UTC, datetime, time, timedelta

import pytest

from worker.local_time import MAX_SPAN, SpanTooLong, first_local_instant, span_check, spread, zone_instant


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_it_sends_at_nine_on_each_readers_own_clock():
    send_at = utc(2026, 12, 8, 6, 0)
    nine = time(9, 0)

    assert zone_instant(zone="Asia/Beirut", local_send_time=nine, send_at=send_at) == utc(2026, 12, 8, 7, 0)
    assert zone_instant(zone="Europe/Paris", local_send_time=nine, send_at=send_at) == utc(2026, 12, 8, 8, 0)
    assert zone_instant(zone="Africa/Casablanca", local_send_time=nine, send_at=send_at) == utc(2026, 12, 8, 8, 0)
    assert zone_instant(zone="America/New_York", local_send_time=nine, send_at=send_at) == utc(2026, 12, 8, 14, 0)


def test_it_keeps_half_hour_zones_on_their_half_hour():
    assert zone_instant(zone="Asia/Kolkata", local_send_time=time(9, 0), send_at=utc(2026, 12, 8, 0, 0)) == utc(
        2026, 12, 8, 3, 30)


def test_it_sends_a_zone_whose_nine_has_passed_at_its_next_nine():
    # At 08:00 UTC Beirut's 09:00 (07:00 UTC) has passed: its readers get it at 09:00 the next morning, never at 10:00.
    assert zone_instant(zone="Asia/Beirut", local_send_time=time(9, 0), send_at=utc(2026, 12, 8, 8, 0)) == utc(
        2026, 12, 9, 7, 0)


def test_it_follows_daylight_saving_time_on_either_side_of_the_change():
    nine = time(9, 0)
    # Paris moves to summer time on 29 March 2026: 09:00 is 08:00 UTC the day before and 07:00 UTC that day.
    assert zone_instant(zone="Europe/Paris", local_send_time=nine, send_at=utc(2026, 3, 28, 0, 0)) == utc(2026, 3, 28, 8, 0)
    assert zone_instant(zone="Europe/Paris", local_send_time=nine, send_at=utc(2026, 3, 29, 0, 0)) == utc(2026, 3, 29, 7, 0)
    # New York goes back to winter time on 1 November 2026.
    assert zone_instant(zone="America/New_York", local_send_time=nine, send_at=utc(2026, 11, 1, 0, 0)) == utc(
        2026, 11, 1, 14, 0)


def test_it_reads_a_time_the_clock_skips_as_the_same_time_after_the_jump():
    # 02:30 does not exist in Paris on 29 March 2026 (02:00 -> 03:00): it goes at 03:30 summer time.
    assert zone_instant(zone="Europe/Paris", local_send_time=time(2, 30), send_at=utc(2026, 3, 29, 0, 0)) == utc(
        2026, 3, 29, 1, 30)


def test_it_sends_readers_of_an_unknown_zone_at_the_hour_in_utc():
    assert zone_instant(zone="Mars/Olympus", local_send_time=time(9, 0), send_at=utc(2026, 12, 8, 0, 0)) == utc(
        2026, 12, 8, 9, 0)


def test_it_starts_a_send_when_the_earliest_readers_clock_reaches_the_hour():
    zone, instant = first_local_instant(zones=["America/New_York", "Asia/Beirut", "Europe/Paris"],
                                        day=datetime(2026, 12, 8).date(), local_send_time=time(9, 0))

    assert (zone, instant) == ("Asia/Beirut", utc(2026, 12, 8, 7, 0))


def test_it_describes_the_spread_from_the_first_zone_to_the_last():
    found = spread(readers={"Asia/Beirut": 3, "America/New_York": 2, "Europe/Paris": 0},
                   local_send_time=time(9, 0), send_at=utc(2026, 12, 8, 7, 0))

    assert found.first == ("Asia/Beirut", utc(2026, 12, 8, 7, 0))
    assert found.last == ("America/New_York", utc(2026, 12, 8, 14, 0))
    assert found.span == timedelta(hours=7)
    assert list(found.readers) == ["America/New_York", "Asia/Beirut"]


def test_it_keeps_the_widest_spread_of_zones_on_earth_within_the_limit():
    # From Kiritimati (UTC+14) to Pago Pago (UTC-11): every instant still falls within a day of send_at.
    found = spread(readers={"Pacific/Kiritimati": 1, "Pacific/Pago_Pago": 1, "Pacific/Chatham": 1},
                   local_send_time=time(9, 0), send_at=utc(2026, 12, 7, 19, 0))

    assert found.span <= MAX_SPAN


def test_it_refuses_a_send_spread_over_more_than_twenty_six_hours():
    with pytest.raises(SpanTooLong):
        span_check({"a": utc(2026, 12, 8, 0, 0), "b": utc(2026, 12, 9, 2, 1)})
