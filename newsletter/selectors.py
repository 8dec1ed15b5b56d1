"""Reads for news items, digests and the archive."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core import signing
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from newsletter.models import Digest, DigestItem, Feed, ImportProblem, NewsItem
from subscribers.models import MailingList
from subscribers.selectors import audience_subscribers

# The web version of a digest on a private list is only reachable with this signed key, which the
# view-in-browser link carries; public lists' sent digests are open to everyone at /archive/<id>/.
_WEB_VERSION_SALT = "newsletter.web_version.v1"

# Digests whose web version a recipient may open through the view-in-browser link.
WEB_VISIBLE_STATUSES = (
    Digest.Status.PREPARING,
    Digest.Status.SENDING,
    Digest.Status.PAUSED,
    Digest.Status.SENT,
)


def _digest_key(salt: str, digest_id: int) -> str:
    return signing.Signer(salt=salt).sign(str(digest_id)).split(":", 1)[1]


def _digest_key_is_valid(salt: str, digest_id: int, key: str) -> bool:
    try:
        return signing.Signer(salt=salt).unsign(f"{digest_id}:{key}") == str(digest_id)
    except signing.BadSignature:
        return False


def web_version_key(*, digest_id: int) -> str:
    return _digest_key(_WEB_VERSION_SALT, digest_id)


def web_version_key_is_valid(*, digest_id: int, key: str) -> bool:
    return _digest_key_is_valid(_WEB_VERSION_SALT, digest_id, key)


# A test email's links (view in browser, unsubscribe, preferences) carry this key instead: they open the web
# version whatever the digest's status and a page that says nothing was changed, never a subscriber's page.
_TEST_EMAIL_SALT = "newsletter.test_email.v1"
TEST_LINKS = ("unsubscribe", "preferences")


def editor_test_key(*, digest_id: int) -> str:
    return _digest_key(_TEST_EMAIL_SALT, digest_id)


def editor_test_key_is_valid(*, digest_id: int, key: str) -> bool:
    return _digest_key_is_valid(_TEST_EMAIL_SALT, digest_id, key)


def editor_test_urls(*, digest_id: int, language: str) -> dict[str, str]:
    """The link placeholders of a test email (keys as in newsletter.placeholders.ALL)."""
    query = f"?t={editor_test_key(digest_id=digest_id)}&lang={language}"
    return {
        "web_url": f"{settings.SITE_URL}/archive/{digest_id}/{query}",
        **{f"{link}_url": f"{settings.SITE_URL}/test-email/{digest_id}/{link}/{query}" for link in TEST_LINKS},
    }


def web_version_url(*, digest_id: int, language: str | None = None) -> str:
    """Absolute URL of the digest's web version (the view-in-browser page), from settings.SITE_URL.

    It carries no personal value, so the delivery engine can fill %%web_url%% with the same string
    for every recipient of a variant. `language` picks the variant shown (default: the first one).
    """
    url = f"{settings.SITE_URL}/archive/{digest_id}/?k={web_version_key(digest_id=digest_id)}"
    if language:
        url += f"&lang={language}"
    return url


def digest_items(*, digest_id: int) -> list[NewsItem]:
    """The items chosen for a digest, in the editor's order."""
    rows = DigestItem.objects.filter(digest_id=digest_id).select_related("news_item").order_by("position", "id")
    return [row.news_item for row in rows]


def audience_languages(*, mailing_list: MailingList, segment_id: int | None = None) -> list[str]:
    """Languages of the digest's audience (active, not suppressed, in the segment), most common first.

    The list's default language when the audience is empty, so there is always one variant.
    """
    rows = (
        audience_subscribers(list_id=mailing_list.id, segment_id=segment_id)
        .order_by()
        .values("language")
        .annotate(n=Count("id"))
        .order_by("-n", "language")
    )
    languages = [row["language"] for row in rows if row["language"]]
    return languages or [mailing_list.default_language]


