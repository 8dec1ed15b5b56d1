"""Writes for news items and digests: create, compose, choose items, schedule, send now, test-send.

Every function takes keyword-only arguments and raises NewsletterError with a sentence an editor
can act on; on error nothing is written. Sending itself belongs to the delivery engine (worker/):
these services only move a digest to `scheduled` (with send_at) and back, through newsletter.lifecycle.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from editorial.models import AuditEntry
from editorial.services import audit_record
from newsletter import placeholders
from newsletter.audience import audience_zones
from newsletter.checks import Problem, blocking, digest_check
from newsletter.lifecycle import SYSTEM, Actor, digest_is_editable, digest_step_or_refuse, step_allowed, step_refusal
from newsletter.media_images import MediaImageError, media_image_absolute_url, media_image_upload
from newsletter.models import Digest, DigestItem, DigestVariant, EditorSettings, MediaImage, NewsItem
from newsletter.rendering import render_digest_variants
from newsletter.sanitising import clean_html, plain_text, strip_control_characters
from newsletter.selectors import editor_test_urls, suggested_items
from newsletter.subjects import subject_fill
from organisations.sending import sending_domain, sending_domain_apply
from subscribers.models import MailingList, Segment
from subscribers.texts import languages as text_languages
from subscribers.texts import list_text
from worker.local_time import first_local_instant

# A test goes to a few colleagues, not to a list: more addresses than this are refused.
MAX_TEST_ADDRESSES = 10

# A schedule time this far in the past is a typo (or a stale form), not "send now".
_PAST_GRACE = timedelta(minutes=5)

NEWS_ITEM_FIELDS = (
    "title", "dateline", "published_at", "summary", "body_html", "link", "image_url", "image_alt", "language",
    "translation_key",
)  # fmt: skip


class NewsletterError(Exception):
    """A request an editor made that cannot be done; the message says why."""


class ChecksFailed(NewsletterError):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(_("The digest cannot be scheduled: %(problems)s") % {"problems": "; ".join(str(p) for p in problems)})


# --- News items ----------------------------------------------------------------------------------------


def news_item_sanitise(item: NewsItem) -> NewsItem:
    """Clean an item's HTML and text fields in place; every write path calls this before saving."""
    item.body_html = clean_html(item.body_html)
    item.title = plain_text(item.title)[:400]
    item.summary = plain_text(item.summary)
    item.dateline = plain_text(item.dateline)[:200]
    item.image_alt = plain_text(item.image_alt)[:300]
    for name in ("link", "image_url", "translation_key", "source", "source_id"):
        setattr(item, name, strip_control_characters(getattr(item, name) or "").strip())
    return item


def news_item_create(
    *,
    title: str,
    mailing_list_ids: list[int] = (),
    topic_ids: list[int] = (),
    source: str = "manual",
    source_id: str = "",
    **fields,
) -> NewsItem:
    """Create one item (fields as in NEWS_ITEM_FIELDS), sanitised and validated."""
    _refuse_unknown_fields(fields)
    item = NewsItem(title=title, source=source, source_id=source_id, **fields)
    _save_item(item, mailing_list_ids=mailing_list_ids, topic_ids=topic_ids)
    return item


def news_item_upsert(
    *, source: str, source_id: str, fields: dict, mailing_list_ids: list[int] = (), topic_ids: list[int] = ()
) -> tuple[NewsItem, bool]:
    """Create or update the item identified by (source, source_id): re-imports never duplicate.

    Returns (item, created). Lists and topics are added to, never removed (an editor may have added more).
    """
    if not source_id:
        raise NewsletterError(_("An imported item needs a source id (feed entry id, link or CSV 'source_id')."))
    _refuse_unknown_fields(fields)
    with transaction.atomic():
        item = NewsItem.objects.select_for_update().filter(source=source, source_id=source_id).first()
        created = item is None
        if created:
            item = NewsItem(source=source, source_id=source_id)
        for name, value in fields.items():
            setattr(item, name, value)
        _save_item(item, mailing_list_ids=mailing_list_ids, topic_ids=topic_ids)
    return item, created


