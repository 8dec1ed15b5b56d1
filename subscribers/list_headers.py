"""What names a list in every email sent for it, the confirmation, the welcome and each digest alike: one
definition, so a mail client files and filters them together and a postmaster tool counts them per list."""

from __future__ import annotations

from email.header import Header
from email.utils import make_msgid

from subscribers.models import MailingList


def list_domain(mailing_list: MailingList) -> str:
    """The list's own domain: its sender address's (in its List-Id, and the digests' Message-IDs). The pre-send
    check keeps it aligned with the organisation's sending domain (organisations.sending.aligned)."""
    return mailing_list.from_email.rsplit("@", 1)[-1].lower()


def list_id_header(mailing_list: MailingList) -> str:
    """RFC 2919 `List-Id`: the list's name as a phrase, then `<slug.lists.domain>` as it is.

    Only the phrase may be an encoded-word: handed a non-ASCII value, Django encodes the whole header,
    the `<list-id>` included, and a mail client can no longer read it to group or filter the list.
    """
    phrase = mailing_list.name.replace("\\", "").replace('"', "")
    if phrase.isascii():
        phrase = f'"{phrase}"'
    else:
        phrase = " ".join(Header(phrase, "utf-8").encode(linesep=" ").split())
    return f"{phrase} <{mailing_list.slug}.lists.{list_domain(mailing_list)}>"


def feedback_id(*, campaign: str, mailing_list: MailingList) -> str:
    """Gmail Postmaster's `Feedback-ID`: campaign, list, sender (the list's organisation). No per-recipient value
    (Gmail aggregates on it)."""
    return f"{campaign}:{mailing_list.slug}:{mailing_list.organisation.feedback_sender_id}"


def transactional_message_id(*, kind: str, mailing_list: MailingList) -> str:
    """A fresh Message-ID on the list's domain for a confirmation or welcome, like the digests' (Django's default
    names the machine, often `localhost`: not the sender's domain, and not unique across machines)."""
    return make_msgid(idstring=kind, domain=list_domain(mailing_list))
