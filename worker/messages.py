"""Building the email messages of a batch from a pre-rendered variant.

Nothing here renders templates or runs premailer: per recipient only string substitution happens
(or, for merging providers, one rewrite of the placeholders into the provider's merge syntax per
batch). Every header value is checked for CR/LF before a message object exists, so an injected
`\\r\\nBcc:` can never reach a provider.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from email.utils import formataddr
from typing import TYPE_CHECKING

from django.core.mail import EmailMultiAlternatives

from newsletter import placeholders
from organisations.sending import sending_domain, sending_domain_apply
from subscribers.list_headers import feedback_id, list_domain, list_id_header
from subscribers.models import MailingList
from subscribers.tokens import LinkMaker

if TYPE_CHECKING:
    from worker.prebuilt_mime import PrebuiltVariant

# Values that may contain characters with a meaning in HTML get an escaped twin for the HTML part.
_HTML_ESCAPED_KEYS = ("name", "email")


class HeaderInjection(ValueError):
    """A header name or value holds a line break (or NUL): refused before anything is sent."""


def has_line_break(text: str) -> bool:
    """CR, LF or NUL anywhere in `text` (three scans in C: this runs for every header of every message)."""
    return "\n" in text or "\r" in text or "\0" in text


def check_header(name: str, value: str) -> None:
    if has_line_break(name) or has_line_break(value):
        raise HeaderInjection(f"line break refused in the {name.split(':')[0][:40]!r} header")


@dataclass(frozen=True)
class Recipient:
    delivery_id: int
    subscriber_id: int
    email: str
    name: str


@dataclass(frozen=True)
class Envelope:
    """What every message of a variant shares: sender, subject, bodies and list headers."""

    digest_id: int
    list_id: int
    from_email: str
    reply_to: list[str]
    subject: str
    html: str
    text: str
    domain: str
    headers: dict[str, str]
    links: LinkMaker = field(default_factory=LinkMaker)  # made with the envelope, once per batch
    # Whether the provider tracks opens and clicks (the list's choice); None: the provider takes no such option.
    tracking: bool | None = None
    # The organisation's sending domain (organisations.sending), read once per batch; "": the provider's default.
    sending_domain: str = ""


def build_envelope(*, digest_id: int, mailing_list: MailingList, subject: str, html_body: str, text_body: str,
                   web_url: str, tracking_options: bool = False) -> Envelope:
    """Checks every shared header and fills the values that are the same for everybody (web version URL).

    `tracking_options`: the provider takes tracking per message (ProviderProfile.tracking_options), so every
    message says the list's choice, explicitly, over whatever the provider's domain does by default.
    """
    domain = list_domain(mailing_list)
    headers = {
        "List-Id": list_id_header(mailing_list),
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "Feedback-ID": feedback_id(campaign=f"digest-{digest_id}", mailing_list=mailing_list),
    }
    from_email = formataddr((mailing_list.from_name, mailing_list.from_email))
    reply_to = [mailing_list.reply_to] if mailing_list.reply_to else []
    for name, value in [("Subject", subject), ("From", from_email), *(("Reply-To", r) for r in reply_to), *headers.items()]:
        check_header(name, value)
    shared = {"web_url": web_url}
    return Envelope(
        digest_id=digest_id,
        list_id=mailing_list.id,
        from_email=from_email,
        reply_to=reply_to,
        subject=subject,
        html=placeholders.fill_html(html_body, shared),
        text=placeholders.fill(text_body, shared),
        domain=domain,
        headers=headers,
        tracking=mailing_list.tracking_enabled if tracking_options else None,
        sending_domain=sending_domain(mailing_list.organisation),
    )


def html_values(values: dict[str, str]) -> dict[str, str]:
    """A recipient's values as the HTML part shows them: the ones a person typed, escaped."""
    return {**values, **{key: html.escape(values[key]) for key in _HTML_ESCAPED_KEYS if key in values}}


def personal_values(*, envelope: Envelope, recipient: Recipient) -> dict[str, str]:
    return {
        "name": recipient.name,
        "email": recipient.email,
        "unsubscribe_url": envelope.links.unsubscribe_url(subscriber_id=recipient.subscriber_id, list_id=envelope.list_id,
                                                          digest_id=envelope.digest_id),
        "preferences_url": envelope.links.preferences_url(subscriber_id=recipient.subscriber_id),
    }