def news_item_update(*, item_id: int, mailing_list_ids: list[int], topic_ids: list[int], **fields) -> NewsItem:
    """Change an item's fields (as in NEWS_ITEM_FIELDS) and set its lists and topics exactly, sanitised and validated."""
    _refuse_unknown_fields(fields)
    item = NewsItem.objects.get(pk=item_id)
    for name, value in fields.items():
        setattr(item, name, value)
    with transaction.atomic():
        _save_item(item, mailing_list_ids=(), topic_ids=())
        item.mailing_lists.set(mailing_list_ids)
        item.topics.set(topic_ids)
    return item


def news_item_save(
    *,
    item_id: int | None,
    fields: dict,
    mailing_list_ids: list[int],
    topic_ids: list[int],
    image_id: int | None = None,
    upload=None,
    upload_alt: str = "",
    organisation_id: int | None = None,
    uploaded_by_id: int | None = None,
    translation_of_id: int | None = None,
) -> NewsItem:
    """The desk's news form: create (item_id None) or change an item, with its picture either uploaded now (it
    joins `organisation_id`'s image library) or picked from the library (`image_id`), and optionally marked as a
    translation of another item. The picture is copied onto the item as image_url + image_alt (decision 0023)."""
    fields = dict(fields)
    if upload is not None:
        try:
            image = media_image_upload(organisation_id=organisation_id, upload=upload, alt_text=upload_alt,
                                       uploaded_by_id=uploaded_by_id)
        except MediaImageError as exc:
            raise NewsletterError(str(exc)) from None
    else:
        image = MediaImage.objects.filter(pk=image_id).first() if image_id else None
    if image is not None:
        fields["image_url"] = media_image_absolute_url(image)
        fields["image_alt"] = (fields.get("image_alt") or "").strip() or image.alt_text
    if fields.get("image_url") and not plain_text(fields.get("image_alt") or ""):
        raise NewsletterError(_("Describe the image in a few words (alt text): people who cannot see it hear this."))
    if translation_of_id:
        fields["translation_key"] = news_item_translation_key(item_id=translation_of_id)
    if item_id is None:
        return news_item_create(mailing_list_ids=mailing_list_ids, topic_ids=topic_ids, **fields)
    return news_item_update(item_id=item_id, mailing_list_ids=mailing_list_ids, topic_ids=topic_ids, **fields)


def news_item_translation_key(*, item_id: int) -> str:
    """The key an item shares with its translations, given to it (by a conditional UPDATE) if it had none."""
    NewsItem.objects.filter(pk=item_id, translation_key="").update(translation_key=f"news-{item_id}")
    return NewsItem.objects.values_list("translation_key", flat=True).get(pk=item_id)


