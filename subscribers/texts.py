"""The one rule that picks which language of a per-language text a reader gets.

Editor-typed texts (list name and description, welcome subject and body, topic names, a digest's subject,
preheader and intro) have one value per language in settings.LANGUAGES (django-modeltranslation columns
`name_en`, `name_fr`, ...; docs/decisions/0012-per-language-texts.md). A reader gets her own language's value,
else the list's default language's, else any non-empty value, in the order of settings.LANGUAGES.

The choice is always explicit: modeltranslation's plain attribute (`mailing_list.name`) follows the *active*
language, which in a Celery worker is settings.LANGUAGE_CODE whoever the reader is; reader-facing code calls
reader_text instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Model
from modeltranslation.utils import build_localized_fieldname


def languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def fallback_order(language: str, default_language: str) -> list[str]:
    """The reader's language, then the list's default, then every other language in settings.LANGUAGES order."""
    return list(dict.fromkeys([language, default_language, *languages()]))


def value_in(obj: Model, field: str, language: str) -> str:
    """The value typed for exactly `language` ('' when none), without any fallback."""
    return (getattr(obj, build_localized_fieldname(field, language), None) or "").strip()


@dataclass(frozen=True)
class Chosen:
    value: str
    language: str  # the language the value is in; '' when no language has one

    @property
    def is_empty(self) -> bool:
        return not self.value


def reader_text_chosen(obj: Model, field: str, *, language: str, default_language: str) -> Chosen:
    """`field` of `obj` for a reader of `language`, and which language it came from (the fallback rule)."""
    for candidate in fallback_order(language, default_language):
        value = value_in(obj, field, candidate)
        if value:
            return Chosen(value, candidate)
    return Chosen("", "")


def reader_text(obj: Model, field: str, *, language: str, default_language: str) -> str:
    """`field` of `obj` as a reader of `language` reads it (the fallback rule of this module)."""
    return reader_text_chosen(obj, field, language=language, default_language=default_language).value


def list_text(mailing_list: Model, field: str, *, language: str) -> str:
    """A list's own text (name, description, welcome_subject, welcome_body) for a reader of `language`."""
    return reader_text(mailing_list, field, language=language, default_language=mailing_list.default_language)


def topic_name(topic: Model, *, language: str, default_language: str | None = None) -> str:
    """A topic's name for a reader of `language`; topics belong to no list: default settings.LANGUAGE_CODE."""
    return reader_text(topic, "name", language=language, default_language=default_language or settings.LANGUAGE_CODE)

