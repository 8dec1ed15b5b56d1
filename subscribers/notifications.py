"""The two emails the audience side sends itself: the confirmation request and the welcome.

Each is a text part with a branded HTML alternative (subscribers.email_shells: rendered and inlined once per
list, language and branding, the reader's links filled in per email).

Both go through Django's mail API (so the configured backend: outbox, SMTP, anymail provider), from a
worker that takes them from their outbox table (subscribers.queued_emails). The confirmation email contains
nothing the requester typed (no name): bots use subscribe forms to push text into strangers' inboxes.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from email.utils import formataddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend
from django.template import Context
from django.template.loader import get_template
from django.utils import translation

from organisations.sending import sending_domain, sending_domain_apply
from subscribers import direction, email_shells, ratelimit, selectors, tokens
from subscribers.list_headers import feedback_id, list_id_header, transactional_message_id
from subscribers.models import MailingList, Subscriber, Subscription
from subscribers.texts import list_text
from subscribers.tokens import ConfirmLink

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


@dataclass(frozen=True)
class Confirmation:
    """A confirmation email to send: the link it carries, and the lists it still confirms."""
    link: ConfirmLink
    email: str
    language: str
    lists: list[MailingList]


def confirmations_due(links: Sequence[ConfirmLink]) -> list[Confirmation | None]:
    """For each confirmation link to email, in order, what it still has to confirm, read for all at once (a
    drain decides its claimed batch in three queries); None where nothing is left (she confirmed meanwhile,
    left after asking, or was erased)."""
    confirmable = selectors.links_confirmable(links)
    people = {pk: (email, language) for pk, email, language in
              Subscriber.objects.filter(pk__in={link.subscriber_id for link in links}).values_list("pk", "email", "language")}
    lists = MailingList.objects.select_related("organisation").in_bulk({pk for ids in confirmable for pk in ids})
    due: list[Confirmation | None] = []
    for link, list_ids in zip(links, confirmable, strict=True):
        person = people.get(link.subscriber_id)
        due.append(Confirmation(link=link, email=person[0], language=person[1], lists=[lists[pk] for pk in list_ids])
                   if person and list_ids else None)
    return due


def confirmation_email_send(
    *, subscriber_id: int, list_ids: list[int], topic_ids: list[int], requested_at: datetime,
    connection: BaseEmailBackend | None = None,
) -> bool:
    """Send the confirm-your-subscription email for the request made at `requested_at` (over `connection`, or a
    new one). Returns False when there is nothing left to confirm."""
    link = ConfirmLink(subscriber_id=subscriber_id, list_ids=list_ids, topic_ids=topic_ids, requested_at=requested_at)
    [confirmation] = confirmations_due([link])
    if confirmation is None:
        return False
    confirmation_send(confirmation, connection=connection)
    return True


def confirmation_send(confirmation: Confirmation, *, connection: BaseEmailBackend | None = None) -> None:
    """Render and send one confirmation (see confirmations_due). One message per organisation, each in its own
    name, address and sending domain, confirming only its own lists: one organisation never asks on behalf of
    another (docs/decisions/0011-organisations.md)."""
    language = confirmation.language
    # Her language's list names (subscribers.texts), in her language's order.
    lists = sorted(confirmation.lists, key=lambda ml: (list_text(ml, "name", language=language).casefold(), ml.pk))
    by_organisation: dict[int, list[MailingList]] = {}
    for mailing_list in lists:
        by_organisation.setdefault(mailing_list.organisation_id, []).append(mailing_list)
    for own_lists in by_organisation.values():
        _confirmation_message(confirmation, lists=own_lists, connection=connection).send()
    log.info("event=confirmation_email_sent", extra={"subscriber": confirmation.link.subscriber_id,
                                                     "lists": sorted(ml.pk for ml in lists), "emails": len(by_organisation)})


def _confirmation_message(confirmation: Confirmation, *, lists: list[MailingList],
                          connection: BaseEmailBackend | None) -> EmailMultiAlternatives:
    """The confirmation of `lists`, all of one organisation: sent from, and filed under, the first one's.
    Runs in a drain's sending threads: reads nothing from the database."""
    link, language = confirmation.link, confirmation.language
    first, organisation = lists[0], lists[0].organisation
    url = tokens.confirm_url(subscriber_id=link.subscriber_id, list_ids=sorted(ml.pk for ml in lists),
                             topic_ids=link.topic_ids, requested_at=link.requested_at)
    list_names = [list_text(ml, "name", language=language) for ml in lists]
    with translation.override(language):
        context = {"lists": lists, "list_names": list_names,
                   "confirm_url": url, "organisation": organisation.name,
                   "organisation_address": organisation.postal_address,
                   "per_week": ratelimit.confirmation_emails_per_week()}
        subject = render_text("subscribers/emails/confirm_subject.txt", context).strip()
        body = direction.mark_text_part(render_text("subscribers/emails/confirm.txt", context), language)
    shell = email_shells.shell("subscribers/emails/confirm.html", {
        **email_shells.branding(first, language=language), "subject": subject, "masthead": organisation.name,
        "list_names": list_names, "per_week": context["per_week"], "confirm_url": email_shells.CONFIRM_URL})
    message = EmailMultiAlternatives(subject=subject, body=body, from_email=_sender(first), to=[confirmation.email],
                                     headers=list_headers(kind="confirmation", mailing_list=first), connection=connection)
    message.attach_alternative(email_shells.fill(shell, {email_shells.CONFIRM_URL: url}), "text/html")
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
    preferences = tokens.preferences_url(subscriber_id=subscriber_id)
    language = subscriber.language
    list_name = list_text(mailing_list, "name", language=language)
    welcome_body = list_text(mailing_list, "welcome_body", language=language)
    with translation.override(language):
        context = {"list": mailing_list, "list_name": list_name, "welcome_body": welcome_body,
                   "unsubscribe_url": unsubscribe, "preferences_url": preferences,
                   "organisation_address": mailing_list.organisation.postal_address}
        body = direction.mark_text_part(render_text("subscribers/emails/welcome.txt", context), language)
        subject = (list_text(mailing_list, "welcome_subject", language=language)
                   or render_text("subscribers/emails/welcome_subject.txt", context).strip())
    shell = email_shells.shell("subscribers/emails/welcome.html", {
        **email_shells.branding(mailing_list, language=language), "subject": subject, "masthead": list_name,
        "list_name": list_name, "welcome_body": welcome_body, "unsubscribe_url": email_shells.UNSUBSCRIBE_URL,
        "preferences_url": email_shells.PREFERENCES_URL})
    message = EmailMultiAlternatives(
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
    message.attach_alternative(email_shells.fill(shell, {email_shells.UNSUBSCRIBE_URL: unsubscribe,
                                                         email_shells.PREFERENCES_URL: preferences}), "text/html")
    sending_domain_apply(message, domain=sending_domain(mailing_list.organisation))
    message.send()
    log.info("event=welcome_email_sent", extra={"subscriber": subscriber_id, "list": list_id})
    return True
