"""manage.py compose_digest --list SLUG [--since DATE] [--segment NAME]: create a draft and print its id."""

from __future__ import annotations

from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from editorial.models import AuditEntry
from editorial.services import audit_command
from newsletter.services import NewsletterError, digest_compose
from subscribers.models import MailingList, Segment


class Command(BaseCommand):
    help = "Compose a draft digest from the items published since the list's last sent digest; prints the digest id."

    def add_arguments(self, parser):
        parser.add_argument("--list", required=True, metavar="SLUG")
        parser.add_argument("--since", metavar="DATE", help="items published after this date/time (list time zone)")
        parser.add_argument("--segment", metavar="NAME", help="a saved segment of the list")
        parser.add_argument("--subject", help="default: '<list name>: <today>'")
        parser.add_argument("--preheader", default="")
        parser.add_argument("--intro", default="")

    def handle(self, *args, **options):
        mailing_list = MailingList.objects.filter(slug=options["list"]).first()
        if mailing_list is None:
            raise CommandError(f"No mailing list with slug {options['list']!r}.")
        segment_id = None
        if options["segment"]:
            segment = Segment.objects.filter(mailing_list=mailing_list, name=options["segment"]).first()
            if segment is None:
                raise CommandError(f"The list {mailing_list.slug} has no segment named {options['segment']!r}.")
            segment_id = segment.id
        since = self._since(options["since"], mailing_list) if options["since"] else None
        subject = options["subject"] or ""  # none given: "{list}: {date}", the date in each reader's language
        try:
            digest = digest_compose(
                mailing_list_id=mailing_list.id,
                segment_id=segment_id,
                subject=subject,
                subject_template="{list}: {date}",
                subject_date=timezone.localtime(timezone.now(), mailing_list.zone).date(),
                preheader=options["preheader"],
                intro=options["intro"],
                since=since,
            )
        except NewsletterError as exc:
            raise CommandError(str(exc)) from None
        audit_command(command="compose_digest", action=AuditEntry.Action.DIGEST_CREATED, target=digest)
        self.stderr.write(f"Draft digest {digest.id} with {digest.digest_items.count()} items: {digest.subject}")
        self.stdout.write(str(digest.id))

    def _since(self, value: str, mailing_list: MailingList) -> datetime:
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            raise CommandError(f"--since {value!r} is not a date; use 2026-11-01 or 2026-11-01T08:00") from None
        if timezone.is_naive(parsed):
            parsed = parsed.replace(tzinfo=mailing_list.zone)
        return parsed
