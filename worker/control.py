"""Step 6 and the editor's levers: schedule, pause, resume, cancel, resend uncertain recipients.

These only change the digest's status (and, for cancel and resend, the batches concerned); batch
claims read the status, so every worker honours a change at its next claim.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from newsletter.audience import typed_local_time
from newsletter.lifecycle import SYSTEM, Actor, digest_step_or_refuse, step_allowed, step_refusal
from newsletter.models import Digest
from newsletter.services import NewsletterError, digest_reschedule, digest_send_now
from worker.models import Batch, Delivery, DigestSend
from worker.planning import batches_cut
from worker.pokes import batches_poke, scan_poke
from worker.providers import current_provider
from worker.sending import digest_finish_if_done


class SendControlError(Exception):
    """The digest is not in a state where this action makes sense; the message says why."""


def digest_schedule_send(*, digest_id: int, now: bool = False, actor: Actor = SYSTEM) -> Digest:
    """Send a digest: with `now`, at once (a draft after its pre-send checks, a scheduled digest, or one
    waiting for confirmation); without, a draft from now and a scheduled digest at its own time (one
    waiting for confirmation: now). A scan is poked so a due send starts without waiting for the beat tick.
    """
    digest = _get(digest_id)
    try:
        if now or digest.status != Digest.Status.SCHEDULED or digest.send_at is None or digest.send_at <= timezone.now():
            digest = digest_send_now(digest_id=digest_id, actor=actor)
        else:
            # A local-time digest is kept at the date and hour its editor typed (send_at is only its first zone's).
            send_at = typed_local_time(digest=digest) or digest.send_at
            digest = digest_reschedule(digest_id=digest_id, send_at=send_at, actor=actor)
    except NewsletterError as exc:
        raise SendControlError(str(exc)) from None
    if digest.send_at <= timezone.now():
        scan_poke()
    return digest


def digest_pause(*, digest_id: int, actor: Actor = SYSTEM) -> Digest:
    _step(digest_id, "pause", actor)
    return _get(digest_id)


def digest_resume(*, digest_id: int, actor: Actor = SYSTEM) -> Digest:
    with transaction.atomic():
        _step(digest_id, "resume", actor)
        # A local-time send's zones still waiting are left to the reconcile scan, which pokes them when due.
        pending = Batch.objects.filter(digest_id=digest_id, status=Batch.Status.PENDING, next_attempt_at__lte=timezone.now())
        batches_poke(batch_ids=list(pending.values_list("id", flat=True)))
    digest_finish_if_done(digest_id=digest_id)
    return _get(digest_id)


def digest_cancel(*, digest_id: int, actor: Actor = SYSTEM) -> Digest:
    """Stop a digest, whether it is a draft, scheduled or sending: batches not yet claimed are cancelled and
    their recipients skipped; one in flight finishes."""
    now = timezone.now()
    with transaction.atomic():
        _step(digest_id, "cancel", actor, detail=gettext("Cancelled."), now=now)
        pending = Batch.objects.filter(digest_id=digest_id, status=Batch.Status.PENDING)
        Delivery.objects.filter(batch__in=pending, status=Delivery.Status.PENDING).update(
            status=Delivery.Status.SKIPPED, error="digest cancelled"
        )
        pending.update(status=Batch.Status.CANCELLED, finished_at=now)
    return _get(digest_id)


def digest_resend_uncertain(*, digest_id: int, actor: Actor = SYSTEM) -> int:
    """An editor's explicit choice: send again to every recipient whose outcome is unknown.

    They may receive a second copy (it carries the same Message-ID, so many clients fold it).
    Returns how many recipients were queued again.
    """
    with transaction.atomic():
        digest = Digest.objects.select_for_update().get(pk=digest_id)
        if not step_allowed(digest.status, "resend_uncertain"):
            raise SendControlError(step_refusal(digest, "resend_uncertain"))
        uncertain = Delivery.objects.filter(digest_id=digest_id, status=Delivery.Status.UNCERTAIN)
        old_batches = list(uncertain.values_list("batch_id", flat=True).distinct())
        count = uncertain.update(status=Delivery.Status.PENDING, batch=None, error="resent at an editor's request")
        if not count:
            return 0
        Batch.objects.filter(pk__in=old_batches, status=Batch.Status.UNCERTAIN).update(status=Batch.Status.RESENT)
        new_ids = batches_cut(digest_id=digest_id, batch_size=current_provider().batch_size)
        description = gettext("%(count)d uncertain recipient(s) queued again.") % {"count": count}
        _step(digest_id, "resend_uncertain", actor, description=description, extra={"recipients": count})
        DigestSend.objects.get_or_create(digest_id=digest_id)
        batches_poke(batch_ids=new_ids)
    return count


def _step(digest_id: int, step: str, actor: Actor, **changes) -> None:
    """Take an editor's life-cycle step, or say why it does not apply (nothing changes)."""
    digest_step_or_refuse(error=SendControlError, digest_id=digest_id, step=step, actor=actor, **changes)


def _get(digest_id: int) -> Digest:
    try:
        return Digest.objects.get(pk=digest_id)
    except Digest.DoesNotExist:
        raise SendControlError(gettext("There is no digest with id %(id)s.") % {"id": digest_id}) from None


