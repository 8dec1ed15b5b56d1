"""Reads of the compose page and the digests list: the item cards an editor picks from, the digests she may open."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.db.models import QuerySet

from editorial.access import visible
from newsletter.models import Digest, NewsItem
from newsletter.selectors import digest_items, suggested_items


@dataclass(frozen=True)
class Card:
    item: NewsItem
    languages: list[str]  # the languages the story exists in (its own first)
    chosen: bool

    @property
    def source(self) -> str:
        """Where the item came from, as an editor names it: a feed's site, a CSV file, or typed by hand."""
        kind, _sep, rest = self.item.source.partition(":")
        if kind == "feed":
            return urlsplit(rest).hostname or rest
        return rest or kind


def compose_cards(*, mailing_list_id: int | None, chosen_ids: list[int], digest_id: int | None = None) -> list[Card]:
    """The chosen items in their order, then the list's other suggested items (newest first). A saved draft's
    items are offered too, so an item that is no longer suggested can still be kept or removed."""
    offered: dict[int, NewsItem] = {}
    if digest_id is not None:
        offered |= {item.pk: item for item in digest_items(digest_id=digest_id)}
    if mailing_list_id is not None:
        offered |= {item.pk: item for item in suggested_items(mailing_list_id=mailing_list_id)}
    chosen = [offered[item_id] for item_id in dict.fromkeys(chosen_ids) if item_id in offered]
    rest = [item for item in offered.values() if item.pk not in set(chosen_ids)]
    rest.sort(key=lambda item: (item.published_at, item.pk), reverse=True)
    story_languages = _story_languages([*chosen, *rest])
    return [Card(item=item, languages=story_languages.get(item.pk, [item.language]), chosen=item in chosen)
            for item in [*chosen, *rest]]


def offered_item_ids(*, mailing_list_id: int | None, digest_id: int | None = None) -> list[int]:
    """The items the compose form accepts for this list (and this draft)."""
    return [card.item.pk for card in compose_cards(mailing_list_id=mailing_list_id, chosen_ids=[], digest_id=digest_id)]


def _story_languages(items: list[NewsItem]) -> dict[int, list[str]]:
    keys = {item.translation_key for item in items if item.translation_key}
    by_key: dict[str, set[str]] = {}
    for key, language in NewsItem.objects.filter(translation_key__in=keys).values_list("translation_key", "language"):
        by_key.setdefault(key, set()).add(language)
    return {item.pk: [item.language, *sorted(by_key.get(item.translation_key, set()) - {item.language})]
            for item in items}


def desk_digests(*, user) -> QuerySet[Digest]:
    """The digests `user` may see, newest first."""
    return visible(Digest.objects.select_related("mailing_list", "segment"), user).order_by("-created_at", "-id")
