"""Reads for news items, digests and the archive."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.db.models import QuerySet

from newsletter.models import Digest, DigestItem, NewsItem
from subscribers.models import MailingList, Subscription

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


def web_version_key(*, digest_id: int) -> str:
    return signing.Signer(salt=_WEB_VERSION_SALT).sign(str(digest_id)).split(":", 1)[1]


def web_version_key_is_valid(*, digest_id: int, key: str) -> bool:
    try:
        return signing.Signer(salt=_WEB_VERSION_SALT).unsign(f"{digest_id}:{key}") == str(digest_id)
    except signing.BadSignature:
        return False


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


def audience_languages(*, mailing_list: MailingList) -> list[str]:
    """Languages of the list's active subscribers, most common first; the list's default if nobody is active."""
    from django.db.models import Count

    rows = (
        Subscription.objects.filter(mailing_list=mailing_list, status=Subscription.Status.ACTIVE)
        .values("subscriber__language")
        .annotate(n=Count("id"))
        .order_by("-n", "subscriber__language")
    )
    languages = [row["subscriber__language"] for row in rows if row["subscriber__language"]]
    return languages or [mailing_list.default_language]


def item_in_language(*, item: NewsItem, language: str) -> NewsItem:
    """The translation of `item` in `language` when one exists (same translation_key), else the item itself."""
    if item.language == language or not item.translation_key:
        return item
    translation = (
        NewsItem.objects.filter(translation_key=item.translation_key, language=language).order_by("-published_at").first()
    )
    return translation or item


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
        .select_related("mailing_list")
        .order_by("-finished_at", "-send_at", "-id")
    )