def tracking_set(message: EmailMultiAlternatives, *, envelope: Envelope) -> None:
    """anymail's `track_opens` and `track_clicks`, both True or both False, when the provider takes them."""
    if envelope.tracking is not None:
        message.track_opens = envelope.tracking
        message.track_clicks = envelope.tracking


def own_message_id(*, digest_id: int, delivery_id: int, domain: str) -> str:
    """Our Message-ID. Stable per delivery: a copy resent by an editor carries the same id, so clients can fold it.

    worker.sending records it in SQL with the same pieces (`OWN_MESSAGE_ID_SQL`); a test compares the two.
    """
    return f"<digest-{digest_id}.delivery-{delivery_id}@{domain}>"


# own_message_id as a PostgreSQL/SQLite expression over a delivery row `d`; its one parameter is the domain.
OWN_MESSAGE_ID_SQL = "'<digest-' || d.digest_id || '.delivery-' || d.id || '@' || %s || '>'"


def personal_headers(*, envelope: Envelope, recipient: Recipient, values: dict[str, str]) -> dict[str, str]:
    headers = {
        "List-Unsubscribe": f"<{values['unsubscribe_url']}>",
        "Message-ID": own_message_id(digest_id=envelope.digest_id, delivery_id=recipient.delivery_id,
                                     domain=envelope.domain),
    }
    for name, value in headers.items():
        check_header(name, value)
    check_header("To", recipient.email)
    return headers


def single_message(*, envelope: Envelope, recipient: Recipient, connection=None,
                   prebuilt: PrebuiltVariant | None = None) -> EmailMultiAlternatives:
    """One recipient's message, personal values filled in by substitution.

    With `prebuilt` (worker.prebuilt_mime: the variant's MIME message built once per batch) the values are
    filled in at the byte level; a recipient whose values cannot be filled in safely gets Django's build.
    """
    values = personal_values(envelope=envelope, recipient=recipient)
    headers = {**envelope.headers, **personal_headers(envelope=envelope, recipient=recipient, values=values)}
    message = None
    if prebuilt is not None:
        message = prebuilt.message(recipient=recipient, values=values, headers=headers, connection=connection)
    if message is None:
        message = EmailMultiAlternatives(
            subject=envelope.subject,
            body=placeholders.fill(envelope.text, values),
            from_email=envelope.from_email,
            to=[recipient.email],
            reply_to=envelope.reply_to,
            headers=headers,
            connection=connection,
        )
        message.attach_alternative(placeholders.fill(envelope.html, html_values(values)), "text/html")
    message.metadata = {"digest_id": envelope.digest_id, "delivery_id": recipient.delivery_id}
    tracking_set(message, envelope=envelope)
    sending_domain_apply(message, domain=envelope.sending_domain)
    return message


def merged_message(*, envelope: Envelope, recipients: list[Recipient], merge_syntax: str,
                   connection=None) -> EmailMultiAlternatives:
    """One message for a whole batch: the body refers to merge fields, each recipient's values ride along."""
    text_refs = {key: merge_syntax.format(key=key) for key in placeholders.ALL if key != "web_url"}
    html_refs = {**text_refs, **{key: merge_syntax.format(key=f"{key}_html") for key in _HTML_ESCAPED_KEYS}}
    merge_data, merge_headers, merge_metadata = {}, {}, {}
    for recipient in recipients:
        values = personal_values(envelope=envelope, recipient=recipient)
        merge_headers[recipient.email] = personal_headers(envelope=envelope, recipient=recipient, values=values)
        merge_data[recipient.email] = {**values, **{f"{key}_html": html.escape(values[key]) for key in _HTML_ESCAPED_KEYS}}
        merge_metadata[recipient.email] = {"delivery_id": recipient.delivery_id}
    message = EmailMultiAlternatives(
        subject=envelope.subject,
        body=placeholders.fill(envelope.text, text_refs),
        from_email=envelope.from_email,
        to=[recipient.email for recipient in recipients],
        reply_to=envelope.reply_to,
        headers=dict(envelope.headers),
        connection=connection,
    )
    message.attach_alternative(placeholders.fill(envelope.html, html_refs), "text/html")
    message.merge_data = merge_data
    message.merge_headers = merge_headers
    message.merge_metadata = merge_metadata
    message.metadata = {"digest_id": envelope.digest_id}
    tracking_set(message, envelope=envelope)
    sending_domain_apply(message, domain=envelope.sending_domain)
    return message
