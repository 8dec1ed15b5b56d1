"""The consent text shown next to the subscribe checkbox, and its version: each organisation's own.

An organisation's consent text (Organisation.consent_text) is shown as it was typed; blank, the standard
sentence names it, in the page's language. Every ConsentRecord stores the text as it was shown and its version,
so the organisation can prove what a person agreed to. Change CONSENT_VERSION whenever the standard wording
changes; an organisation's own text is versioned by its content.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from django.utils.translation import gettext

from organisations.models import Organisation

CONSENT_VERSION = "2026-11-1"


def consent_text(organisation: Organisation) -> str:
    """The consent sentence of `organisation`, in the active language when it is the standard one."""
    if organisation.consent_text.strip():
        return organisation.consent_text.strip()
    return gettext(
        "I agree that %(organisation)s emails me the newsletters I chose. I can unsubscribe at any time "
        "with the link in every email. My address is never shared."
    ) % {"organisation": organisation.name}


def consent_version(organisation: Organisation) -> str:
    if not organisation.consent_text.strip():
        return CONSENT_VERSION
    digest = hashlib.sha256(organisation.consent_text.strip().encode()).hexdigest()[:12]
    return f"{organisation.feedback_sender_id}-{digest}"


def consent_texts(organisations: Iterable[Organisation]) -> list[str]:
    """The sentences of several organisations (a form offering their lists shows each), in the given order."""
    return [consent_text(organisation) for organisation in organisations]


def consent_evidence(organisations: Iterable[Organisation]) -> tuple[str, str]:
    """(text, version) to record for a request covering these organisations' lists: every sentence she was
    shown for them, joined; their versions, joined."""
    organisations = list(organisations)
    return ("\n".join(consent_texts(organisations)),
            " ".join(consent_version(organisation) for organisation in organisations))
