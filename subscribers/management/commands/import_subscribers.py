"""manage.py import_subscribers FILE --list SLUG [--consent-source TEXT] [--skip-invalid]"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from editorial.models import AuditEntry
from editorial.services import audit_command
from subscribers.imports import ImportFailed, subscribers_import
from subscribers.models import MailingList


class Command(BaseCommand):
    help = "Import subscribers from a UTF-8 CSV file (columns: email, name, language, country, topics, custom...)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="path to the CSV file")
        parser.add_argument("--list", required=True, dest="list_slug", help="slug of the list to add them to")
        parser.add_argument("--consent-source", default="", help="where and how these people gave consent")
        parser.add_argument("--skip-invalid", action="store_true", help="import the valid rows and report the others")

    def handle(self, *args, file: str, list_slug: str, consent_source: str, skip_invalid: bool, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        try:
            report = subscribers_import(
                data=path.read_bytes(), list_slug=list_slug, consent_source=consent_source, skip_invalid=skip_invalid
            )
        except ImportFailed as failure:
            if failure.report is not None:
                for line in failure.report.lines():
                    self.stderr.write(line)
                self.stderr.write(failure.report.summary())
            raise CommandError(str(failure)) from None
        for line in report.lines():
            self.stdout.write(line)
        audit_command(command="import_subscribers", action=AuditEntry.Action.SUBSCRIBERS_IMPORTED,
                      target=MailingList.objects.get(slug=list_slug), description=report.summary(), extra={"file": path.name})
        self.stdout.write(self.style.SUCCESS(report.summary()))
