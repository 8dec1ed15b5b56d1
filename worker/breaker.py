"""The circuit breaker: a send that is being blocked or complained about pauses itself.

A policy block (RFC 3463 X.7.x, a provider's "espblock", DMARC) says the receiving servers distrust us;
sending the rest of the digest into that only spends reputation. When, over at least BREAKER_MIN_OUTCOMES
outcomes of a sending digest, BREAKER_BLOCK_PERCENT were blocks or BREAKER_COMPLAINT_PERCENT complaints, the
digest takes the life cycle's `pause` step as the system (with its audit entry), editors and administrators
get an email, and the dashboard shows the figures until someone resumes or cancels (the usual buttons).

It runs where provider events are recorded (a receiver of anymail's tracking signal, connected after the one
that stores the event), reading the digest's counters (subscribers.models.DigestEventCount): one indexed
row per event, nothing in the send path. It trips once per digest: an editor who resumed has seen the figures.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from anymail.signals import AnymailTrackingEvent
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from editorial.access import people_who_see
from editorial.roles import ADMINISTRATOR, EDITOR
from newsletter.lifecycle import SYSTEM, digest_step
from newsletter.models import Digest
from subscribers.bounces import BounceClass
from subscribers.models import DigestEventCount
from subscribers.provider_events import event_ids
from subscribers.selectors import digest_failure_messages

log = logging.getLogger(__name__)

# Only these events can move a digest towards a threshold; the others need no look at the counters.
_WORTH_A_LOOK = frozenset({"bounced", "deferred", "rejected", "complained"})


@dataclass(frozen=True)
class Trip:
    digest_id: int
    outcomes: int
    blocks: int
    complaints: int
    reason: str  # one sentence with the figures and the threshold passed
    messages: list[tuple[str, int]]  # the most frequent SMTP answers of the blocks and complaints, with counts


def on_tracking_event(sender: object, event: AnymailTrackingEvent, esp_name: str, **kwargs: object) -> None:
    if event.event_type not in _WORTH_A_LOOK:
        return
    digest_id = event_ids(event)["digest"]
    if digest_id is not None:
        digest_breaker_check(digest_id=digest_id)


def breaker_reason(*, outcomes: int, blocks: int, complaints: int) -> str:
    """Why these figures trip the breaker ("" when they do not): the one place the thresholds are compared."""
    if outcomes < settings.BREAKER_MIN_OUTCOMES:
        return ""
    block_rate, complaint_rate = 100 * blocks / outcomes, 100 * complaints / outcomes
    if block_rate >= settings.BREAKER_BLOCK_PERCENT:
        return (f"{blocks} of {outcomes} outcomes were policy blocks ({block_rate:.1f}%, the limit is "
                f"{settings.BREAKER_BLOCK_PERCENT:g}%).")
    if complaint_rate >= settings.BREAKER_COMPLAINT_PERCENT:
        return (f"{complaints} of {outcomes} outcomes were spam complaints ({complaint_rate:.2f}%, the limit is "
                f"{settings.BREAKER_COMPLAINT_PERCENT:g}%).")
    return ""


def digest_breaker_check(*, digest_id: int) -> bool:
    """Pause this digest if its figures pass a threshold and it has not tripped before. Returns whether it paused."""
    counts = DigestEventCount.objects.filter(digest_id=digest_id, breaker_tripped_at__isnull=True).first()
    if counts is None:
        return False
    reason = breaker_reason(outcomes=counts.outcomes, blocks=counts.block, complaints=counts.complaint)
    if not reason:
        return False
    messages = digest_failure_messages(digest_id=digest_id, bounce_classes=[BounceClass.BLOCK, BounceClass.COMPLAINT])
    figures = {"outcomes": counts.outcomes, "blocks": counts.block, "complaints": counts.complaint,
               "messages": [{"text": text, "count": count} for text, count in messages]}
    with transaction.atomic():
        # The pause is conditional on `sending`: of two events checking at once, one pauses; a digest an editor
        # paused already, or one finished, is left alone and may still trip later.
        if not digest_step(digest_id=digest_id, step="pause", actor=SYSTEM, detail=f"Paused by the circuit breaker: {reason}",
                           description=f"Paused by the circuit breaker: {reason}", extra=figures):
            return False
        DigestEventCount.objects.filter(pk=counts.pk, breaker_tripped_at__isnull=True).update(
            breaker_tripped_at=timezone.now(), breaker_reason=reason[:400]
        )
        trip = Trip(digest_id=digest_id, outcomes=counts.outcomes, blocks=counts.block, complaints=counts.complaint,
                    reason=reason, messages=messages)
        transaction.on_commit(lambda: breaker_notice_send(trip=trip))
    log.warning("event=digest_breaker_tripped", extra={"digest_id": digest_id, "outcomes": counts.outcomes,
                                                       "blocks": counts.block, "complaints": counts.complaint})
    return True


def breaker_notice_recipients(*, organisation_id: int) -> list[str]:
    """Addresses of the active superusers, and of the editors and administrators of the digest's organisation."""
    people = get_user_model().objects.filter(is_active=True).exclude(email="").filter(
        Q(groups__name__in=[EDITOR, ADMINISTRATOR]) | Q(is_superuser=True)
    ).filter(people_who_see(organisation_id))
    return sorted(set(people.values_list("email", flat=True)))


def breaker_notice_send(*, trip: Trip) -> int:
    """Email each editor and administrator that the digest paused itself; returns how many were sent. A failure
    is logged, not raised: the dashboard's banner says the same and stays until someone acts."""
    digest = Digest.objects.filter(pk=trip.digest_id).select_related("mailing_list").first()
    if digest is None:
        return 0
    recipients = breaker_notice_recipients(organisation_id=digest.mailing_list.organisation_id)
    if not recipients:
        return 0
    context = {"digest": digest, "trip": trip, "dashboard_url": settings.SITE_URL.rstrip("/") + reverse("editorial:dashboard")}
    subject = render_to_string("emails/breaker_subject.txt", context).strip()
    body = render_to_string("emails/breaker.txt", context)
    try:
        sent = send_mass_mail([(subject, body, settings.DEFAULT_FROM_EMAIL, [to]) for to in recipients])
    except Exception as error:  # noqa: BLE001 - the pause stands whatever happens to its email
        log.error("event=breaker_notice_failed", extra={"digest_id": trip.digest_id, "error": str(error)[:200]})
        return 0
    log.info("event=breaker_notice_sent", extra={"digest_id": trip.digest_id, "recipients": sent})
    return sent
