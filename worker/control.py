"""Step 6 and the editor's levers: schedule, pause, resume, cancel, resend uncertain recipients.

These only change the digest's status (and, for cancel and resend, the batches concerned); batch
claims read the status, so every worker honours a change at its next claim.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from newsletter.models import Digest
from worker.models import Batch, Delivery, DigestSend
from worker.planning import batches_cut, batches_poke
from worker.providers import current_provider
from worker.sending import digest_finish_if_done


class SendControlError(Exception):
    """The digest is not in a state where this action makes sense; the message says why."""


_SCHEDULABLE = (Digest.Status.DRAFT, Digest.Status.SCHEDULED, Digest.Status.NEEDS_CONFIRMATION)
_CANCELLABLE = (Digest.Status.SCHEDULED, Digest.Status.NEEDS_CONFIRMATION, Digest.Status.PREPARING,
                Digest.Status.SENDING, Digest.Status.PAUSED)


def digest_schedule_send(*, digest_id: int, now: bool = False, user_id: int | None = None) -> Digest:
    """Send a digest now: a draft (through newsletter.services.digest_schedule, so the pre-send checks
    apply), a scheduled one (`now` moves its send time to now), or one waiting for confirmation
    (confirming it sends it now). A scan is poked so the send starts without waiting for the beat tick.
    """
    digest = _get(digest_id)
    if digest.status not in _SCHEDULABLE:
        raise SendControlError(f"Digest {digest_id} is {digest.get_status_display().lower()}; only a draft or "
                               "scheduled digest can be scheduled.")
    if digest.status == Digest.Status.DRAFT:
        # A draft goes through the newsletter's own scheduling, so its pre-send checks apply.
        from newsletter.services import NewsletterError, digest_schedule

        try:
            digest_schedule(digest_id=digest_id, send_at=timezone.now(), user_id=user_id)
        except NewsletterError as exc:
            raise SendControlError(str(exc)) from None
        _poke_scan()
        return _get(digest_id)
    at = timezone.now() if now or digest.send_at is None or digest.status == Digest.Status.NEEDS_CONFIRMATION else digest.send_at
    updated = Digest.objects.filter(pk=digest_id, status=digest.status).update(
        status=Digest.Status.SCHEDULED, send_at=at, status_detail="", scheduled_by_id=user_id or digest.scheduled_by_id,
        updated_at=timezone.now(),
    )
    if not updated:
        raise SendControlError(f"Digest {digest_id} changed while scheduling it; try again.")
    if at <= timezone.now():
        _poke_scan()
    return _get(digest_id)


def _poke_scan() -> None:
    """Start a due send at once instead of at the next beat tick."""
    from worker import tasks

    transaction.on_commit(lambda: tasks.scan_due_digests.delay())


def digest_pause(*, digest_id: int) -> Digest:
    if not Digest.objects.filter(pk=digest_id, status=Digest.Status.SENDING).update(
        status=Digest.Status.PAUSED, updated_at=timezone.now()
    ):
        raise SendControlError(f"Digest {digest_id} is {_status(digest_id)}; only a digest that is sending can be paused.")
    return _get(digest_id)


def digest_resume(*, digest_id: int) -> Digest:
    with transaction.atomic():
        if not Digest.objects.filter(pk=digest_id, status=Digest.Status.PAUSED).update(
            status=Digest.Status.SENDING, updated_at=timezone.now()
        ):
            raise SendControlError(f"Digest {digest_id} is {_status(digest_id)}; only a paused digest can be resumed.")
        pending = list(Batch.objects.filter(digest_id=digest_id, status=Batch.Status.PENDING).values_list("id", flat=True))
        batches_poke(batch_ids=pending)
    digest_finish_if_done(digest_id=digest_id)
    return _get(digest_id)


def digest_cancel(*, digest_id: int) -> Digest:
    """Stop a digest: batches not yet claimed are cancelled and their recipients skipped; one in flight finishes."""
    now = timezone.now()
    with transaction.atomic():
        if not Digest.objects.filter(pk=digest_id, status__in=_CANCELLABLE).update(
            status=Digest.Status.CANCELLED, finished_at=now, status_detail="Cancelled by an editor.", updated_at=now
        ):
            raise SendControlError(f"Digest {digest_id} is {_status(digest_id)}; it cannot be cancelled any more.")
        pending = Batch.objects.filter(digest_id=digest_id, status=Batch.Status.PENDING)
        Delivery.objects.filter(batch__in=pending, status=Delivery.Status.PENDING).update(
            status=Delivery.Status.SKIPPED, error="digest cancelled"
        )
        pending.update(status=Batch.Status.CANCELLED, finished_at=now)
    return _get(digest_id)


def digest_resend_uncertain(*, digest_id: int) -> int:
    """An editor's explicit choice: send again to every recipient whose outcome is unknown.

    They may receive a second copy (it carries the same Message-ID, so many clients fold it).
    Returns how many recipients were queued again.
    """
    with transaction.atomic():
        digest = Digest.objects.select_for_update().get(pk=digest_id)
        if digest.status not in (Digest.Status.SENT, Digest.Status.FAILED, Digest.Status.SENDING, Digest.Status.PAUSED):
            raise SendControlError(f"Digest {digest_id} is {digest.get_status_display().lower()}; nothing to resend.")
        uncertain = Delivery.objects.filter(digest_id=digest_id, status=Delivery.Status.UNCERTAIN)
        old_batches = list(uncertain.values_list("batch_id", flat=True).distinct())
        count = uncertain.update(status=Delivery.Status.PENDING, batch=None, error="resent at an editor's request")
        if not count:
            return 0
        Batch.objects.filter(pk__in=old_batches, status=Batch.Status.UNCERTAIN).update(status=Batch.Status.RESENT)
        new_ids = batches_cut(digest_id=digest_id, batch_size=current_provider().batch_size)
        if digest.status in (Digest.Status.SENT, Digest.Status.FAILED):
            Digest.objects.filter(pk=digest_id).update(status=Digest.Status.SENDING, finished_at=None,
                                                       updated_at=timezone.now())
        DigestSend.objects.get_or_create(digest_id=digest_id)
        batches_poke(batch_ids=new_ids)
    return count


def _get(digest_id: int) -> Digest:
    try:
        return Digest.objects.get(pk=digest_id)
    except Digest.DoesNotExist:
        raise SendControlError(f"There is no digest {digest_id}.") from None


def _status(digest_id: int) -> str:
    return _get(digest_id).get_status_display().lower()