def _save_item(item: NewsItem, *, mailing_list_ids, topic_ids) -> None:
    news_item_sanitise(item)
    if item.published_at is None:
        item.published_at = timezone.now()
    try:
        item.full_clean(exclude=["topics", "mailing_lists"], validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        raise NewsletterError(_validation_message(exc)) from None
    with transaction.atomic():
        item.save()
        if mailing_list_ids:
            item.mailing_lists.add(*mailing_list_ids)
        if topic_ids:
            item.topics.add(*topic_ids)


def _refuse_unknown_fields(fields: dict) -> None:
    unknown = set(fields) - set(NEWS_ITEM_FIELDS)
    if unknown:
        raise NewsletterError(_("Unknown news item fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})


def _validation_message(exc: ValidationError) -> str:
    if hasattr(exc, "message_dict"):
        return "; ".join(f"{field}: {' '.join(messages)}" for field, messages in exc.message_dict.items())
    return " ".join(exc.messages)


# --- Composing -----------------------------------------------------------------------------------------


def digest_compose(
    *,
    mailing_list_id: int,
    subject: str,
    preheader: str = "",
    intro: str = "",
    segment_id: int | None = None,
    tailored: bool = False,
    item_ids: list[int] | None = None,
    since: datetime | None = None,
    user_id: int | None = None,
    subject_template: str = "",
    subject_date: date | None = None,
    other_languages: dict[str, dict[str, str]] | None = None,
) -> Digest:
    """Create a draft digest. Without item_ids it holds the suggested items (see selectors.suggested_items).

    `subject`, `preheader`, `intro` and `subject_template` are the texts of the list's default language;
    `other_languages` maps another language to its own texts (same keys), e.g. a recurring digest's.
    With `subject_template` (may hold {list} and {date}) and `subject_date`, and no `subject`, the subject is
    the template filled in its language, and each language variant gets it in its own (newsletter.subjects).
    `tailored`: each reader gets only the items of her topics (newsletter.tailoring).
    """
    mailing_list = _audience_checked(mailing_list_id=mailing_list_id, segment_id=segment_id)
    texts = {language: values for language, values in (other_languages or {}).items() if language in text_languages()}
    texts[mailing_list.default_language] = {"subject": subject, "subject_template": subject_template,
                                            "preheader": preheader, "intro": intro}
    templated = bool((subject_template or "").strip()) and subject_date is not None and not (subject or "").strip()
    columns = _text_columns(mailing_list, texts, subject_date=subject_date if templated else None)
    if item_ids is None:
        item_ids = [item.id for item in suggested_items(mailing_list_id=mailing_list.id, since=since)]
    item_ids = _existing_item_ids(item_ids)
    with transaction.atomic():
        # Only the per-language columns are given: a plain `subject=` would be written into the *active*
        # language's column (modeltranslation), whatever the list's language.
        digest = Digest.objects.create(
            mailing_list=mailing_list,
            segment_id=segment_id,
            tailored=tailored,
            subject_date=subject_date if templated else None,
            created_by_id=user_id,
            **columns,
        )
        DigestItem.objects.bulk_create(
            DigestItem(digest=digest, news_item_id=item_id, position=position) for position, item_id in enumerate(item_ids)
        )
    return digest


def _text_columns(mailing_list: MailingList, texts: dict[str, dict[str, str]], *,
                  subject_date: date | None = None) -> dict[str, str]:
    """The per-language columns of `texts` ({language: {subject, subject_template, preheader, intro}}), checked:
    single-line subjects and preheaders, and a subject in the list's language. With `subject_date`, an empty
    subject is its template filled in that language."""
    columns: dict[str, str] = {}
    for language, values in texts.items():
        template = (values.get("subject_template") or "").strip() if subject_date is not None else ""
        language_subject = (values.get("subject") or "").strip()
        if template and not language_subject:
            language_subject = subject_fill(template, day=subject_date, language=language,
                                            list_name=list_text(mailing_list, "name", language=language))
        _refuse_line_breaks(subject=language_subject, preheader=values.get("preheader") or "")
        columns |= {f"subject_{language}": language_subject, f"subject_template_{language}": template,
                    f"preheader_{language}": (values.get("preheader") or "").strip(),
                    f"intro_{language}": strip_control_characters(values.get("intro") or "").strip()}
    if not columns.get(f"subject_{mailing_list.default_language}"):
        raise NewsletterError(_("A digest needs a subject."))
    return columns


def _audience_checked(*, mailing_list_id: int, segment_id: int | None) -> MailingList:
    """The digest's list, refusing an unknown list or a segment of another list."""
    try:
        mailing_list = MailingList.objects.get(pk=mailing_list_id)
    except MailingList.DoesNotExist:
        raise NewsletterError(_("There is no mailing list with id %(id)s.") % {"id": mailing_list_id}) from None
    if segment_id is not None and not Segment.objects.filter(pk=segment_id, mailing_list=mailing_list).exists():
        raise NewsletterError(_("That segment does not belong to this list."))
    return mailing_list


def digest_revise(*, digest_id: int, mailing_list_id: int, segment_id: int | None,
                  texts: dict[str, dict[str, str]], item_ids: list[int], tailored: bool | None = None) -> Digest:
    """Rewrite a draft as a whole: its list and segment, every language's texts ({language: {subject, preheader,
    intro}}) and its items in this order; `tailored` too unless None (kept). Drafts only; on any refusal nothing
    is written."""
    mailing_list = _audience_checked(mailing_list_id=mailing_list_id, segment_id=segment_id)
    columns = _text_columns(mailing_list, {language: values for language, values in texts.items()
                                           if language in text_languages()})
    item_ids = _existing_item_ids(item_ids)
    with transaction.atomic():
        _locked_draft(digest_id)
        kept = {} if tailored is None else {"tailored": tailored}
        Digest.objects.filter(pk=digest_id).update(mailing_list=mailing_list, segment_id=segment_id, subject_date=None,
                                                   updated_at=timezone.now(), **kept, **columns)
        _items_replace(digest_id=digest_id, item_ids=item_ids)
    return _get_digest(digest_id)


def digest_draft_save(*, digest_id: int | None, mailing_list_id: int, segment_id: int | None,
                      texts: dict[str, dict[str, str]], item_ids: list[int], user_id: int,
                      tailored: bool = False) -> Digest:
    """The desk's compose page: a new draft (digest_id None, recorded in the audit trail) or a draft rewritten
    as a whole (digest_revise), with these texts per language, these items in this order, tailored or not."""
    if digest_id is not None:
        return digest_revise(digest_id=digest_id, mailing_list_id=mailing_list_id, segment_id=segment_id,
                             texts=texts, item_ids=item_ids, tailored=tailored)
    mailing_list = MailingList.objects.filter(pk=mailing_list_id).first()
    default = texts.get(mailing_list.default_language, {}) if mailing_list else {}
    digest = digest_compose(
        mailing_list_id=mailing_list_id, segment_id=segment_id, item_ids=item_ids, user_id=user_id, tailored=tailored,
        subject=default.get("subject", ""), preheader=default.get("preheader", ""), intro=default.get("intro", ""),
        other_languages={language: values for language, values in texts.items()
                         if mailing_list is None or language != mailing_list.default_language},
    )
    audit_record(actor_id=user_id, action=AuditEntry.Action.DIGEST_CREATED, target=digest,
                 description=_("Composed with %(count)d items.") % {"count": len(item_ids)})
    return digest


def digest_set_items(*, digest_id: int, item_ids: list[int]) -> Digest:
    """Replace the digest's items with `item_ids`, in that order (DigestItem.position). Drafts only."""
    item_ids = _existing_item_ids(item_ids)
    with transaction.atomic():
        digest = _locked_draft(digest_id)
        _items_replace(digest_id=digest_id, item_ids=item_ids)
    return digest


def _existing_item_ids(item_ids: list[int]) -> list[int]:
    item_ids = list(dict.fromkeys(int(i) for i in item_ids))
    found = set(NewsItem.objects.filter(pk__in=item_ids).values_list("id", flat=True))
    missing = [i for i in item_ids if i not in found]
    if missing:
        raise NewsletterError(_("Unknown news items: %(ids)s") % {"ids": ", ".join(map(str, missing))})
    return item_ids


def _refuse_line_breaks(**values: str) -> None:
    # Subjects end up in mail headers: a line break there is header injection.
    for name, value in values.items():
        if value and any(ch in value for ch in "\r\n\x00"):
            raise NewsletterError(_("The %(field)s must be a single line.") % {"field": name})


# --- Scheduling ----------------------------------------------------------------------------------------


def editor_time_zone(*, user_id: int | None) -> ZoneInfo:
    if user_id is not None:
        row = EditorSettings.objects.filter(user_id=user_id).values_list("time_zone", flat=True).first()
        if row:
            return ZoneInfo(row)
    return ZoneInfo(settings.TIME_ZONE)


def send_time_in_utc(*, send_at: datetime, user_id: int | None) -> datetime:
    """A naive time is read in the editor's time zone (EditorSettings, else settings.TIME_ZONE)."""
    if timezone.is_naive(send_at):
        zone = editor_time_zone(user_id=user_id)
        send_at = send_at.replace(tzinfo=zone)
        # A time skipped by a DST jump does not exist: refuse it rather than guess.
        if send_at.astimezone(ZoneInfo("UTC")).astimezone(zone).replace(tzinfo=None) != send_at.replace(tzinfo=None):
            raise NewsletterError(f"{send_at:%Y-%m-%d %H:%M} does not exist in {zone.key} (clock change).")
    return send_at.astimezone(ZoneInfo("UTC"))


def digest_schedule(*, digest_id: int, send_at: datetime, send_mode: str = Digest.SendMode.AT_ONCE,
                    actor: Actor = SYSTEM) -> Digest:
    """Schedule a draft for `send_at` (naive = the editor's time zone) after the pre-send checks pass; with
    send_mode local_time, at send_at's hour on its date in each reader's time zone (send_plan).

    Raises ChecksFailed (with .problems) when a check fails and NewsletterError when the time has
    passed or the digest is not a draft; in both cases the digest stays as it was. From `scheduled`
    on, the delivery engine takes over.
    """
    plan = send_plan(digest_id=digest_id, send_at=send_at, send_mode=send_mode, user_id=actor.user_id)
    _draft_checked(digest_id, "schedule")
    _step(digest_id, "schedule", actor, fields={**plan.fields(), "scheduled_by_id": actor.user_id},
          description=plan.description(actor))
    return _get_digest(digest_id)


def digest_send_now(*, digest_id: int, actor: Actor = SYSTEM) -> Digest:
    """Send at once: a draft after its pre-send checks, a scheduled digest or one waiting for confirmation
    (confirming it sends it now). The delivery engine starts it at its next scan."""
    digest = _get_digest(digest_id)
    if digest.status == Digest.Status.DRAFT:
        _draft_checked(digest_id, "send_now")
    # Now means now for everybody: a local-time digest sent now is sent at once.
    _step(digest_id, "send_now", actor, only_if=Q(status=digest.status),
          fields={"send_at": timezone.now(), "send_mode": Digest.SendMode.AT_ONCE, "local_send_time": None,
                  "scheduled_by_id": actor.user_id or digest.scheduled_by_id})
    return _get_digest(digest_id)


def digest_reschedule(*, digest_id: int, send_at: datetime, send_mode: str | None = None,
                      actor: Actor = SYSTEM) -> Digest:
    """Move a scheduled digest (or one waiting for confirmation) to another time, before sending starts (in its
    own send mode unless `send_mode` says otherwise)."""
    if send_mode is None:
        send_mode = _get_digest(digest_id).send_mode
    plan = send_plan(digest_id=digest_id, send_at=send_at, send_mode=send_mode, user_id=actor.user_id)
    _step(digest_id, "reschedule", actor, fields={**plan.fields(), "scheduled_by_id": actor.user_id},
          description=plan.description(actor))
    return _get_digest(digest_id)


def digest_unschedule(*, digest_id: int, actor: Actor = SYSTEM) -> Digest:
    """Back to draft (to edit it) before sending starts."""
    _step(digest_id, "unschedule", actor, fields={"send_at": None}, detail=_("Back to draft."))
    return _get_digest(digest_id)


@dataclass(frozen=True)
class SendPlan:
    """When a digest goes: `send_at` (UTC) for everybody, or for local_time the hour each reader's clock must
    show (`local_send_time`), the first zone reaching it on the chosen date at `send_at` (worker.local_time)."""

    send_at: datetime
    send_mode: str
    local_send_time: time | None = None
    first_zone: str = ""

    def fields(self) -> dict:
        return {"send_at": self.send_at, "send_mode": self.send_mode, "local_send_time": self.local_send_time}

    def description(self, actor: Actor) -> str:
        if self.local_send_time is None:
            return _for_time(self.send_at, actor)
        return _("At %(time)s in each reader's time zone, from %(start)s UTC (%(zone)s).") % {
            "time": f"{self.local_send_time:%H:%M}", "start": f"{self.send_at:%Y-%m-%d %H:%M}", "zone": self.first_zone}


def send_plan(*, digest_id: int, send_at: datetime, send_mode: str, user_id: int | None) -> SendPlan:
    """The one place a schedule request is read and validated, whatever screen it comes from.

    at_once: `send_at` (naive: the editor's time zone) in UTC, refused when past. local_time: the wall time of
    `send_at` on its date, in each time zone the audience has now (hers, else her list's); the digest starts
    when the first of them reaches it, which must not have passed. A zone that gains readers later goes at the
    first such hour on its clock after that start (docs/decisions/0020-local-time-sends.md).
    """
    if send_mode == Digest.SendMode.AT_ONCE:
        return SendPlan(send_at=future_send_time(send_at=send_at, user_id=user_id), send_mode=send_mode)
    if send_mode != Digest.SendMode.LOCAL_TIME:
        raise NewsletterError(_("Unknown send mode: %(mode)s.") % {"mode": send_mode})
    if timezone.is_aware(send_at):
        send_at = timezone.localtime(send_at, editor_time_zone(user_id=user_id))
    digest = _get_digest(digest_id)
    zones = audience_zones(digest=digest) or [digest.mailing_list.time_zone]
    first_zone, start = first_local_instant(zones=zones, day=send_at.date(), local_send_time=send_at.time())
    if start < timezone.now() - _PAST_GRACE:
        raise NewsletterError(_("%(time)s on %(date)s has already passed in %(zone)s, where some readers are; "
                                "choose a later date.") % {"time": f"{send_at:%H:%M}", "date": f"{send_at:%Y-%m-%d}",
                                                           "zone": first_zone})
    return SendPlan(send_at=start, send_mode=send_mode, local_send_time=send_at.time().replace(second=0, microsecond=0),
                    first_zone=first_zone)


def future_send_time(*, send_at: datetime, user_id: int | None) -> datetime:
    """`send_at` in UTC (naive: the editor's time zone), or NewsletterError when that time has passed.

    The schedule services call it; the preview's confirmation step calls it first, so a past time is refused
    before anything is asked."""
    when = send_time_in_utc(send_at=send_at, user_id=user_id)
    if when < timezone.now() - _PAST_GRACE:
        raise NewsletterError(_("That time has already passed; choose a time in the future."))
    return when


def _draft_checked(digest_id: int, step: str) -> None:
    digest = _get_digest(digest_id)
    if not step_allowed(digest.status, step):
        raise NewsletterError(step_refusal(digest, step))
    problems = blocking(digest_check(digest_id=digest_id))
    if problems:
        raise ChecksFailed(problems)


def _step(digest_id: int, step: str, actor: Actor, **changes) -> None:
    """Take a life-cycle step that an editor asked for, or say why it does not apply (nothing changes)."""
    digest_step_or_refuse(error=NewsletterError, digest_id=digest_id, step=step, actor=actor,
                          detail=changes.pop("detail", ""), **changes)


def _for_time(when: datetime, actor: Actor) -> str:
    zone = editor_time_zone(user_id=actor.user_id)
    return _("For %(time)s (%(zone)s).") % {"time": f"{timezone.localtime(when, zone):%Y-%m-%d %H:%M}", "zone": zone.key}


def _get_digest(digest_id: int) -> Digest:
    try:
        return Digest.objects.select_related("mailing_list__organisation").get(pk=digest_id)
    except Digest.DoesNotExist:
        raise NewsletterError(_("There is no digest with id %(id)s.") % {"id": digest_id}) from None


def _locked_draft(digest_id: int) -> Digest:
    """The digest, locked for the rest of the transaction; refused unless it can still be edited."""
    digest = _locked_digest(digest_id)
    if not digest_is_editable(digest.status):
        raise NewsletterError(
            _("Only a draft can be edited; this digest is %(status)s.") % {"status": digest.get_status_display().lower()})
    return digest


def _items_replace(*, digest_id: int, item_ids: list[int]) -> None:
    """The draft's items become `item_ids` in that order; its rendered variants are stale (re-rendered on preview or
    schedule)."""
    DigestItem.objects.filter(digest_id=digest_id).delete()
    DigestItem.objects.bulk_create(
        DigestItem(digest_id=digest_id, news_item_id=item_id, position=position) for position, item_id in enumerate(item_ids)
    )
    DigestVariant.objects.filter(digest_id=digest_id).delete()


def _locked_digest(digest_id: int) -> Digest:
    try:
        return Digest.objects.select_for_update().get(pk=digest_id)
    except Digest.DoesNotExist:
        raise NewsletterError(_("There is no digest with id %(id)s.") % {"id": digest_id}) from None


# --- Test send -----------------------------------------------------------------------------------------


def digest_send_test(*, digest_id: int, user_id: int, language: str | None = None,
                     to: list[str] | None = None) -> list[str]:
    """Send the real rendered message of each variant (or only `language`) to `to` (default: the editor's
    own address), one message per address so no one sees the others; at most MAX_TEST_ADDRESSES.

    Placeholders are filled for the editor: her name and address, and test links (selectors.editor_test_urls):
    the web version whatever the digest's status, and unsubscribe and preferences pages that say it was a test
    and change nothing. Goes through Django's mail API, i.e. the configured provider. Returns the languages sent.
    """
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        raise NewsletterError(_("There is no such user."))
    addresses = list(dict.fromkeys(address.strip() for address in (to or [user.email]) if address and address.strip()))
    if not addresses:
        raise NewsletterError(_("Add an email address to your account to receive test messages."))
    if len(addresses) > MAX_TEST_ADDRESSES:
        raise NewsletterError(_("A test goes to at most %(count)d addresses.") % {"count": MAX_TEST_ADDRESSES})
    for address in addresses:
        _refuse_line_breaks(address=address)
    digest = _get_digest(digest_id)
    stored = DigestVariant.objects.filter(digest=digest).order_by("language")
    if language:
        stored = stored.filter(language=language)
    if digest_is_editable(digest.status) or not stored.exists():
        variants = render_digest_variants(digest_id=digest.id, languages=[language] if language else None)
    else:
        # Scheduled or sending: test exactly what recipients get, and never rewrite the rows the
        # delivery engine reads.
        variants = list(stored)
    messages = []
    for variant in variants:
        values = {
            "name": user.get_full_name() or user.get_username(),
            "email": user.email,
            **editor_test_urls(digest_id=digest.id, language=variant.language),
        }
        for address in addresses:
            message = EmailMultiAlternatives(
                subject=f"[Test] {variant.subject}",
                body=placeholders.fill(variant.text, values),
                from_email=f'"{digest.mailing_list.from_name}" <{digest.mailing_list.from_email}>',
                to=[address],
                reply_to=[digest.mailing_list.reply_to] if digest.mailing_list.reply_to else None,
            )
            message.attach_alternative(placeholders.fill_html(variant.html, values), "text/html")
            # Through the organisation's sending domain, as the real send: the test shows what alignment gives.
            sending_domain_apply(message, domain=sending_domain(digest.mailing_list.organisation))
            messages.append(message)
    get_connection().send_messages(messages)
    return [variant.language for variant in variants]
