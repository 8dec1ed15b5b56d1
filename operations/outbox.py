"""EMAIL_PROVIDER=outbox: a Django email backend that stores every message instead of sending it, and how the
stored messages are shown (to Administrators only, with the recipients' personal links made unclickable)."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from email.header import decode_header, make_header
from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from operations.models import OutboxMessage


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
                    # The From header: with a sending domain, from_email is the envelope sender (bounces@...).
                    from_email=message.extra_headers.get("From", message.from_email),
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


# --- Reading the outbox ----------------------------------------------------------------------------------------------

# The outbox lists every recipient's address and her personal links, so only someone who may read subscriber
# rows (an Administrator, editorial.roles) may open it; an Editor never reads addresses.
OUTBOX_PERMISSIONS = ("operations.view_outboxmessage", "subscribers.view_subscriber")

# Links that act as the recipient (confirm, unsubscribe, preferences): in the outbox they are shown as text,
# so an administrator reading mail, or a link prefetcher, never confirms or unsubscribes somebody by a click.
PERSONAL_LINK_PATHS = ("/confirm/", "/u/", "/preferences/")
PERSONAL_LINK_NOTE = "copy this link into the address bar to act as the recipient"
_LINKING_ATTRIBUTES = {"href", "action", "formaction", "ping", "src", "srcset", "data", "poster", "background"}
_URL_IN_TEXT = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)


def outbox_readable_by(user) -> bool:
    return bool(user.is_active and user.is_staff and user.has_perms(OUTBOX_PERMISSIONS))


def is_personal_link(url: str) -> bool:
    try:
        path = urlsplit(html.unescape(url).strip()).path
    except ValueError:
        return False
    return any(marker in path for marker in PERSONAL_LINK_PATHS)


def _as_text(url: str) -> str:
    return format_html(
        '<code class="personal-link" style="background:#fff3cd;word-break:break-all">{}</code>'
        ' <em style="background:#fff3cd">({})</em>',
        url, PERSONAL_LINK_NOTE,
    )


class _Disarmer(HTMLParser):
    """Re-emits the HTML as it came, except personal links: an <a> or <area> to one becomes a <span> followed by
    the URL as text, any other attribute pointing at one is dropped, and a meta refresh (which would navigate
    the preview by itself) is removed."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.out: list[str] = []
        self.open_links: list[str | None] = []  # for each open <a>: its personal URL, or None

    @staticmethod
    def _personal(attrs: list[tuple[str, str | None]]) -> str | None:
        return next((v for n, v in attrs if n in _LINKING_ATTRIBUTES and v and is_personal_link(v)), None)

    def _rewritten(self, tag: str, attrs: list[tuple[str, str | None]], *, closed: bool) -> str:
        if tag == "meta" and any(n == "http-equiv" and (v or "").strip().lower() == "refresh" for n, v in attrs):
            return ""
        if self._personal(attrs) is None:
            return self.get_starttag_text() or ""
        kept = "".join(
            f' {name}="{html.escape(value or "", quote=True)}"' for name, value in attrs
            if not (name in _LINKING_ATTRIBUTES and value and is_personal_link(value))
        )
        name = "span" if tag in ("a", "area") else tag
        return f"<{name}{kept}{' /' if closed else ''}>"

    def handle_starttag(self, tag, attrs):
        self.out.append(self._rewritten(tag, attrs, closed=False))
        url = self._personal(attrs)
        if tag == "a":
            self.open_links.append(url)
        elif tag == "area" and url is not None:
            self.out.append("</span> " + _as_text(url))

    def handle_startendtag(self, tag, attrs):
        self.out.append(self._rewritten(tag, attrs, closed=True))

    def handle_endtag(self, tag):
        if tag == "a" and self.open_links:
            url = self.open_links.pop()
            if url is not None:
                self.out.append("</span> " + _as_text(url))
                return
        self.out.append(f"</{tag}>")

    def handle_data(self, data):
        self.out.append(data)

    def handle_entityref(self, name):
        self.out.append(f"&{name};")

    def handle_charref(self, name):
        self.out.append(f"&#{name};")

    def handle_comment(self, data):
        self.out.append(f"<!--{data}-->")

    def handle_decl(self, decl):
        self.out.append(f"<!{decl}>")

    def handle_pi(self, data):
        self.out.append(f"<?{data}>")

    def unknown_decl(self, data):
        self.out.append(f"<![{data}]>")


def outbox_html_for_display(markup: str) -> str:
    """The HTML part with every confirm / unsubscribe / preferences link turned into text."""
    parser = _Disarmer()
    parser.feed(markup)
    parser.close()
    for url in parser.open_links:  # an <a> never closed: its text still gets the link beside it, as text
        if url is not None:
            parser.out.append("</span> " + _as_text(url))
    return "".join(parser.out)


def outbox_text_for_display(body: str) -> SafeString:
    """The text part, escaped, with each personal link marked as one to copy rather than to click."""
    parts: list[str] = []
    position = 0
    for match in _URL_IN_TEXT.finditer(body):
        parts.append(escape(body[position : match.start()]))
        url = match.group(0).rstrip(".,;:!?)")  # the sentence's punctuation is not part of the link
        parts.append(_as_text(url) if is_personal_link(url) else escape(url))
        position = match.start() + len(url)
    parts.append(escape(body[position:]))
    return mark_safe("".join(parts))  # every piece above was escaped or built by format_html
