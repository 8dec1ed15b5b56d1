"""Reads of the desk's news, image and feed pages, always narrowed to what the person sees."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from editorial.access import visible
from newsletter.models import Feed, ImportProblem, MediaImage, NewsItem
from newsletter.selectors import feed_import_counts


def news_items_for(user, *, query: str = "", language: str = "") -> QuerySet[NewsItem]:
    items = visible(NewsItem.objects.all(), user)
    if query:
        items = items.filter(Q(title__icontains=query) | Q(summary__icontains=query) | Q(dateline__icontains=query))
    if language:
        items = items.filter(language=language)
    return items.order_by("-published_at", "-id")


def media_images_for(user) -> QuerySet[MediaImage]:
    return visible(MediaImage.objects.select_related("organisation"), user).order_by("-created_at", "-id")


@dataclass(frozen=True)
class FeedState:
    feed: Feed
    waiting: bool  # no import has ended yet
    items: int
    problems: int


def feed_state(feed: Feed) -> FeedState:
    counts = feed_import_counts(feed=feed)
    return FeedState(feed=feed, waiting=feed.last_success_at is None and not feed.last_error,
                     items=counts.items, problems=counts.problems)


def feed_states_for(user) -> list[FeedState]:
    return [feed_state(feed) for feed in visible(Feed.objects.select_related("mailing_list"), user)]


def feed_recent_items(feed: Feed, user, *, limit: int = 30) -> list[NewsItem]:
    return list(visible(NewsItem.objects.filter(source=feed.source), user).order_by("-published_at", "-id")[:limit])


def feed_recent_problems(feed: Feed, user, *, limit: int = 10) -> list[ImportProblem]:
    return list(visible(ImportProblem.objects.filter(feed_id=feed.pk), user).order_by("-created_at", "-id")[:limit])
