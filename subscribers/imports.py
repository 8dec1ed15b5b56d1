"""CSV import of subscribers into one list: validate the whole file first, then write it in one transaction.

Columns: email (required), name, language, country, topics (slugs or names separated by ";"),
and any other column becomes a custom attribute. Every row gets a line in the report: added (new on
this list), updated (already on it; details refreshed), skipped (suppressed, erased, unsubscribed, or
waiting for her own confirmation: subscribers.transitions.import_refusal) or invalid (with the reason).
Any invalid row stops the whole file, and nothing is written, unless skip_invalid is set. An import never
makes anyone active who is not new to the list.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext_lazy

from subscribers import selectors, transitions
from subscribers.address_rules import public_domain_problem
from subscribers.csv_cells import restore
from subscribers.emails import email_hash, normalise_email
from subscribers.models import LANGUAGE_CHOICES, ConsentRecord, MailingList, Subscriber, Subscription, Suppression, Topic

_LANGUAGES = {code for code, _ in LANGUAGE_CHOICES}
_KNOWN = {"email", "name", "language", "country", "topics"}
# Written by the export (subscribers.exports) and ignored on import, so an exported file goes back in as it is.
_IGNORED = {"subscribed_at"}
MAX_ATTRIBUTE_LENGTH = 500
MAX_ROWS = 200_000


@dataclass
class RowResult:
    line: int  # line number in the file (the header is line 1)
    email: str
    outcome: str  # added | updated | skipped | invalid
    reason: str = ""

    @property
    def outcome_display(self) -> str:
        return str(_OUTCOMES.get(self.outcome, self.outcome))


_OUTCOMES = {"added": pgettext_lazy("import outcome", "added"), "updated": pgettext_lazy("import outcome", "updated"),
             "skipped": pgettext_lazy("import outcome", "skipped"), "invalid": pgettext_lazy("import outcome", "invalid")}


@dataclass
class ImportReport:
    mailing_list: str
    rows: list[RowResult] = field(default_factory=list)
    written: bool = False

    def count(self, outcome: str) -> int:
        return sum(1 for row in self.rows if row.outcome == outcome)

    def skipped_by_reason(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for row in self.rows:
            if row.outcome == "skipped":
                counts[row.reason] = counts.get(row.reason, 0) + 1
        return counts

    def summary(self) -> str:
        verdict = _("imported") if self.written else _("NOT imported: nothing was written")
        reasons = "; ".join(f"{count} {reason}" for reason, count in sorted(self.skipped_by_reason().items()))
        return _("%(list)s: %(verdict)s. added %(added)d, updated %(updated)d, skipped %(skipped)d%(reasons)s, "
                 "invalid %(invalid)d") % {
            "list": self.mailing_list, "verdict": verdict, "added": self.count("added"), "updated": self.count("updated"),
            "skipped": self.count("skipped"), "reasons": f" ({reasons})" if reasons else "", "invalid": self.count("invalid"),
        }

    def lines(self) -> list[str]:
        return [_("line %(line)d: %(email)s: %(outcome)s")
                % {"line": r.line, "email": r.email or "-", "outcome": r.outcome_display}
                + (": " + r.reason if r.reason else "") for r in self.rows]


class ImportFailed(Exception):
    """The file cannot be imported. `report` (when the rows could be read) says which rows and why."""

    def __init__(self, message: str, report: ImportReport | None = None):
        super().__init__(message)
        self.report = report


@dataclass
class _Row:
    line: int
    email: str
    name: str
    language: str
    country: str
    topic_ids: list[int]
    attributes: dict[str, str]


def subscribers_import(
    *, data: bytes, list_slug: str, consent_source: str = "", skip_invalid: bool = False
) -> ImportReport:
    """Import `data` (the CSV file's bytes) into the list `list_slug`. Raises ImportFailed when nothing was written."""
    mailing_list = MailingList.objects.filter(slug=list_slug).first()
    if mailing_list is None:
        known = ", ".join(MailingList.objects.values_list("slug", flat=True)) or _("none yet")
        raise ImportFailed(_("There is no list with the slug %(slug)r (lists: %(known)s).") % {"slug": list_slug, "known": known})
    rows, report = _read(data, mailing_list)
    invalid = report.count("invalid")
    if invalid and not skip_invalid:
        raise ImportFailed(
            ngettext("%(count)d row is invalid, so nothing was imported. Fix it, or import with --skip-invalid.",
                     "%(count)d rows are invalid, so nothing was imported. Fix them, or import with --skip-invalid.",
                     invalid) % {"count": invalid},
            report,
        )
    _write(rows, report, mailing_list, consent_source or _("Imported from a CSV file"))
    report.written = True
    return report


def _read(data: bytes, mailing_list: MailingList) -> tuple[list[_Row], ImportReport]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFailed(
            _("The file is not UTF-8 text (byte %(byte)d cannot be read). Save it as 'CSV UTF-8' and try again.")
            % {"byte": exc.start}
        ) from None
    if "\x00" in text:
        raise ImportFailed(_("The file contains NUL bytes: it does not look like a CSV text file."))
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise ImportFailed(_("The file is empty: it needs a header line with at least an 'email' column.")) from None
    except csv.Error as exc:
        raise ImportFailed(_("The header line is not valid CSV (%(error)s).") % {"error": exc}) from None
    columns = [restore(c.strip()).lower() for c in header]
    if "email" not in columns:
        raise ImportFailed(_("The file has no 'email' column. Columns found: %(columns)s.")
                           % {"columns": ", ".join(columns) or _("none")})
    duplicates = sorted({c for c in columns if columns.count(c) > 1})
    if duplicates or "" in columns:
        if duplicates:
            raise ImportFailed(_("The header repeats the column(s) %(columns)s; each column needs its own name.") % {
                "columns": ", ".join(duplicates)})
        raise ImportFailed(_("The header has an empty column name; each column needs its own name."))
    topics = {t.slug.lower(): t.pk for t in Topic.objects.all()} | {t.name.lower(): t.pk for t in Topic.objects.all()}
    report = ImportReport(mailing_list=mailing_list.slug)
    rows: list[_Row] = []
    seen: dict[str, int] = {}
    try:
        for values in reader:
            line = reader.line_num
            if not any(v.strip() for v in values):
                continue
            if len(rows) + report.count("invalid") >= MAX_ROWS:
                raise ImportFailed(_("The file has more than %(max)d rows; split it into smaller files.") % {"max": MAX_ROWS})
            row, problem = _parse(values, columns, line, topics)
            if problem:
                report.rows.append(RowResult(line, row.email if row else "", "invalid", problem))
                continue
            if row.email in seen:
                reason = _("duplicate of line %(line)d") % {"line": seen[row.email]}
                report.rows.append(RowResult(line, row.email, "invalid", reason))
                continue
            seen[row.email] = line
            rows.append(row)
    except csv.Error as exc:
        raise ImportFailed(_("Line %(line)d is not valid CSV (%(error)s).") % {"line": reader.line_num, "error": exc}) from None
    return rows, report


def _parse(values: list[str], columns: list[str], line: int, topics: dict[str, int]) -> tuple[_Row | None, str]:
    if len(values) > len(columns):
        return None, (_("%(fields)d fields but the header has %(columns)d columns")
                      % {"fields": len(values), "columns": len(columns)})
    record = dict(zip(columns, (restore(v.strip()) for v in values), strict=False))
    email = normalise_email(record.get("email", ""))
    row = _Row(line, email, "", "", "", [], {})
    if not email:
        return row, _("the email is empty")
    if len(email) > 254:
        return row, _("the email is longer than 254 characters")
    try:
        validate_email(email)
    except ValidationError:
        return row, _("%(email)r is not a valid email address") % {"email": email}
    if domain_problem := public_domain_problem(email):
        return row, f"{email!r}: {domain_problem}"
    row.name = record.get("name", "")
    if len(row.name) > 200 or any(ch in row.name for ch in "\r\n"):
        return row, _("the name is longer than 200 characters or has line breaks")
    row.language = record.get("language", "").lower()
    if row.language and row.language not in _LANGUAGES:
        return row, (_("language %(language)r is not one of %(known)s")
                     % {"language": row.language, "known": ", ".join(sorted(_LANGUAGES))})
    row.country = record.get("country", "").upper()
    if row.country and (len(row.country) != 2 or not row.country.isalpha()):
        return row, _("country %(country)r is not a two-letter ISO code") % {"country": row.country}
    for name in (t.strip() for t in record.get("topics", "").split(";")):
        if not name:
            continue
        if name.lower() not in topics:
            return row, _("unknown topic %(name)r") % {"name": name}
        row.topic_ids.append(topics[name.lower()])
    for column, value in record.items():
        if column in _KNOWN or column in _IGNORED or not value:
            continue
        if len(value) > MAX_ATTRIBUTE_LENGTH:
            return row, (_("the value of %(column)r is longer than %(max)d characters")
                         % {"column": column, "max": MAX_ATTRIBUTE_LENGTH})
        row.attributes[column] = value
    return row, ""


def _write(rows: list[_Row], report: ImportReport, mailing_list: MailingList, consent_text: str) -> None:
    """Set-based writes: a handful of queries per file, not per row, so large files import quickly."""
    hashes = {row.email: email_hash(row.email) for row in rows}
    suppressed = dict(selectors.suppressions(set(hashes.values())).values_list("email_hash", "reason"))
    now = timezone.now()
    with transaction.atomic():
        # Lock the rows we may update, so a concurrent preference change is not overwritten half-way.
        existing = {s.email: s for s in Subscriber.objects.select_for_update().filter(email__in=hashes.keys())}
        subscriptions = {
            sub.subscriber_id: sub
            for sub in Subscription.objects.select_for_update().filter(
                mailing_list=mailing_list, subscriber__in=[s.pk for s in existing.values()]
            )
        }
        statuses: dict[int, set[str]] = {}
        for subscriber_id, status in Subscription.objects.filter(subscriber__in=[s.pk for s in existing.values()]).values_list(
            "subscriber_id", "status"
        ):
            statuses.setdefault(subscriber_id, set()).add(status)
        new_subscribers, changed, accepted = [], [], []
        for row in rows:
            reason = suppressed.get(hashes[row.email])
            if reason:
                label = _("erased on request") if reason == Suppression.Reason.ERASED else _("suppressed (%(reason)s)") % {
                    "reason": reason}
                report.rows.append(RowResult(row.line, row.email, "skipped", label))
                continue
            subscriber = existing.get(row.email)
            subscription = subscriptions.get(subscriber.pk) if subscriber else None
            refusal = transitions.import_refusal(
                current=subscription.status if subscription is not None else None,
                left_every_list=bool(subscriber) and statuses.get(subscriber.pk) == {Subscription.Status.UNSUBSCRIBED},
            )
            if refusal:
                report.rows.append(RowResult(row.line, row.email, "skipped", refusal))
                continue
            if subscriber is None:
                subscriber = Subscriber(
                    email=row.email,
                    email_hash=hashes[row.email],  # bulk_create skips save(): keep the hash in step here
                    name=row.name,
                    language=row.language or mailing_list.default_language,
                    country=row.country,
                    attributes=row.attributes,
                )
                new_subscribers.append(subscriber)
            else:
                subscriber.name = row.name or subscriber.name
                subscriber.language = row.language or subscriber.language
                subscriber.country = row.country or subscriber.country
                subscriber.attributes = {**subscriber.attributes, **row.attributes}
                changed.append(subscriber)
            outcome = "updated" if subscription is not None else "added"
            accepted.append((row, subscriber, outcome))
            report.rows.append(RowResult(row.line, row.email, outcome))
        Subscriber.objects.bulk_create(new_subscribers, batch_size=1000)
        Subscriber.objects.bulk_update(changed, ["name", "language", "country", "attributes"], batch_size=1000)
        Subscription.objects.bulk_create(
            [
                Subscription(subscriber=subscriber, mailing_list=mailing_list, status=Subscription.Status.ACTIVE,
                             confirmed_at=now, created_at=now)
                for _row, subscriber, outcome in accepted
                if outcome == "added"
            ],
            batch_size=1000,
        )
        through = Subscriber.topics.through
        through.objects.bulk_create(
            [through(subscriber_id=s.pk, topic_id=t) for row, s, _outcome in accepted for t in row.topic_ids],
            ignore_conflicts=True,
            batch_size=1000,
        )
        ConsentRecord.objects.bulk_create(
            [
                ConsentRecord(subscriber=s, mailing_list=mailing_list, text=consent_text[:2000], version="import",
                              source=ConsentRecord.Source.IMPORT, created_at=now)
                for _row, s, _outcome in accepted
            ],
            batch_size=1000,
        )
    report.rows.sort(key=lambda r: r.line)
