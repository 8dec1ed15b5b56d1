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

from subscribers.models import MailingList, Topic, list_label

CHOICES_SECONDS = 10.0

_cached: dict[str, tuple[float, list[tuple[str, str]]]] = {}


def _load(name: str) -> list[tuple[str, str]]:
    if name == "lists":
        rows = MailingList.objects.filter(is_public=True).order_by("name", "pk").values_list("slug", "name",
                                                                                             "organisation__name")
        # Lists of several organisations on one form: each names its own (whose consent and emails they are).
        several = len({organisation for _slug, _name, organisation in rows}) > 1
        return [(slug, list_label(name, organisation) if several else name) for slug, name, organisation in rows]
    else:
        rows = Topic.objects.order_by("name", "pk").values_list("slug", "name")
    return list(rows)


def _get(name: str) -> list[tuple[str, str]]:
    now = time.monotonic()
    entry = _cached.get(name)
    if entry is None or now - entry[0] > CHOICES_SECONDS:
        entry = (now, _load(name))
        _cached[name] = entry  # one assignment: threads of a gthread worker see the old or the new list
    return entry[1]


def public_lists() -> list[tuple[str, str]]:
    """(slug, name) of every public list, by name."""
    return _get("lists")


def topics() -> list[tuple[str, str]]:
    """(slug, name) of every topic, by name."""
    return _get("topics")


def forget() -> None:
    """Read them from the database on next use."""
    _cached.clear()
