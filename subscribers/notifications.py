"""The two emails the audience side sends itself: the confirmation request and the welcome.

Both go through Django's mail API (so the configured backend: outbox, SMTP, anymail provider), from a
worker that takes them from their outbox table (subscribers.queued_emails). The confirmation email contains
nothing the requester typed (no name): bots use subscribe forms to push text into strangers' inboxes.
"""

from __future__ import annotations

import logging
from datetime import datetime
from email.utils import formataddr

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from django.template import Context
from django.template.loader import get_template
from django.utils import translation

from organisations.sending import sending_domain, sending_domain_apply
from subscribers import ratelimit, selectors, tokens
from subscribers.list_headers import feedback_id, list_id_header, transactional_message_id
from subscribers.models import MailingList, Subscriber, Subscription

log = logging.getLogger(__name__)


def _sender(mailing_list: MailingList | None) -> str:
    if mailing_list is None:
        return settings.DEFAULT_FROM_EMAIL
    return formataddr((mailing_list.from_name, mailing_list.from_email))


def render_text(template_name: str, context: dict) -> str:
    """A text email's template, rendered with autoescape off whatever the template says: a text part is not
    HTML, and escaping shows readers `l&#x27;Université`."""
    return get_template(template_name).template.render(Context(context, autoescape=False))


def list_headers(*, kind: str, mailing_list: MailingList) -> dict[str, str]:
    """The headers a confirmation or welcome shares with the list's digests (List-Id, Feedback-ID), and a
    Message-ID on the list's domain."""
    return {
        "List-Id": list_id_header(mailing_list),
        "Feedback-ID": feedback_id(campaign=kind, mailing_list=mailing_list),
        "Message-ID": transactional_message_id(kind=kind, mailing_list=mailing_list),
    }


def confirmation_email_send(
    *, subscriber_id: int, list_ids: list[int], topic_ids: list[int], requested_at: datetime,
    connection: BaseEmailBackend | None = None,
) -> bool:
    """Send the confirm-your-subscription email for the request made at `requested_at` (over `connection`, one
    a drain keeps open, or a new one). Returns False when there is nothing left to confirm (she confirmed
    meanwhile, or left after asking)."""
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is None:
        return False
    pending_ids = selectors.confirm_link_state(subscriber_id=subscriber_id, list_ids=list_ids,
                                               requested_at=requested_at).confirmable
    if not pending_ids:
        return False
    lists = list(MailingList.objects.filter(pk__in=pending_ids).select_related("organisation").order_by("name", "pk"))
    # One message per organisation, each in its own name, address and sending domain, confirming only its own
    # lists: one organisation never asks on behalf of another (docs/decisions/0011-organisations.md).
    by_organisation: dict[int, list[MailingList]] = {}
    for mailing_list in lists:
        by_organisation.setdefault(mailing_list.organisation_id, []).append(mailing_list)
    for own_lists in by_organisation.values():
        _confirmation_message(subscriber=subscriber, lists=own_lists, topic_ids=topic_ids, requested_at=requested_at,
                              connection=connection).send()
    log.info("event=confirmation_email_sent",
             extra={"subscriber": subscriber_id, "lists": pending_ids, "emails": len(by_organisation)})
    return True


def _confirmation_message(*, subscriber: Subscriber, lists: list[MailingList], topic_ids: list[int],
                          requested_at: datetime, connection: BaseEmailBackend | None) -> EmailMessage:
    """The confirmation of `lists`, all of one organisation: sent from, and filed under, the first one's."""
    first, organisation = lists[0], lists[0].organisation
    url = tokens.confirm_url(subscriber_id=subscriber.pk, list_ids=[m.pk for m in lists], topic_ids=topic_ids,
                             requested_at=requested_at)
    with translation.override(subscriber.language):
        context = {"lists": lists, "confirm_url": url, "organisation": organisation.name,
                   "organisation_address": organisation.postal_address,
                   "per_week": ratelimit.confirmation_emails_per_week()}
        subject = render_text("subscribers/emails/confirm_subject.txt", context).strip()
        body = render_text("subscribers/emails/confirm.txt", context)
    message = EmailMessage(subject=subject, body=body, from_email=_sender(first), to=[subscriber.email],
                           headers=list_headers(kind="confirmation", mailing_list=first), connection=connection)
    if first.reply_to:
        message.reply_to = [first.reply_to]
    sending_domain_apply(message, domain=sending_domain(organisation))
    return message


def welcome_email_send(*, subscriber_id: int, list_id: int, connection: BaseEmailBackend | None = None) -> bool:
    """Send the list's welcome text to a subscriber who is (still) active on it."""
    subscription = (
        Subscription.objects.select_related("subscriber", "mailing_list__organisation")
        .filter(subscriber_id=subscriber_id, mailing_list_id=list_id, status=Subscription.Status.ACTIVE)
        .first()
    )
    if subscription is None or not subscription.mailing_list.welcome_enabled:
        return False
    mailing_list, subscriber = subscription.mailing_list, subscription.subscriber
    unsubscribe = tokens.unsubscribe_url(subscriber_id=subscriber_id, list_id=list_id)
    with translation.override(subscriber.language):
        context = {"list": mailing_list, "unsubscribe_url": unsubscribe,
                   "preferences_url": tokens.preferences_url(subscriber_id=subscriber_id),
                   "organisation_address": mailing_list.organisation.postal_address}
        body = render_text("subscribers/emails/welcome.txt", context)
        subject = mailing_list.welcome_subject or render_text("subscribers/emails/welcome_subject.txt", context).strip()
    message = EmailMessage(
        subject=subject,
        body=body,
        from_email=_sender(mailing_list),
        to=[subscriber.email],
        reply_to=[mailing_list.reply_to] if mailing_list.reply_to else None,
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            **list_headers(kind="welcome", mailing_list=mailing_list),
        },
        connection=connection,
    )
    sending_domain_apply(message, domain=sending_domain(mailing_list.organisation))
    message.send()
    log.info("event=welcome_email_sent", extra={"subscriber": subscriber_id, "list": list_id})
    return True
