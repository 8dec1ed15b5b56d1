"""News items and the digests composed from them."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from subscribers.models import LANGUAGE_CHOICES, MailingList, Segment, Topic


def validate_time_zone(value: str) -> None:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError(
            _("%(value)r is not a time zone name such as Europe/Paris or Asia/Beirut."), params={"value": value}
        ) from None


class NewsItem(models.Model):
    title = models.CharField(_("title"), max_length=400)
    dateline = models.CharField(_("dateline"), max_length=200, blank=True, help_text=_('Where it happened, e.g. "UN New York".'))
    published_at = models.DateTimeField(_("published at"), default=timezone.now, db_index=True)
    summary = models.TextField(_("summary"), blank=True)
    body_html = models.TextField(_("body (HTML)"), blank=True, help_text=_("Sanitised on save by newsletter.services."))
    link = models.URLField(_("link"), max_length=1000, blank=True)
    image_url = models.URLField(_("image URL"), max_length=1000, blank=True)
    image_alt = models.CharField(_("image description (alt text)"), max_length=300, blank=True)
    topics = models.ManyToManyField(Topic, verbose_name=_("topics"), blank=True, related_name="news_items")
    language = models.CharField(_("language"), max_length=8, choices=LANGUAGE_CHOICES, default="en")
    # Items that are translations of one another share a translation_key.
    translation_key = models.CharField(_("translation key"), max_length=200, blank=True, db_index=True)
    mailing_lists = models.ManyToManyField(MailingList, verbose_name=_("mailing lists"), blank=True, related_name="news_items")
    source = models.CharField(_("source"), max_length=200, default="manual")
    source_id = models.CharField(_("source id"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("news item")
        verbose_name_plural = _("news items")
        ordering = ["-published_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "source_id"],
                condition=~models.Q(source_id=""),
                name="newsitem_unique_source_id",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Digest(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Scheduled")
        # A scheduled time long past (restored backup, stopped server): an editor must confirm.
        NEEDS_CONFIRMATION = "needs_confirmation", _("Waiting for confirmation")
        PREPARING = "preparing", _("Preparing")
        SENDING = "sending", _("Sending")
        PAUSED = "paused", _("Paused")
        SENT = "sent", _("Sent")
        CANCELLED = "cancelled", _("Cancelled")
        FAILED = "failed", _("Failed")

    class SendMode(models.TextChoices):
        AT_ONCE = "at_once", _("At one moment for everybody")
        LOCAL_TIME = "local_time", _("At the same hour in each reader's time zone")

    mailing_list = models.ForeignKey(MailingList, verbose_name=_("mailing list"), on_delete=models.PROTECT,
                                     related_name="digests")
    segment = models.ForeignKey(Segment, verbose_name=_("segment"), null=True, blank=True, on_delete=models.PROTECT,
                                related_name="digests")
    subject = models.CharField(_("subject"), max_length=200)
    # A subject made from a template with {date} (compose_digest's default, recurring digests) is written
    # again in each variant's language (newsletter.subjects) while `subject` is still what it gave.
    subject_template = models.CharField(_("subject template"), max_length=200, blank=True, default="")
    subject_date = models.DateField(_("subject date"), null=True, blank=True)
    preheader = models.CharField(_("preheader"), max_length=200, blank=True)
    intro = models.TextField(_("intro"), blank=True)
    items = models.ManyToManyField(NewsItem, verbose_name=_("items"), through="DigestItem", related_name="digests")
    status = models.CharField(_("status"), max_length=24, choices=Status.choices, default=Status.DRAFT, db_index=True)
    send_at = models.DateTimeField(_("send at"), null=True, blank=True, db_index=True)
    # at_once: everybody at send_at. local_time: each reader at local_send_time in her zone, the first such
    # moment at or after send_at (worker.local_time; docs/decisions/0020-local-time-sends.md).
    send_mode = models.CharField(_("send mode"), max_length=16, choices=SendMode.choices, default=SendMode.AT_ONCE)
    local_send_time = models.TimeField(_("local send time"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    status_detail = models.TextField(_("status detail"), blank=True)
    # Each reader gets only the items of the topics she chose (newsletter.tailoring).
    tailored = models.BooleanField(
        _("tailored by interests"), default=False,
        help_text=_("Each reader gets only the items of the topics she chose; items without a topic go to everybody, "
                    "and a reader who chose no topic gets them all."))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("scheduled by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("digest")
        verbose_name_plural = _("digests")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.subject


class DigestItem(models.Model):
    digest = models.ForeignKey(Digest, verbose_name=_("digest"), on_delete=models.CASCADE, related_name="digest_items")
    news_item = models.ForeignKey(NewsItem, verbose_name=_("news item"), on_delete=models.PROTECT, related_name="+")
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("digest item")
        verbose_name_plural = _("digest items")
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["digest", "news_item"], name="digestitem_unique")]


class DigestVariant(models.Model):
    """One rendered language version of a digest, CSS already inlined.

    `html` and `text` contain the placeholders of newsletter.placeholders; the delivery engine fills
    them per recipient by string substitution (or hands them to the provider's merge). Rendering
    happens once per variant, never per recipient.
    """

    digest = models.ForeignKey(Digest, verbose_name=_("digest"), on_delete=models.CASCADE, related_name="variants")
    language = models.CharField(_("language"), max_length=8, choices=LANGUAGE_CHOICES)
    # A tailored digest's variant holds some of its items: their ids, sorted and comma-separated
    # (newsletter.tailoring.item_key). Blank: every item (a digest that is not tailored).
    item_key = models.CharField(_("items"), max_length=1000, blank=True, default="")
    subject = models.CharField(_("subject"), max_length=200)
    html = models.TextField(_("HTML"))
    text = models.TextField(_("text"))
    size_bytes = models.PositiveIntegerField(_("size bytes"), default=0)
    # sha256 of the template output `html` was inlined from (newsletter.rendering): same source, same output.
    source_hash = models.CharField(_("source hash"), max_length=64, blank=True, default="")
    rendered_at = models.DateTimeField(_("rendered at"), default=timezone.now)

    class Meta:
        verbose_name = _("language version")
        verbose_name_plural = _("language versions")
        constraints = [models.UniqueConstraint(fields=["digest", "language", "item_key"], name="digestvariant_unique_items")]

    def __str__(self) -> str:
        return f"{self.digest_id}/{self.language}" + (f"/{self.item_key}" if self.item_key else "")


class Feed(models.Model):
    """An RSS or Atom feed whose entries become news items of a list, polled from beat."""

    mailing_list = models.ForeignKey(MailingList, verbose_name=_("mailing list"), on_delete=models.CASCADE, related_name="feeds")
    name = models.CharField(_("name"), max_length=200, blank=True)
    url = models.URLField(_("URL"), max_length=1000)
    language = models.CharField(
        _("language"),
        max_length=8, choices=LANGUAGE_CHOICES, blank=True, help_text=_("Used when the feed does not say; default: the list's.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    # HTTP validators from the last successful fetch, sent back so an unchanged feed costs a 304.
    etag = models.CharField(_("etag"), max_length=300, blank=True)
    modified = models.CharField(_("modified"), max_length=100, blank=True, help_text=_("Last-Modified header of the last fetch."))
    last_polled_at = models.DateTimeField(_("last polled at"), null=True, blank=True)
    last_success_at = models.DateTimeField(_("last success at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("feed")
        verbose_name_plural = _("feeds")
        ordering = ["mailing_list", "name", "url"]
        constraints = [models.UniqueConstraint(fields=["mailing_list", "url"], name="feed_unique_per_list")]

    def __str__(self) -> str:
        return self.name or self.url

    @property
    def source(self) -> str:
        """NewsItem.source of this feed's items: re-imports of the same entry update one row."""
        return f"feed:{self.url}"[:200]


class ImportProblem(models.Model):
    """A feed entry or CSV row that could not be imported, with the reason, shown to editors."""

    feed = models.ForeignKey(Feed, verbose_name=_("feed"), null=True, blank=True, on_delete=models.CASCADE,
                             related_name="problems")
    source = models.CharField(_("source"), max_length=200)
    reference = models.CharField(_("reference"), max_length=500, blank=True, help_text=_("Entry id, link or CSV line number."))
    reason = models.TextField(_("reason"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("import problem")
        verbose_name_plural = _("import problems")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.source} {self.reference}: {self.reason[:60]}"


class RecurringDigest(models.Model):
    """A digest a list composes by itself on a cadence, when enough new items exist."""

    class Cadence(models.TextChoices):
        DAILY = "daily", _("Daily")
        WEEKLY = "weekly", _("Weekly")
        MONTHLY = "monthly", _("Monthly")

    WEEKDAYS = [(0, _("Monday")), (1, _("Tuesday")), (2, _("Wednesday")), (3, _("Thursday")), (4, _("Friday")),
                (5, _("Saturday")), (6, _("Sunday"))]

    mailing_list = models.ForeignKey(MailingList, verbose_name=_("mailing list"), on_delete=models.CASCADE,
                                     related_name="recurring_digests")
    segment = models.ForeignKey(Segment, verbose_name=_("segment"), null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    cadence = models.CharField(_("cadence"), max_length=8, choices=Cadence.choices, default=Cadence.WEEKLY)
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=WEEKDAYS, default=0, help_text=_("For weekly digests."))
    day_of_month = models.PositiveSmallIntegerField(
        _("day of month"),
        default=1, help_text=_("For monthly digests; 29-31 mean the month's last day in shorter months.")
    )
    time_of_day = models.TimeField(_("time of day"), help_text=_("In the list's time zone."))
    min_items = models.PositiveIntegerField(_("minimum items"), default=1,
                                            help_text=_("Fewer new items than this: no digest this time."))
    auto_send = models.BooleanField(_("auto send"), default=False,
                                    help_text=_("Send at once; otherwise leave a draft and email the editors."))
    subject = models.CharField(_("subject"), max_length=200, help_text=_("May contain {date} and {list}."))
    preheader = models.CharField(_("preheader"), max_length=200, blank=True)
    intro = models.TextField(_("intro"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    # The next run, kept in UTC; a run claims it with a conditional UPDATE so two beats never run it twice.
    next_run_at = models.DateTimeField(_("next run at"), null=True, blank=True, db_index=True)
    last_run_at = models.DateTimeField(_("last run at"), null=True, blank=True)
    last_result = models.TextField(_("last result"), blank=True)
    # The digest the last run composed: the next run only counts items published after it.
    last_digest = models.ForeignKey("Digest", verbose_name=_("last digest"), null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("recurring digest")
        verbose_name_plural = _("recurring digests")
        ordering = ["mailing_list", "id"]

    def __str__(self) -> str:
        return f"{self.mailing_list} ({self.get_cadence_display().lower()})"

    def clean(self) -> None:
        if not 1 <= self.day_of_month <= 31:
            raise ValidationError({"day_of_month": _("Use a day between 1 and 31.")})
        if self.weekday > 6:
            raise ValidationError({"weekday": _("Use a weekday between Monday and Sunday.")})


class EditorSettings(models.Model):
    """Per-editor preferences: the time zone in which she enters schedule times."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
                                related_name="newsletter_settings")
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC", validators=[validate_time_zone])

    class Meta:
        verbose_name = _("editor settings")
        verbose_name_plural = _("editor settings")

    def __str__(self) -> str:
        return f"{self.user} ({self.time_zone})"


class MediaImage(models.Model):
    """An image an editor uploaded once and reuses in news items: resized, without EXIF, in default storage."""

    organisation = models.ForeignKey("organisations.Organisation", verbose_name=_("organisation"),
                                     on_delete=models.CASCADE, related_name="media_images")
    # No width_field/height_field: they would make Django read the file back from storage; the upload sets them.
    file = models.ImageField(_("file"), upload_to="images/%Y/%m/", max_length=300)
    width = models.PositiveIntegerField(_("width"), default=0)
    height = models.PositiveIntegerField(_("height"), default=0)
    alt_text = models.CharField(_("description (alt text)"), max_length=300,
                                help_text=_("What the image shows, for people who cannot see it."))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("image")
        verbose_name_plural = _("images")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.alt_text
