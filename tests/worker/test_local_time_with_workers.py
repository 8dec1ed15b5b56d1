"""Done-when of the local-time send, with real processes: a Celery worker and beat on the test database, the real
Mailgun backend talking HTTP to a local fake Mailgun, and a fake clock the worker and this test share
(tests.support.fake_clock: the real time plus an offset this test moves forward).

Readers in five zones (Beirut, Paris, Casablanca, New York, and readers without a zone on a Geneva list) get a
digest scheduled at 09:00 in each reader's time zone. The clock is moved to ten seconds before each zone's 09:00
and runs at real speed from there. The worker is SIGKILLed while New York's second batch is at the provider.
Proved: every reader receives exactly one message, and the provider receives it (on the shared clock) at or
after 09:00 on her clock and less than a minute after. What it does not prove: hours of real waiting (the clock
jumps over the hours when no zone is due; that nothing goes early is shown by every arrival being at or after
its zone's hour).
"""

from __future__ import annotations

import signal
from datetime import UTC, datetime, time, timedelta

import pytest

from newsletter.models import Digest
from tests.proof.test_fault_injection import CHAOS, CallGate
from tests.support.fake_clock import clock_now, clock_set
from tests.support.fake_mailgun import FakeMailgun
from tests.support.processes import start_beat, start_worker, wait_until
from tests.worker.factories import make_audience, make_digest, make_list
from worker.local_time import zone_instant
from worker.models import Batch, Delivery
from worker.selectors import digest_account

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

DAY_BEFORE = datetime(2026, 12, 7, 22, 0, tzinfo=UTC)
LIST_ZONE = "Europe/Zurich"  # Geneva's clock (the zone database has no Europe/Geneva)
READERS = {"Asia/Beirut": 30, "Europe/Paris": 30, "Africa/Casablanca": 20, "": 20, "America/New_York": 40}
BATCH = 10
HELD_CALL = 12  # Beirut makes calls 1-3, the three zones at 08:00 UTC calls 4-10, New York 11-14


def test_it_sends_each_reader_within_a_minute_of_nine_on_her_clock_exactly_once_through_a_worker_kill(tmp_path):
    clock = tmp_path / "clock"
    clock_set(clock, DAY_BEFORE)
    mailing_list = make_list(time_zone=LIST_ZONE)
    zone_of = {}
    for zone, count in READERS.items():
        for reader in make_audience(mailing_list, count, time_zone=zone):
            zone_of[reader.email] = zone or LIST_ZONE
    first = zone_instant(zone="Asia/Beirut", local_send_time=time(9, 0), send_at=DAY_BEFORE)
    digest = make_digest(mailing_list, status=Digest.Status.SCHEDULED, send_at=first,
                         send_mode=Digest.SendMode.LOCAL_TIME, local_send_time=time(9, 0))
    instants = {zone: zone_instant(zone=zone, local_send_time=time(9, 0), send_at=first) for zone in set(zone_of.values())}
    arrived_at: dict[int, datetime] = {}
    gate = CallGate(hold_calls={HELD_CALL})

    def noting_arrival(call: int):
        arrived_at[call] = clock_now(clock)
        return gate(call)

    with FakeMailgun(responder=noting_arrival) as fake:
        env = {**CHAOS, **fake.env(), "SEND_BATCH_SIZE": str(BATCH), "SEND_WORKER_LIVENESS_TTL": "2"}
        worker = start_worker(tmp_path, name="tz-0", fake_clock=clock, **env)
        beat = start_beat(tmp_path, **env)

        def received(count: int):
            assert worker.proc.poll() is None, worker.log_tail()
            return len(fake.messages) >= count

        try:
            clock_set(clock, instants["Asia/Beirut"] - timedelta(seconds=10))
            wait_until(lambda: received(30), timeout=90, what="Beirut's readers")
            clock_set(clock, instants["Europe/Paris"] - timedelta(seconds=10))
            wait_until(lambda: received(100), timeout=90, what="Paris', Casablanca's and Geneva's readers")
            assert not any(zone_of[m.to] == "America/New_York" for m in fake.messages)
            clock_set(clock, instants["America/New_York"] - timedelta(seconds=10))
            wait_until(lambda: HELD_CALL in gate.arrived, timeout=90, what="New York's second provider call")
            worker.kill(signal.SIGKILL)
            gate.release()  # the provider answers the dead worker's call: its readers do get the message
            worker = start_worker(tmp_path, name="tz-1", fake_clock=clock, **env)
            wait_until(lambda: Digest.objects.filter(pk=digest.id, status=Digest.Status.SENT).exists(), timeout=120,
                       what="the digest to finish")
        finally:
            gate.release()
            beat.stop()
            worker.stop()

    received_by = fake.by_recipient()
    assert sorted(received_by) == sorted(zone_of), "every reader, and nobody else"
    assert all(len(messages) == 1 for messages in received_by.values()), "exactly once"
    for email, [message] in received_by.items():
        call = int(message.message_id.strip("<").split(".")[0])
        late = arrived_at[call] - instants[zone_of[email]]
        assert timedelta(0) <= late < timedelta(minutes=1), (email, zone_of[email], late)
    account = digest_account(digest_id=digest.id)
    # The killed call's batch is uncertain (the provider may have had it, and did): never sent again by itself.
    assert (account["sent"], account["uncertain"], account["pending"]) == (sum(READERS.values()) - BATCH, BATCH, 0)
    uncertain = Batch.objects.get(digest=digest, status=Batch.Status.UNCERTAIN)
    assert uncertain.zone == "America/New_York"
    assert not Delivery.objects.filter(digest=digest, batch__isnull=True).exists()
