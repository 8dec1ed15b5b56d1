"""manage.py import_news --feed URL | --file PATH [--list SLUG ...] | --due-feeds"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from newsletter.importing import (
    csv_import_file,
    feed_import_file,
    feed_import_url,
    feed_poll,
    feeds_claim_due,
    mailing_list_ids_for_slugs,
)
from newsletter.services import NewsletterError


class Command(BaseCommand):
    help = (
        "Import news items from an RSS/Atom feed URL, or from a file (.csv, or an RSS/Atom document). "
        "Re-importing updates items instead of duplicating them."
    )

    def add_arguments(self, parser):
        source = parser.add_mutually_exclusive_group(required=True)
        source.add_argument("--feed", metavar="URL", help="RSS or Atom feed URL (a registered feed is polled as such)")
        source.add_argument("--file", metavar="PATH", help="a .csv file, or an RSS/Atom document")
        source.add_argument("--due-feeds", action="store_true", help="poll every registered feed that is due now")
        parser.add_argument("--list", dest="lists", action="append", default=[], metavar="SLUG",
                            help="attach the imported items to this mailing list (repeatable)")

    def handle(self, *args, feed=None, file=None, due_feeds=False, lists=(), **options):
        try:
            list_ids = mailing_list_ids_for_slugs(lists) if lists else []
            if due_feeds:
                for feed_id in feeds_claim_due():
                    self.stdout.write(f"feed {feed_id}: {feed_poll(feed_id=feed_id)}")
                return
            if feed:
                result = feed_import_url(url=feed, mailing_list_ids=list_ids)
            else:
                path = Path(file)
                if not path.is_file():
                    raise CommandError(f"No such file: {path}")
                if path.suffix.lower() == ".csv":
                    result = csv_import_file(path=path, mailing_list_ids=list_ids)
                else:
                    result = feed_import_file(path=path, mailing_list_ids=list_ids)
        except NewsletterError as exc:
            raise CommandError(str(exc)) from None
        if result.error:
            raise CommandError(result.error)
        for problem in result.problems:
            self.stderr.write(f"skipped {problem}")
        self.stdout.write(str(result))
