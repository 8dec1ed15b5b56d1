"""The public lists and the topics the subscribe form offers, kept a few seconds in each web process.

They change a few times a year and every subscribe request validates against them, so each process
reads them at most once per CHOICES_SECONDS instead of once per request. Staleness is safe both ways:
a slug the cache does not know makes the form read them again at once (a list just created or made
public works immediately), and the subscribe service resolves slugs to public lists in its own INSERT,
so a list made private or deleted a moment ago is refused (services.ChoicesChanged,
then forget() and validate again); the page itself (GET) always reads them fresh.
"""

from __future__ import annotations

import time

from django.utils import translation

from subscribers.models import MailingList, Topic, list_label
from subscribers.texts import list_text, topic_name

CHOICES_SECONDS = 10.0

# Model rows (every language's name), named per language when asked: the cache serves every page language.
_cached: dict[str, tuple[float, list]] = {}


def _load(name: str) -> list:
    if name == "lists":
        return list(MailingList.objects.filter(is_public=True).select_related("organisation").order_by("pk"))
    return list(Topic.objects.order_by("pk"))


def _get(name: str) -> list:
    now = time.monotonic()
    entry = _cached.get(name)
    if entry is None or now - entry[0] > CHOICES_SECONDS:
        entry = (now, _load(name))
        _cached[name] = entry  # one assignment: threads of a gthread worker see the old or the new list
    return entry[1]


def _named(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return sorted(pairs, key=lambda pair: (pair[1].casefold(), pair[0]))


def public_lists(language: str | None = None) -> list[tuple[str, str]]:
    """(slug, name) of every public list, by name, named in `language` (default: the page's active language)."""
    language = language or translation.get_language()
    rows = _get("lists")
    # Lists of several organisations on one form: each names its own (whose consent and emails they are).
    several = len({mailing_list.organisation_id for mailing_list in rows}) > 1
    return _named([(ml.slug, list_label(list_text(ml, "name", language=language), ml.organisation.name) if several
                    else list_text(ml, "name", language=language)) for ml in rows])


def topics(language: str | None = None) -> list[tuple[str, str]]:
    """(slug, name) of every topic, by name, named in `language` (default: the page's active language)."""
    language = language or translation.get_language()
    return _named([(topic.slug, topic_name(topic, language=language)) for topic in _get("topics")])


def forget() -> None:
    """Read them from the database on next use."""
    _cached.clear()
