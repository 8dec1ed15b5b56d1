"""Importing news items: RSS/Atom feeds (feedparser) and CSV files.

Feeds import entry by entry: a malformed entry is recorded as an ImportProblem with its reason and
the good entries still import; a broken or unreachable feed is recorded on Feed.last_error. A CSV
file is all-or-nothing: any bad row refuses the whole file with every row's reason.
Both are idempotent by (source, source_id): importing the same thing twice stores each item once.
"""

from __future__ import annotations

import calendar
import csv
import io
import logging
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import feedparser
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from newsletter.feed_fetching import FeedFetchError, FetchedFeed, feed_fetch
from newsletter.models import Feed, ImportProblem, NewsItem
from newsletter.sanitising import clean_html, plain_text
from newsletter.services import NEWS_ITEM_FIELDS, NewsletterError, news_item_upsert
from subscribers.models import MailingList, Topic

log = logging.getLogger(__name__)

USER_AGENT = "publisher-feed-reader/1.0 (+newsletter)"
FEED_POLL_INTERVAL = timedelta(minutes=30)


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    problems: list[str] = field(default_factory=list)
    not_modified: bool = False
    error: str = ""

    def __str__(self) -> str:
        if self.error:
            return _("failed: %(error)s") % {"error": self.error}
        if self.not_modified:
            return _("not modified since the last poll")
        text = _("%(created)d new, %(updated)d updated") % {"created": self.created, "updated": self.updated}
        return text + (_(", %(count)d skipped") % {"count": len(self.problems)} if self.problems else "")


# --- Feeds -------------------------------------------------------------------------------------------


def feeds_claim_due(*, now: datetime | None = None) -> list[int]:
    """Ids of active feeds not polled for FEED_POLL_INTERVAL, each claimed by a conditional UPDATE of
    last_polled_at, so two beats (or a doubled poke) never poll one feed twice in an interval."""
    now = now or timezone.now()
    cutoff = now - FEED_POLL_INTERVAL
    claimed = []
    candidates = Feed.objects.filter(is_active=True).filter(last_polled_at__isnull=True) | Feed.objects.filter(
        is_active=True, last_polled_at__lt=cutoff
    )
    for feed_id, polled_at in candidates.values_list("id", "last_polled_at"):
        if Feed.objects.filter(pk=feed_id, last_polled_at=polled_at).update(last_polled_at=now):
            claimed.append(feed_id)
    return claimed


def feed_poll(*, feed_id: int) -> ImportResult:
    """Fetch one registered feed (conditional GET with its ETag/Last-Modified) and import its entries."""
    feed = Feed.objects.select_related("mailing_list").get(pk=feed_id)
    headers = {"User-Agent": USER_AGENT, "Accept": "application/atom+xml, application/rss+xml, application/xml;q=0.9, */*;q=0.5"}
    if feed.etag:
        headers["If-None-Match"] = feed.etag
    if feed.modified:
        headers["If-Modified-Since"] = feed.modified
    now = timezone.now()
    try:
        fetched = feed_fetch(feed.url, headers)
    except FeedFetchError as exc:
        return _feed_failed(feed, now, str(exc))
    if fetched.status == 304:
        Feed.objects.filter(pk=feed.pk).update(last_polled_at=now, last_success_at=now, last_error="")
        return ImportResult(not_modified=True)
    parsed = _parse(fetched)
    error = _feed_document_error(parsed)
    if error:
        return _feed_failed(feed, now, error)
    result = import_parsed_feed(
        parsed,
        source=feed.source,
        mailing_list_ids=[feed.mailing_list_id],
        default_language=feed.language or feed.mailing_list.default_language,
        feed=feed,
    )
    Feed.objects.filter(pk=feed.pk).update(
        etag=(fetched.headers.get("etag") or "")[:300],
        modified=(fetched.headers.get("last-modified") or "")[:100],
        last_polled_at=now,
        last_success_at=now,
        last_error="",
    )
    return result


