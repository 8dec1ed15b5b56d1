"""Every rule that moves a subscription between states, in one place: docs/subscription-states.md has the table.

The one promise behind all of them: nobody but the person herself, through a link only she received, turns a
subscription that is not active into an active one. Who may do what:
- anyone typing her address (form, API): creates a pending subscription where she had none, changes nothing else;
  the request itself lives in the confirmation email (its token carries when it was made) and its consent record;
- she, through a confirmation link: activates a pending subscription, or an ended one if the link was made
  after she left (a link made before is dead);
- the organisation (CSV import): adds her only to lists she never was on, and never if she left all of them;
- she, a mail client's one-click, a provider complaint: end a subscription, at once.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q

from subscribers.models import Subscription

Status = Subscription.Status


def status_after_request(current: str | None) -> str:
    """The status a subscribe request leaves: pending where there was nothing, otherwise what it was."""
    return Status.PENDING if current is None else current


def awaits_confirmation(current: str | None) -> bool:
    """Whether a request for a subscription in this state calls for a confirmation email."""
    return current in (Status.PENDING, Status.UNSUBSCRIBED)


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
        return "unsubscribed from this list"
    if current == Status.PENDING:
        return "waiting for her own confirmation"
    if current is None and left_every_list:
        return "unsubscribed from every list"
    return ""
