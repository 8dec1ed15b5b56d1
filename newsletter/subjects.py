"""Digest subjects in each reader's language, and those that carry a date written in it.

An editor types a subject per language (subscribers.texts chooses which one a reader gets). A subject made
from a template like "MMM Liban: {date}" is filled, per language, in that language for the editors
(`Digest.subject_<lang>`), and again per language variant when rendering, so a French reader reads
"23 novembre 2026" and an Arabic reader "23 نوفمبر 2026" even where her language's subject falls back to
another's. An editor who rewrites a subject gets her words.
"""

from __future__ import annotations

from datetime import date

from django.utils import formats, translation

from newsletter.models import Digest
from subscribers.texts import list_text, reader_text_chosen, value_in


def localised_date(day: date, language: str) -> str:
    with translation.override(language):
        return formats.date_format(day, "j F Y")


def subject_fill(template: str, *, day: date, language: str, list_name: str) -> str:
    """`{list}` and `{date}` of a subject template, the date in `language`."""
    return template.replace("{list}", list_name).replace("{date}", localised_date(day, language))[:200]


def digest_text(digest: Digest, field: str, language: str):
    """A digest's `field` for readers of `language` (subscribers.texts' rule, the list's default language second)."""
    return reader_text_chosen(digest, field, language=language, default_language=digest.mailing_list.default_language)


def variant_subject(digest: Digest, language: str) -> str:
    """The subject readers of `language` get: the template in their language, unless an editor changed the subject."""
    chosen = digest_text(digest, "subject", language)
    template = value_in(digest, "subject_template", chosen.language) if chosen.language else ""
    if not template or digest.subject_date is None:
        return chosen.value
    mailing_list = digest.mailing_list
    as_composed = subject_fill(template, day=digest.subject_date, language=chosen.language,
                               list_name=list_text(mailing_list, "name", language=chosen.language))
    if as_composed != chosen.value:
        return chosen.value
    return subject_fill(template, day=digest.subject_date, language=language,
                        list_name=list_text(mailing_list, "name", language=language))