def feed_add(*, mailing_list_id: int, url: str, name: str = "", language: str = "") -> Feed:
    """Register a feed and import it at once: on the feeds queue once the save commits, as the admin does on save
    (a feed server decides how long a fetch takes, so never inside the request)."""
    from newsletter import tasks

    feed = Feed(mailing_list_id=mailing_list_id, url=url.strip(), name=plain_text(name)[:200], language=language)
    if Feed.objects.filter(mailing_list_id=mailing_list_id, url=feed.url).exists():
        raise NewsletterError(_("This list already has this feed."))
    try:
        feed.full_clean(exclude=["mailing_list"], validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        raise NewsletterError(" ".join(exc.messages)) from None
    with transaction.atomic():
        feed.save()
        tasks.feeds_poll_enqueue([feed.pk])
    log.info("event=feed_added", extra={"feed_id": feed.pk, "mailing_list_id": mailing_list_id})
    return feed


def feed_import_url(*, url: str, mailing_list_ids: list[int] = ()) -> ImportResult:
    """On-demand import of a feed URL (manage.py import_news --feed). Registered feeds are polled as such."""
    registered = list(Feed.objects.filter(url=url).values_list("id", flat=True))
    if registered:
        results = [feed_poll(feed_id=feed_id) for feed_id in registered]
        for mailing_list_id in mailing_list_ids:
            _attach_source_to_list(source=Feed(url=url).source, mailing_list_id=mailing_list_id)
        return _merge(results)
    try:
        fetched = feed_fetch(url, {"User-Agent": USER_AGENT})
    except FeedFetchError as exc:
        return ImportResult(error=str(exc))
    parsed = _parse(fetched)
    error = _feed_document_error(parsed)
    if error:
        return ImportResult(error=error)
    return import_parsed_feed(parsed, source=Feed(url=url).source, mailing_list_ids=list(mailing_list_ids))


def _parse(fetched: FetchedFeed):
    # Bytes, never a URL: feedparser would fetch a URL itself, past every check of feed_fetching.
    return feedparser.parse(fetched.content, response_headers=fetched.headers)


def feed_import_file(*, path: Path, mailing_list_ids: list[int] = ()) -> ImportResult:
    """Import an RSS/Atom document saved on disk; its items' source is `file:<name>`."""
    parsed = feedparser.parse(path.read_bytes())
    error = _feed_document_error(parsed)
    if error:
        return ImportResult(error=error)
    return import_parsed_feed(parsed, source=f"file:{path.name}"[:200], mailing_list_ids=list(mailing_list_ids))


def import_parsed_feed(
    parsed, *, source: str, mailing_list_ids: list[int], default_language: str = "", feed: Feed | None = None
) -> ImportResult:
    result = ImportResult()
    feed_language = _language(parsed.feed.get("language", "")) or default_language or settings.LANGUAGE_CODE
    atom = (parsed.get("version") or "").startswith("atom")
    for index, entry in enumerate(parsed.entries, start=1):
        reference = (entry.get("id") or entry.get("link") or f"entry #{index}")[:500]
        try:
            source_id, fields = entry_fields(entry, default_language=feed_language, atom=atom)
            with transaction.atomic():
                _item, created = news_item_upsert(
                    source=source, source_id=source_id, fields=fields, mailing_list_ids=mailing_list_ids
                )
        except (NewsletterError, DatabaseError, ValueError, TypeError) as exc:
            reason = str(exc) or exc.__class__.__name__
            ImportProblem.objects.create(feed=feed, source=source, reference=reference, reason=reason)
            result.problems.append(f"{reference}: {reason}")
            continue
        if created:
            result.created += 1
        else:
            result.updated += 1
    return result


def entry_fields(entry, *, default_language: str, atom: bool = False) -> tuple[str, dict]:
    """(source_id, NewsItem fields) of one feedparser entry; raises NewsletterError when it is unusable.
    The entry's own language wins over `default_language` (the feed's) when it is one of settings.LANGUAGES."""
    source_id = (entry.get("id") or entry.get("link") or "").strip()
    if not source_id:
        raise NewsletterError(_("The entry has neither an id nor a link, so it cannot be recognised on the next import."))
    title = plain_text(entry.get("title", ""))
    if not title:
        raise NewsletterError(_("The entry has no title."))
    content = entry.get("content") or []
    body = content[0].get("value", "") if content else entry.get("summary", "")
    fields = {
        "title": title[:400],
        "summary": plain_text(entry.get("summary", ""))[:2000],
        "body_html": clean_html(body),
        "link": (entry.get("link") or "").strip()[:1000],
        "language": _entry_language(entry, atom=atom) or default_language,
    }
    published = entry.get("published_parsed") or entry.get("updated_parsed")
    if published:
        fields["published_at"] = datetime.fromtimestamp(calendar.timegm(published), tz=UTC)
    image_url, image_alt = _entry_image(entry)
    if image_url:
        fields["image_url"] = image_url[:1000]
        fields["image_alt"] = (image_alt or title)[:300]
    return source_id[:500], fields


def _entry_language(entry, *, atom: bool) -> str:
    """RSS: the item's <language> or <dc:language>. Atom: the xml:lang in force at the entry, which feedparser
    reports on the title (inherited from <feed> when the entry has none). Not in settings.LANGUAGES: ""."""
    language = _language(entry.get("language", ""))
    if not language and atom:
        # Only Atom: in RSS feedparser fills this from the HTTP Content-Language, over the channel's <language>.
        language = _language((entry.get("title_detail") or {}).get("language") or "")
    return language


def _entry_image(entry) -> tuple[str, str]:
    for media in entry.get("media_content", []) or []:
        if media.get("url") and (media.get("medium") == "image" or (media.get("type") or "").startswith("image/")):
            return media["url"], plain_text(entry.get("media_description", ""))
    for thumb in entry.get("media_thumbnail", []) or []:
        if thumb.get("url"):
            return thumb["url"], ""
    for enclosure in entry.get("enclosures", []) or []:
        if (enclosure.get("type") or "").startswith("image/") and enclosure.get("href"):
            return enclosure["href"], ""
    return "", ""


def _feed_document_error(parsed) -> str:
    """A reason when the document is not a usable feed at all (not when one entry is bad)."""
    if parsed.get("bozo") and not parsed.entries:
        return _("Not a valid RSS or Atom feed: %(error)s") % {"error": parsed.get("bozo_exception") or _("unreadable document")}
    if not parsed.get("version") and not parsed.entries:
        return _("Not an RSS or Atom feed (no feed element found).")
    return ""


def _feed_failed(feed: Feed, now: datetime, reason: str) -> ImportResult:
    Feed.objects.filter(pk=feed.pk).update(last_polled_at=now, last_error=reason)
    return ImportResult(error=reason)


def _attach_source_to_list(*, source: str, mailing_list_id: int) -> None:
    for item in NewsItem.objects.filter(source=source).exclude(mailing_lists=mailing_list_id):
        item.mailing_lists.add(mailing_list_id)


def _merge(results: list[ImportResult]) -> ImportResult:
    merged = ImportResult(not_modified=all(r.not_modified for r in results))
    for r in results:
        merged.created += r.created
        merged.updated += r.updated
        merged.problems += r.problems
        merged.error = merged.error or r.error
    return merged


def _known_languages() -> set[str]:
    return {code for code, _name in settings.LANGUAGES}


def _language(value: str) -> str:
    """The settings.LANGUAGES code of a language tag ("ar-EG" -> "ar"), or "" when the site does not offer it."""
    code = (value or "").strip().lower().replace("_", "-").split("-")[0]
    return code if code in _known_languages() else ""


# --- CSV ---------------------------------------------------------------------------------------------

CSV_COLUMNS = (
    "title", "published", "dateline", "summary", "body_html", "link", "image_url", "image_alt", "language",
    "translation_key", "source_id", "topics",
)  # fmt: skip


def csv_import(*, text: str, source: str = "csv", mailing_list_ids: list[int] = ()) -> ImportResult:
    """Import news items from CSV text with a header row (columns: CSV_COLUMNS; `title` and one of
    `source_id`/`link` required; `published` as ISO 8601 or the seed pages' dd.mm.yy; `topics` as
    topic slugs separated by `;`). All-or-nothing: any bad row raises NewsletterError naming every
    bad line, and nothing is written."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    try:
        columns = [c.strip() for c in (reader.fieldnames or [])]
    except csv.Error as exc:  # e.g. a lone carriage return: a clear error, not a server error
        raise NewsletterError(_("The header row is not valid CSV (%(error)s).") % {"error": exc}) from None
    if "title" not in columns:
        raise NewsletterError(_("The CSV file needs a header row with at least a 'title' column."))
    unknown = set(columns) - set(CSV_COLUMNS) - {""}
    if unknown:
        raise NewsletterError(_("Unknown CSV columns: %(unknown)s. Known: %(known)s.") % {
            "unknown": ", ".join(sorted(unknown)), "known": ", ".join(CSV_COLUMNS)})
    topics = {t.slug: t.id for t in Topic.objects.all()}
    zone = ZoneInfo(settings.TIME_ZONE)
    rows, errors = [], []
    try:
        for line, raw in enumerate(reader, start=2):
            row = {(k or "").strip(): (v or "").strip() for k, v in raw.items() if k}
            try:
                rows.append(_csv_row(row, topics=topics, zone=zone))
            except NewsletterError as exc:
                errors.append(_("line %(line)d: %(error)s") % {"line": line, "error": exc})
    except csv.Error as exc:
        raise NewsletterError(
            _("Nothing was imported. Line %(line)d is not valid CSV (%(error)s).") % {"line": reader.line_num, "error": exc}
        ) from None
    if errors:
        raise NewsletterError(_("Nothing was imported. %(errors)s") % {"errors": "; ".join(errors)})
    result = ImportResult()
    try:
        with transaction.atomic():
            for source_id, fields, topic_ids in rows:
                _item, created = news_item_upsert(
                    source=source, source_id=source_id, fields=fields, mailing_list_ids=mailing_list_ids, topic_ids=topic_ids
                )
                result.created += created
                result.updated += not created
    except NewsletterError as exc:
        raise NewsletterError(_("Nothing was imported. %(errors)s") % {"errors": exc}) from None
    return result


def csv_import_file(*, path: Path, mailing_list_ids: list[int] = ()) -> ImportResult:
    return csv_import(text=path.read_text(encoding="utf-8"), source=f"csv:{path.name}"[:200], mailing_list_ids=mailing_list_ids)


def _csv_row(row: dict, *, topics: dict[str, int], zone: ZoneInfo) -> tuple[str, dict, list[int]]:
    if not row.get("title"):
        raise NewsletterError(_("the title is empty"))
    source_id = row.get("source_id") or row.get("link")
    if not source_id:
        raise NewsletterError(_("give a source_id or a link, so a re-import updates instead of duplicating"))
    fields = {name: row[name] for name in NEWS_ITEM_FIELDS if row.get(name) and name != "published_at"}
    if row.get("language"):
        language = _language(row["language"])
        if not language:
            raise NewsletterError(_("unknown language %(language)r (use %(known)s)") % {
                "language": row["language"], "known": ", ".join(sorted(_known_languages()))})
        fields["language"] = language
    if row.get("published"):
        fields["published_at"] = _parse_when(row["published"], zone=zone)
    topic_ids = []
    for slug in filter(None, (s.strip() for s in row.get("topics", "").split(";"))):
        if slug not in topics:
            raise NewsletterError(_("unknown topic %(slug)r") % {"slug": slug})
        topic_ids.append(topics[slug])
    return source_id[:500], fields, topic_ids


def _parse_when(value: str, *, zone: ZoneInfo) -> datetime:
    for parse in (datetime.fromisoformat, lambda v: datetime.strptime(v, "%d.%m.%y"), lambda v: datetime.strptime(v, "%d.%m.%Y")):
        try:
            parsed = parse(value)
        except ValueError:
            continue
        if isinstance(parsed, date) and not isinstance(parsed, datetime):
            parsed = datetime(parsed.year, parsed.month, parsed.day)
        return parsed if timezone.is_aware(parsed) else parsed.replace(tzinfo=zone)
    raise NewsletterError(_("cannot read the date %(value)r (use 2025-04-17, 2025-04-17T09:30 or 17.04.25)") % {"value": value})


def mailing_list_ids_for_slugs(slugs: list[str]) -> list[int]:
    found = dict(MailingList.objects.filter(slug__in=slugs).values_list("slug", "id"))
    missing = [s for s in slugs if s not in found]
    if missing:
        raise NewsletterError(_("No mailing list with slug %(slugs)s.") % {"slugs": ", ".join(missing)})
    return [found[s] for s in slugs]
