"""Every rule that moves a subscription between states, in one place: docs/subscription-states.md has the table.

The one promise behind all of them: nobody but the person herself, through a link only she received, turns a
subscription that is not active into an active one. Who may do what:
- anyone typing her address (form, API): creates a pending subscription where she had none, changes nothing else;
  the request itself lives in the confirmation email (its token carries when it was made) and its consent record;
- she, through a confirmation link: activates a pending subscription, or an ended one if the link was made
  after she left (a link made before is dead);
- the organisation (CSV import): adds her only to lists she never was on, and never if she left all of them;
- she, a mail client's one-click, a provider complaint: end a subscription, at once;
- she, through a confirmation link made after her address was suppressed for bouncing: lifts that suppression
  (the link reached her, so the mailbox works). Complaints, rejections, an administrator's suppression are
  never lifted this way; an erasure is lifted by any confirmation of hers (she has no older link).
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q
from django.utils.translation import gettext

from subscribers.models import Subscription, Suppression

Status = Subscription.Status

# The suppressions a confirmed double opt-in proves wrong (docs/bounces.md): the mailbox that bounced works again.
BOUNCES_LIFTED_BY_CONFIRMATION = (Suppression.Reason.HARD_BOUNCE, Suppression.Reason.SOFT_BOUNCE)


def status_after_request(current: str | None) -> str:
    """The status a subscribe request leaves: pending where there was nothing, otherwise what it was."""
    return Status.PENDING if current is None else current


def awaits_confirmation(current: str | None, *, suppressed_for_bouncing: bool = False) -> bool:
    """Whether a request for a subscription in this state calls for a confirmation email. An address suppressed
    for bouncing gets one for her active lists too: only her confirmation lifts the suppression."""
    return current in (Status.PENDING, Status.UNSUBSCRIBED) or (suppressed_for_bouncing and current == Status.ACTIVE)


def may_request_while_suppressed(reason: str | None) -> bool:
    """Whether a subscribe request for an address suppressed for `reason` (None: not suppressed) may go on to a
    confirmation email. Everyone else suppressed gets nothing, and the page says nothing about it."""
    return reason is None or reason == Suppression.Reason.ERASED or reason in BOUNCES_LIFTED_BY_CONFIRMATION


def confirmable(*, requested_at: datetime | None) -> Q:
    """The subscriptions a confirmation link made at `requested_at` may activate: pending or ended ones, unless
    she ended them after the link was made. Links from before they carried their time (`None`) confirm only
    pending subscriptions that never ended."""
    if requested_at is None:
        return Q(status=Status.PENDING, unsubscribed_at__isnull=True)
    ended_before = Q(unsubscribed_at__isnull=True) | Q(unsubscribed_at__lt=requested_at)
    return Q(status__in=[Status.PENDING, Status.UNSUBSCRIBED]) & ended_before


def may_undo_unsubscribe(*, unsubscribed_at: datetime | None, undo_for: datetime, confirmed_at: datetime | None) -> bool:
    """The undo offered on the page that just ended a subscription: only that very unsubscribe (same time),
    and straight back to active only if she had confirmed it before; otherwise it needs a confirmation."""
    return unsubscribed_at is not None and unsubscribed_at == undo_for and confirmed_at is not None


def import_refusal(*, current: str | None, left_every_list: bool) -> str:
    """Why an organisation's import may not make her active on a list ("" when it may)."""
    if current == Status.UNSUBSCRIBED:
        return gettext("unsubscribed from this list")
    if current == Status.PENDING:
        return gettext("waiting for her own confirmation")
    if current is None and left_every_list:
        return gettext("unsubscribed from every list")
    return ""