def items_in_language(*, items: list[NewsItem], language: str) -> list[NewsItem]:
    """Each item's translation in `language` when one exists (same translation_key, the newest), else the item
    itself; one query for all of them."""
    keys = {item.translation_key for item in items if item.language != language and item.translation_key}
    newest: dict[str, NewsItem] = {}
    if keys:
        for translation in NewsItem.objects.filter(translation_key__in=keys, language=language).order_by("-published_at", "-id"):
            newest.setdefault(translation.translation_key, translation)
    return [item if item.language == language or not item.translation_key else newest.get(item.translation_key, item)
            for item in items]


def last_sent_digest(*, mailing_list_id: int) -> Digest | None:
    return (
        Digest.objects.filter(mailing_list_id=mailing_list_id, status=Digest.Status.SENT)
        .order_by("-finished_at", "-send_at", "-id")
        .first()
    )


def archive_digests() -> QuerySet[Digest]:
    """Sent digests of public lists, newest first."""
    return (
        Digest.objects.filter(status=Digest.Status.SENT, mailing_list__is_public=True)
        .select_related("mailing_list__organisation")
        .order_by("-finished_at", "-send_at", "-id")
    )


def last_sent_at(*, mailing_list_id: int) -> datetime | None:
    """When the list's last sent digest went out (its start, else its scheduled time)."""
    digest = last_sent_digest(mailing_list_id=mailing_list_id)
    if digest is None:
        return None
    return digest.started_at or digest.send_at or digest.finished_at or digest.created_at


def suggested_items(*, mailing_list_id: int, since: datetime | None = None) -> list[NewsItem]:
    """Items for the list (or for no list in particular) published after `since`, newest first.

    `since` defaults to the time of the list's last sent digest (everything, for a list that never
    sent one). Translations of one story (same translation_key) are suggested once, in the list's
    default language when available: rendering picks each variant's language itself.
    """
    mailing_list = MailingList.objects.get(pk=mailing_list_id)
    if since is None:
        since = last_sent_at(mailing_list_id=mailing_list_id)
    items = NewsItem.objects.filter(
        Q(mailing_lists=mailing_list) | Q(mailing_lists__isnull=True), published_at__lte=timezone.now()
    )
    if since is not None:
        items = items.filter(published_at__gt=since)
    chosen: dict[str, NewsItem] = {}
    for item in items.distinct().order_by("-published_at", "-id"):
        key = item.translation_key or f"#{item.pk}"
        current = chosen.get(key)
        if current is None or (item.language == mailing_list.default_language != current.language):
            chosen[key] = item
    return sorted(chosen.values(), key=lambda i: (i.published_at, i.pk), reverse=True)


def web_page_items(*, digest_id: int, language: str) -> list[NewsItem]:
    """The digest's items in `language` (translations where they exist), each story once, bodies
    sanitised again at display time so nothing unsafe stored by an older code path reaches a page."""
    from newsletter.sanitising import clean_html

    shown: list[NewsItem] = []
    seen: set[int] = set()
    for translated in items_in_language(items=digest_items(digest_id=digest_id), language=language):
        if translated.pk in seen:
            continue
        seen.add(translated.pk)
        translated.body_html = clean_html(translated.body_html)
        shown.append(translated)
    return shown


@dataclass(frozen=True)
class FeedImportCounts:
    items: int
    problems: int


def feed_import_counts(*, feed: Feed) -> FeedImportCounts:
    """What a feed has brought in so far: its news items (by source) and the entries it could not import."""
    return FeedImportCounts(
        items=NewsItem.objects.filter(source=feed.source).count(),
        problems=ImportProblem.objects.filter(feed_id=feed.pk).count(),
    )


def media_image_news_items(*, image_url: str, file_name: str) -> QuerySet[NewsItem]:
    """The news items that show a library image: their image_url is its address `image_url` (copied there when it
    was picked, decision 0023), or ends with its stored `file_name` (unique per upload), so that an item saved
    under another SITE_URL still counts."""
    return (NewsItem.objects.filter(Q(image_url=image_url) | Q(image_url__endswith=f"/{file_name}"))
            .order_by("-published_at", "-id"))
