from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from newsletter.models import Digest, DigestItem
from tests.newsletter.factories import make_item
from tests.worker.factories import claim_batch, make_audience, make_digest, make_list, make_variant
from worker.control import (
    SendControlError,
    digest_cancel,
    digest_pause,
    digest_resend_uncertain,
    digest_resume,
    digest_schedule_send,
)
from worker.models import Batch, Delivery, DigestSend
from worker.planning import audience_plan
from worker.recovery import sends_reconcile
from worker.selectors import digest_account, uncertain_batches
from worker.sending import batch_send

pytestmark = [pytest.mark.django_db]


def sending_digest(count: int = 3, batch_size: int = 100):
    mailing_list = make_list()
    make_audience(mailing_list, count)
    digest = make_digest(mailing_list, status=Digest.Status.SENDING)
    batch_ids = audience_plan(digest=digest, variants=[make_variant(digest)], batch_size=batch_size).batch_ids
    DigestSend.objects.create(digest=digest)
    return digest, batch_ids


def later(seconds: float):
    return time_machine.travel(timezone.now() + timedelta(seconds=seconds), tick=False)


def test_it_gives_back_a_batch_whose_worker_died_before_calling_the_provider(settings):
    settings.SEND_SUBMITTING_TIMEOUT = 30
    _, [batch_id] = sending_digest()
    claim_batch(batch_id=batch_id)

    with later(10):
        assert sends_reconcile()["released"] == 0
    with later(31):
        assert sends_reconcile()["released"] == 1

    batch = Batch.objects.get(pk=batch_id)
    assert (batch.status, batch.crashes, batch.claim_token) == (Batch.Status.PENDING, 1, "")


def test_it_stops_a_batch_that_keeps_killing_its_worker_after_a_few_attempts(settings):
    settings.SEND_SUBMITTING_TIMEOUT = 30
    settings.SEND_MAX_CRASHES = 3
    digest, [batch_id] = sending_digest()
    for crash in range(3):
        with later(31 * crash):
            assert claim_batch(batch_id=batch_id) is not None
        with later(31 * (crash + 1)):
            sends_reconcile()

    batch = Batch.objects.get(pk=batch_id)
    assert batch.status == Batch.Status.FAILED and batch.crashes == 3
    assert "lost 3 times" in batch.error
    assert digest_account(digest_id=digest.id)["failed"] == 3
    assert claim_batch(batch_id=batch_id) is None
    digest.refresh_from_db()
    assert digest.status == Digest.Status.FAILED


def test_it_marks_a_batch_stuck_in_the_provider_call_uncertain_and_never_resends_it_by_itself(settings):
    settings.SEND_SUBMITTING_TIMEOUT = 30
    digest, [batch_id] = sending_digest()
    token = claim_batch(batch_id=batch_id)
    Batch.objects.filter(pk=batch_id, claim_token=token).update(provider_call_started_at=timezone.now())

    with later(31):
        result = sends_reconcile()
    with later(3600):
        again = sends_reconcile()

    assert result["uncertain"] == 1 and again["repoked"] == 0
    assert Batch.objects.get(pk=batch_id).status == Batch.Status.UNCERTAIN
    assert set(Delivery.objects.filter(digest=digest).values_list("status", flat=True)) == {Delivery.Status.UNCERTAIN}
    digest.refresh_from_db()
    assert digest.status == Digest.Status.SENT
    assert digest.status_detail == "0 sent, 0 failed, 3 uncertain, 0 skipped"
    assert [b.uncertain for b in uncertain_batches(digest_id=digest.id)] == [3]


def test_it_resends_uncertain_recipients_only_when_an_editor_asks():
    digest, [batch_id] = sending_digest()
    claim_batch(batch_id=batch_id)
    Batch.objects.filter(pk=batch_id).update(status=Batch.Status.UNCERTAIN)
    Delivery.objects.filter(digest=digest).update(status=Delivery.Status.UNCERTAIN)
    Digest.objects.filter(pk=digest.id).update(status=Digest.Status.SENT)

    assert digest_resend_uncertain(digest_id=digest.id) == 3

    assert Batch.objects.get(pk=batch_id).status == Batch.Status.RESENT
    [new_batch] = Batch.objects.filter(digest=digest, status=Batch.Status.PENDING)
    batch_send(batch_id=new_batch.id)
    assert len(mail.outbox) == 3
    digest.refresh_from_db()
    assert digest.status == Digest.Status.SENT and digest_account(digest_id=digest.id)["sent"] == 3
    assert digest_resend_uncertain(digest_id=digest.id) == 0


