"""Digest subjects that carry a date, written in each reader's language.

A subject like "MMM Liban: {date}" is filled once in the list's language for the editors (`Digest.subject`),
and again per language variant when rendering, so a French reader reads "23 novembre 2026" and an Arabic
reader "23 نوفمبر 2026" (one subject for all had put the list language's month name before everybody).
An editor who rewrites the subject gets her words, the same in every variant.
"""

from __future__ import annotations

from datetime import date

from django.utils import formats, translation

from newsletter.models import Digest


def localised_date(day: date, language: str) -> str:
    with translation.override(language):
        return formats.date_format(day, "j F Y")


def subject_fill(template: str, *, day: date, language: str, list_name: str) -> str:
    """`{list}` and `{date}` of a subject template, the date in `language`."""
    return template.replace("{list}", list_name).replace("{date}", localised_date(day, language))[:200]


def variant_subject(digest: Digest, language: str) -> str:
    """The subject readers of `language` get: the template in their language, unless an editor changed the subject."""
    if not digest.subject_template or digest.subject_date is None:
        return digest.subject
    mailing_list = digest.mailing_list
    as_composed = subject_fill(digest.subject_template, day=digest.subject_date, language=mailing_list.default_language,
                               list_name=mailing_list.name)
    if as_composed != digest.subject:
        return digest.subject
    return subject_fill(digest.subject_template, day=digest.subject_date, language=language, list_name=mailing_list.name)
