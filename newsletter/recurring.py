"""Recurring digests: when the next one is due, and composing it (then sending or asking the editors)."""

from __future__ import annotations

import calendar
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from editorial.access import people_who_see
from newsletter.models import Digest, RecurringDigest
from newsletter.selectors import last_sent_at, suggested_items
from newsletter.services import ChecksFailed, NewsletterError, digest_compose, digest_schedule
from subscribers.models import MailingList
from subscribers.texts import languages, reader_text, value_in


def next_run_after(recurring: RecurringDigest, after: datetime) -> datetime:
    """The first run strictly after `after`, at time_of_day in the list's time zone, returned in UTC."""
    zone = recurring.mailing_list.zone
    local = after.astimezone(zone)
    day = local.date()
    for _attempt in range(400):
        if _runs_on(recurring, day):
            candidate = datetime.combine(day, recurring.time_of_day).replace(tzinfo=zone)
            if candidate > after:
                return candidate.astimezone(ZoneInfo("UTC"))
        day += timedelta(days=1)
    raise ValueError("no run day found within a year")  # unreachable for valid settings


def _runs_on(recurring: RecurringDigest, day) -> bool:
    if recurring.cadence == RecurringDigest.Cadence.DAILY:
        return True
    if recurring.cadence == RecurringDigest.Cadence.WEEKLY:
        return day.weekday() == recurring.weekday
    last_day = calendar.monthrange(day.year, day.month)[1]
    return day.day == min(recurring.day_of_month, last_day)


def recurring_digests_run_due(*, now: datetime | None = None) -> list[str]:
    """Run every active recurring digest whose time has come; returns one line per run.

    A run is claimed by a conditional UPDATE that moves next_run_at forward, so two beat processes
    (or a doubled poke) run it once. After downtime a missed run happens once, not once per miss.
    A recurring digest without next_run_at gets one (the next occurrence) and does not run now.
    """
    now = now or timezone.now()
    for recurring in RecurringDigest.objects.filter(is_active=True, next_run_at__isnull=True).select_related("mailing_list"):
        RecurringDigest.objects.filter(pk=recurring.pk, next_run_at__isnull=True).update(
            next_run_at=next_run_after(recurring, now)
        )
    results = []
    due = RecurringDigest.objects.filter(is_active=True, next_run_at__lte=now).select_related("mailing_list")
    for recurring in due:
        following = next_run_after(recurring, now)
        claimed = RecurringDigest.objects.filter(pk=recurring.pk, next_run_at=recurring.next_run_at).update(
            next_run_at=following, last_run_at=now
        )
        if claimed:
            results.append(recurring_digest_run(recurring_id=recurring.pk, now=now))
    return results


def list_default_text(recurring: RecurringDigest, field: str) -> str:
    """The recurring digest's text in its list's default language (another language's when that one is empty)."""
    default = recurring.mailing_list.default_language
    return reader_text(recurring, field, language=default, default_language=default)


def recurring_digest_run(*, recurring_id: int, now: datetime | None = None) -> str:
    """Compose this run's digest if enough new items exist; send it or leave a draft for the editors."""
    now = now or timezone.now()
    recurring = RecurringDigest.objects.select_related("mailing_list", "last_digest").get(pk=recurring_id)
    mailing_list = recurring.mailing_list
    since_candidates = [t for t in (last_sent_at(mailing_list_id=mailing_list.id), _last_digest_time(recurring)) if t]
    since = max(since_candidates) if since_candidates else None
    items = suggested_items(mailing_list_id=mailing_list.id, since=since)
    if len(items) < max(recurring.min_items, 1):
        return _finish(recurring, ngettext("%(count)d new item, %(needed)d needed: no digest this time.",
                                           "%(count)d new items, %(needed)d needed: no digest this time.", len(items))
                       % {"count": len(items), "needed": recurring.min_items})
    try:
        digest = digest_compose(
            mailing_list_id=mailing_list.id,
            segment_id=recurring.segment_id,
            subject="",
            subject_template=list_default_text(recurring, "subject"),
            subject_date=now.astimezone(mailing_list.zone).date(),
            preheader=list_default_text(recurring, "preheader"),
            intro=list_default_text(recurring, "intro"),
            other_languages={language: {"subject_template": value_in(recurring, "subject", language),
                                        "preheader": value_in(recurring, "preheader", language),
                                        "intro": value_in(recurring, "intro", language)}
                             for language in languages()},
            item_ids=[item.id for item in items],
        )
    except NewsletterError as exc:
        _notify_editors(mailing_list, _("Recurring digest for %(list)s could not be composed") % {"list": mailing_list},
                        str(exc))
        return _finish(recurring, _("Could not compose: %(error)s") % {"error": exc})
    RecurringDigest.objects.filter(pk=recurring.pk).update(last_digest=digest)
    link = f"{settings.SITE_URL}/admin/newsletter/digest/{digest.id}/change/"
    if recurring.auto_send:
        try:
            digest_schedule(digest_id=digest.id, send_at=now)
        except ChecksFailed as exc:
            problems = "\n".join(f"- {p}" for p in exc.problems)
            _notify_editors(
                mailing_list,
                _("Digest not sent: %(subject)s") % {"subject": digest.subject},
                _("The recurring digest of %(list)s was composed with %(count)d items but failed its pre-send checks, "
                  "so it was left as a draft:\n%(problems)s\n\nFix and schedule it here: %(link)s")
                % {"list": mailing_list, "count": len(items), "problems": problems, "link": link},
            )
            return _finish(recurring, _("Digest %(id)s left as draft: checks failed.") % {"id": digest.id})
        return _finish(recurring, _("Digest %(id)s with %(count)d items scheduled to send now.")
                       % {"id": digest.id, "count": len(items)})
    _notify_editors(
        mailing_list,
        _("Draft ready: %(subject)s") % {"subject": digest.subject},
        _("The recurring digest of %(list)s has a new draft with %(count)d items.\n"
          "Review, preview and schedule it here: %(link)s")
        % {"list": mailing_list, "count": len(items), "link": link},
    )
    return _finish(recurring, _("Draft digest %(id)s with %(count)d items; editors notified.")
                   % {"id": digest.id, "count": len(items)})


def _last_digest_time(recurring: RecurringDigest) -> datetime | None:
    digest = recurring.last_digest
    if digest is None or digest.status in (Digest.Status.CANCELLED, Digest.Status.FAILED):
        return None
    return digest.created_at


def _finish(recurring: RecurringDigest, result: str) -> str:
    RecurringDigest.objects.filter(pk=recurring.pk).update(last_result=result)
    return f"{recurring}: {result}"


def editor_addresses(*, organisation_id: int) -> list[str]:
    """Editors are active staff users with an email address who see the organisation's lists (editorial.access)."""
    users = get_user_model().objects.filter(people_who_see(organisation_id), is_active=True, is_staff=True).exclude(email="")
    return sorted(set(users.values_list("email", flat=True)))


def _notify_editors(mailing_list: MailingList, subject: str, body: str) -> int:
    # One message per editor: editors do not see each other's addresses.
    messages = [(subject, body, settings.DEFAULT_FROM_EMAIL, [address])
                for address in editor_addresses(organisation_id=mailing_list.organisation_id)]
    return send_mass_mail(messages, fail_silently=False) if messages else 0


