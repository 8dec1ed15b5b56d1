"""The consent text shown next to the subscribe checkbox, and its version: each organisation's own.

An organisation's consent text has a value per language (Organisation.consent_text_en, _fr, _ar); the page's
language gets its own, else any language's (subscribers.texts; an organisation has no default language). None
typed: the standard sentence names the organisation, in the page's language. Every ConsentRecord stores the text
as it was shown and its version, so the organisation can prove what a person agreed to. Change CONSENT_VERSION
whenever the standard wording changes; an organisation's own text is versioned by its content.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext

from organisations.models import Organisation
from subscribers.texts import reader_text

CONSENT_VERSION = "2026-11-1"


def _typed(organisation: Organisation) -> str:
    """The organisation's own text for the page's language ('' when none is typed in any language)."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    return reader_text(organisation, "consent_text", language=language, default_language=settings.LANGUAGE_CODE)


def consent_text(organisation: Organisation) -> str:
    """The consent sentence of `organisation` as the page's language shows it."""
    if typed := _typed(organisation):
        return typed
    return gettext(
        "I agree that %(organisation)s emails me the newsletters I chose. I can unsubscribe at any time "
        "with the link in every email. My address is never shared."
    ) % {"organisation": organisation.name}


def consent_version(organisation: Organisation) -> str:
    """The version of the sentence consent_text gives now: each language's typed text has its own."""
    typed = _typed(organisation)
    if not typed:
        return CONSENT_VERSION
    digest = hashlib.sha256(typed.encode()).hexdigest()[:12]
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