def test_it_pokes_again_a_pending_batch_whose_poke_was_lost(settings):
    settings.SEND_REPOKE_AFTER = 60
    _, [batch_id] = sending_digest()
    Batch.objects.filter(pk=batch_id).update(poked_at=timezone.now())

    assert sends_reconcile()["repoked"] == 0
    with later(61):
        assert sends_reconcile()["repoked"] == 1
    assert Batch.objects.get(pk=batch_id).poked_at > timezone.now() + timedelta(seconds=30)


def test_it_prepares_again_a_digest_whose_preparation_was_lost(settings):
    settings.SEND_PREPARE_TIMEOUT = 60
    digest = make_digest(make_list(), status=Digest.Status.PREPARING, started_at=timezone.now())

    assert sends_reconcile()["reprepared"] == 0
    with later(61):
        assert sends_reconcile()["reprepared"] == 1
        assert sends_reconcile()["reprepared"] == 0
    digest.refresh_from_db()
    assert digest.status == Digest.Status.PREPARING


def test_it_pauses_resumes_and_cancels_through_the_digest_status():
    digest, batch_ids = sending_digest(count=4, batch_size=2)

    digest_pause(digest_id=digest.id)
    assert claim_batch(batch_id=batch_ids[0]) is None
    with pytest.raises(SendControlError, match="it can be paused only when it is sending"):
        digest_pause(digest_id=digest.id)

    digest_resume(digest_id=digest.id)
    assert batch_send(batch_id=batch_ids[0]).sent == 2

    digest_cancel(digest_id=digest.id)
    digest.refresh_from_db()
    assert digest.status == Digest.Status.CANCELLED
    assert Batch.objects.get(pk=batch_ids[1]).status == Batch.Status.CANCELLED
    assert digest_account(digest_id=digest.id) | {"total": 4} == {
        "sent": 2, "failed": 0, "uncertain": 0, "skipped": 2, "pending": 0, "total": 4}
    with pytest.raises(SendControlError, match="is cancelled; it can be cancelled only when it is a draft, scheduled"):
        digest_cancel(digest_id=digest.id)


def test_it_schedules_a_draft_now_and_confirms_a_stale_digest_with_a_fresh_send_time():
    mailing_list = make_list()
    make_audience(mailing_list, 1)
    draft = make_digest(mailing_list, status=Digest.Status.DRAFT, send_at=None)
    DigestItem.objects.create(digest=draft, news_item=make_item(mailing_list=mailing_list), position=0)
    empty_draft = make_digest(mailing_list, status=Digest.Status.DRAFT, send_at=None)
    stale = make_digest(mailing_list, status=Digest.Status.NEEDS_CONFIRMATION, send_at=timezone.now() - timedelta(days=2))
    sent = make_digest(mailing_list, status=Digest.Status.SENT)

    scheduled = digest_schedule_send(digest_id=draft.id, now=True)
    confirmed = digest_schedule_send(digest_id=stale.id)

    assert scheduled.status == confirmed.status == Digest.Status.SCHEDULED
    assert scheduled.send_at <= timezone.now()
    with pytest.raises(SendControlError, match="no news items"):  # the newsletter's pre-send checks apply
        digest_schedule_send(digest_id=empty_draft.id, now=True)
    empty_draft.refresh_from_db()
    assert empty_draft.status == Digest.Status.DRAFT
    assert confirmed.send_at > timezone.now() - timedelta(minutes=1)
    with pytest.raises(SendControlError, match="it can be sent now only when it is a draft, scheduled or waiting"):
        digest_schedule_send(digest_id=sent.id)
    with pytest.raises(SendControlError, match="There is no digest"):
        digest_schedule_send(digest_id=987654)


def test_it_records_the_real_answer_of_a_batch_called_uncertain_while_it_was_still_in_flight(settings):
    settings.SEND_SUBMITTING_TIMEOUT = 30
    digest, [batch_id] = sending_digest()
    token = claim_batch(batch_id=batch_id)
    Batch.objects.filter(pk=batch_id).update(provider_call_started_at=timezone.now())
    with later(31):
        sends_reconcile()
    digest.refresh_from_db()
    assert digest.status_detail == "0 sent, 0 failed, 3 uncertain, 0 skipped"

    # The slow worker gets its answer after all.
    from worker.sending import _batch_finish

    Delivery.objects.filter(batch_id=batch_id).update(status=Delivery.Status.SENT)
    _batch_finish(batch_id, token, calls=1, digest_id=digest.id)

    assert Batch.objects.get(pk=batch_id).status == Batch.Status.SUBMITTED
    digest.refresh_from_db()
    assert digest.status == Digest.Status.SENT and digest.status_detail == "3 sent, 0 failed, 0 uncertain, 0 skipped"
