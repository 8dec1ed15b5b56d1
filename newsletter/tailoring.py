"""Tailored digests (Digest.tailored): each reader gets only the items of the topics she chose.

A reader's *interest signature* says which of the digest's topics she holds, as one integer that the database
computes for every reader at once (`signature_expression`, PostgreSQL and SQLite alike): bit 0 is set when she
chose any topic at all, bit i + 1 when she holds the digest's i-th topic (`Interests.topic_ids`). Python maps
each signature to its item set (`Interests.items_for`; several signatures can give the same set): items without
a topic go to everybody, a reader who chose no topic (signature 0) gets every item, and one whose topics match
no item gets an empty set and is skipped (SKIP_REASON). One variant is rendered per (language, item set) that
readers actually need, premailer once each, and no more than TAILORED_VARIANTS_MAX
(docs/decisions/0021-tailored-digests.md).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import BigIntegerField, Case, IntegerField, OuterRef, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from newsletter.models import DigestItem, DigestVariant, NewsItem
from subscribers.models import Subscriber

# What a skipped delivery of a tailored digest says in the account (Delivery.error).
SKIP_REASON = "no item matches her interests"

# Bits of a signature: bit 0 (chose any topic) and one per topic, in a signed 64-bit integer.
MAX_TOPICS = 62


class TailoringError(Exception):
    """A tailored digest that cannot be sent as it is (the message says why, in the interface's language)."""


@dataclass(frozen=True)
class Interests:
    topic_ids: tuple[int, ...]  # the topics the digest's items carry; topic i is bit i + 1 of a signature
    item_topics: tuple[tuple[int, frozenset[int]], ...]  # (news item id, its topic ids) in the digest's order

    def items_for(self, signature: int) -> tuple[int, ...]:
        """The ids of the items a reader with this signature gets, in the digest's order (empty: she is skipped)."""
        if signature == 0:
            return tuple(item for item, _topics in self.item_topics)
        held = {topic for bit, topic in enumerate(self.topic_ids) if signature >> (bit + 1) & 1}
        return tuple(item for item, topics in self.item_topics if not topics or topics & held)


@dataclass(frozen=True)
class Need:
    """A variant readers need: a language and an item set, and how many readers it has."""

    language: str
    item_ids: tuple[int, ...]
    readers: int


def digest_interests(*, digest_id: int) -> Interests:
    """The digest's items with their topics, and the topics they carry (in id order: the signature's bits)."""
    item_ids = list(DigestItem.objects.filter(digest_id=digest_id).order_by("position", "id")
                    .values_list("news_item_id", flat=True))
    topics: dict[int, set[int]] = {item: set() for item in item_ids}
    for item, topic in NewsItem.topics.through.objects.filter(newsitem_id__in=item_ids).values_list("newsitem_id", "topic_id"):
        topics[item].add(topic)
    topic_ids = tuple(sorted({topic for held in topics.values() for topic in held}))
    if len(topic_ids) > MAX_TOPICS:
        raise TailoringError(_("A tailored digest can use at most %(max)d topics; its items have %(count)d.")
                             % {"max": MAX_TOPICS, "count": len(topic_ids)})
    return Interests(topic_ids=topic_ids, item_topics=tuple((item, frozenset(topics[item])) for item in item_ids))


def signature_expression(interests: Interests, *, subscriber: str = "pk"):
    """The interest signature of the subscriber whose id is the outer query's `subscriber` field: one sub-query
    summing her topics' bits over the subscriber-topic table (no row: she chose no topic, 0)."""
    bits = [When(topic_id=topic, then=Value(1 << (bit + 1))) for bit, topic in enumerate(interests.topic_ids)]
    topic_bits = Case(*bits, default=Value(0), output_field=BigIntegerField()) if bits else Value(0, BigIntegerField())
    chosen = (
        Subscriber.topics.through.objects.filter(subscriber_id=OuterRef(subscriber))
        .order_by()
        .values("subscriber_id")
        .annotate(signature=Sum(topic_bits, output_field=BigIntegerField()) + Value(1, IntegerField()))
        .values("signature")
    )
    return Coalesce(Subquery(chosen, output_field=BigIntegerField()), Value(0, BigIntegerField()))


def item_key(item_ids: Iterable[int]) -> str:
    """DigestVariant.item_key of an item set: the ids, sorted, comma-separated."""
    return ",".join(str(item) for item in sorted(item_ids))


def variants_needed(*, counts: Iterable[tuple[str, int, int]], interests: Interests) -> list[Need]:
    """The variants that readers counted as (language, signature, readers) need: one per language and non-empty
    item set, most readers first. Raises TailoringError above TAILORED_VARIANTS_MAX."""
    readers: dict[tuple[str, tuple[int, ...]], int] = {}
    for language, signature, count in counts:
        items = interests.items_for(signature)
        if items:
            readers[(language, items)] = readers.get((language, items), 0) + count
    needs = sorted((Need(language, items, count) for (language, items), count in readers.items()),
                   key=lambda need: (-need.readers, need.language, need.item_ids))
    variants_refuse_too_many(count=len(needs))
    return needs


def variants_refuse_too_many(*, count: int) -> None:
    if count > settings.TAILORED_VARIANTS_MAX:
        raise TailoringError(
            _("This tailored digest needs %(count)d variants (one per language and set of items); at most %(max)d "
              "are allowed (TAILORED_VARIANTS_MAX). Put its items under fewer topics, or send it untailored.")
            % {"count": count, "max": settings.TAILORED_VARIANTS_MAX})


def variant_map(*, keys: Iterable[tuple[str, int]], interests: Interests, variants: list[DigestVariant],
                render_missing: Callable[[list[tuple[str, tuple[int, ...]]]], list[DigestVariant]] | None = None
                ) -> dict[tuple[str, int], DigestVariant | None]:
    """(language, signature) -> the variant those readers get, or None when their item set is empty (skipped).

    A key whose variant was not rendered (a reader who joined or changed her topics since) has one rendered by
    `render_missing` when given, else maps to None."""
    by_items = {(variant.language, variant.item_key): variant for variant in variants}
    items_of = {key: interests.items_for(key[1]) for key in keys}
    missing = list(dict.fromkeys((language, items) for (language, _signature), items in items_of.items()
                                 if items and (language, item_key(items)) not in by_items))
    if missing and render_missing is not None:
        variants_refuse_too_many(count=len(by_items) + len(missing))
        for variant in render_missing(missing):
            by_items[(variant.language, variant.item_key)] = variant
    return {key: by_items.get((key[0], item_key(items))) if items else None for key, items in items_of.items()}
