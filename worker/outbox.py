"""EMAIL_PROVIDER=outbox: a Django email backend that stores every message instead of sending it."""

from __future__ import annotations

from collections.abc import Sequence
from email.header import decode_header, make_header

from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend

from worker.models import OutboxMessage


def _html_part(message: EmailMessage) -> str:
    if message.content_subtype == "html":
        return str(message.body)
    if isinstance(message, EmailMultiAlternatives):
        for content, mimetype in message.alternatives:
            if mimetype == "text/html":
                return str(content)
    return ""


def _readable(value: object) -> str:
    """Headers as a person reads them: RFC 2047 encoded words decoded, folding undone."""
    try:
        return str(make_header(decode_header(str(value)))).replace("\n", "")
    except (ValueError, LookupError):
        return str(value)


class OutboxEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        rows = []
        for message in email_messages:
            mime = message.message()
            rows.append(
                OutboxMessage(
                    from_email=message.from_email,
                    to=", ".join(message.recipients()),
                    subject=_readable(mime["Subject"] or ""),
                    headers={k: _readable(v) for k, v in mime.items()},
                    text="" if message.content_subtype == "html" else str(message.body),
                    html=_html_part(message),
                    raw=mime.as_bytes(linesep="\r\n").decode("utf-8", "replace"),
                )
            )
        OutboxMessage.objects.bulk_create(rows)
        return len(rows)
