"""News items and the digests composed from them."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from subscribers.models import LANGUAGE_CHOICES, MailingList, Segment, Topic


def validate_time_zone(value: str) -> None:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError(f"{value!r} is not a time zone name such as Europe/Paris or Asia/Beirut.") from None


class NewsItem(models.Model):
    title = models.CharField(max_length=400)
    dateline = models.CharField(max_length=200, blank=True, help_text='Where it happened, e.g. "UN New York".')
    published_at = models.DateTimeField(default=timezone.now, db_index=True)
    summary = models.TextField(blank=True)
    body_html = models.TextField(blank=True, help_text="Sanitised on save by newsletter.services.")
    link = models.URLField(max_length=1000, blank=True)
    image_url = models.URLField(max_length=1000, blank=True)
    image_alt = models.CharField(max_length=300, blank=True)
    topics = models.ManyToManyField(Topic, blank=True, related_name="news_items")
    language = models.CharField(max_length=8, choices=LANGUAGE_CHOICES, default="en")
    # Items that are translations of one another share a translation_key.
    translation_key = models.CharField(max_length=200, blank=True, db_index=True)
    mailing_lists = models.ManyToManyField(MailingList, blank=True, related_name="news_items")
    source = models.CharField(max_length=200, default="manual")
    source_id = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
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
        DRAFT = "draft", "Draft"
        SCHEDULED = "scheduled", "Scheduled"
        # A scheduled time long past (restored backup, stopped server): an editor must confirm.
        NEEDS_CONFIRMATION = "needs_confirmation", "Waiting for confirmation"
        PREPARING = "preparing", "Preparing"
        SENDING = "sending", "Sending"
        PAUSED = "paused", "Paused"
        SENT = "sent", "Sent"
        CANCELLED = "cancelled", "Cancelled"
        FAILED = "failed", "Failed"

    mailing_list = models.ForeignKey(MailingList, on_delete=models.PROTECT, related_name="digests")
    segment = models.ForeignKey(Segment, null=True, blank=True, on_delete=models.PROTECT, related_name="digests")
    subject = models.CharField(max_length=200)
    # A subject made from a template with {date} (compose_digest's default, recurring digests) is written
    # again in each variant's language (newsletter.subjects) while `subject` is still what it gave.
    subject_template = models.CharField(max_length=200, blank=True, default="")
    subject_date = models.DateField(null=True, blank=True)
    preheader = models.CharField(max_length=200, blank=True)
    intro = models.TextField(blank=True)
    items = models.ManyToManyField(NewsItem, through="DigestItem", related_name="digests")
    status = models.CharField(max_length=24, choices=Status.choices, default=Status.DRAFT, db_index=True)
    send_at = models.DateTimeField(null=True, blank=True, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    status_detail = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.subject


class DigestItem(models.Model):
    digest = models.ForeignKey(Digest, on_delete=models.CASCADE, related_name="digest_items")
    news_item = models.ForeignKey(NewsItem, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["digest", "news_item"], name="digestitem_unique")]


class DigestVariant(models.Model):
    """One rendered language version of a digest, CSS already inlined.

    `html` and `text` contain the placeholders of newsletter.placeholders; the delivery engine fills
    them per recipient by string substitution (or hands them to the provider's merge). Rendering
    happens once per variant, never per recipient.
    """

    digest = models.ForeignKey(Digest, on_delete=models.CASCADE, related_name="variants")
    language = models.CharField(max_length=8, choices=LANGUAGE_CHOICES)
    subject = models.CharField(max_length=200)
    html = models.TextField()
    text = models.TextField()
    size_bytes = models.PositiveIntegerField(default=0)
    # sha256 of the template output `html` was inlined from (newsletter.rendering): same source, same output.
    source_hash = models.CharField(max_length=64, blank=True, default="")
    rendered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["digest", "language"], name="digestvariant_unique_language")]

    def __str__(self) -> str:
        return f"{self.digest_id}/{self.language}"


class Feed(models.Model):
    """An RSS or Atom feed whose entries become news items of a list, polled from beat."""

    mailing_list = models.ForeignKey(MailingList, on_delete=models.CASCADE, related_name="feeds")
    name = models.CharField(max_length=200, blank=True)
    url = models.URLField(max_length=1000)
    language = models.CharField(
        max_length=8, choices=LANGUAGE_CHOICES, blank=True, help_text="Used when the feed does not say; default: the list's."
    )
    is_active = models.BooleanField(default=True)
    # HTTP validators from the last successful fetch, sent back so an unchanged feed costs a 304.
    etag = models.CharField(max_length=300, blank=True)
    modified = models.CharField(max_length=100, blank=True, help_text="Last-Modified header of the last fetch.")
    last_polled_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
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

    feed = models.ForeignKey(Feed, null=True, blank=True, on_delete=models.CASCADE, related_name="problems")
    source = models.CharField(max_length=200)
    reference = models.CharField(max_length=500, blank=True, help_text="Entry id, link or CSV line number.")
    reason = models.TextField()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.source} {self.reference}: {self.reason[:60]}"


class RecurringDigest(models.Model):
    """A digest a list composes by itself on a cadence, when enough new items exist."""

    class Cadence(models.TextChoices):
        DAILY = "daily", "Daily"
        WEEKLY = "weekly", "Weekly"
        MONTHLY = "monthly", "Monthly"

    WEEKDAYS = [(0, "Monday"), (1, "Tuesday"), (2, "Wednesday"), (3, "Thursday"), (4, "Friday"), (5, "Saturday"), (6, "Sunday")]

    mailing_list = models.ForeignKey(MailingList, on_delete=models.CASCADE, related_name="recurring_digests")
    segment = models.ForeignKey(Segment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    cadence = models.CharField(max_length=8, choices=Cadence.choices, default=Cadence.WEEKLY)
    weekday = models.PositiveSmallIntegerField(choices=WEEKDAYS, default=0, help_text="For weekly digests.")
    day_of_month = models.PositiveSmallIntegerField(
        default=1, help_text="For monthly digests; 29-31 mean the month's last day in shorter months."
    )
    time_of_day = models.TimeField(help_text="In the list's time zone.")
    min_items = models.PositiveIntegerField(default=1, help_text="Fewer new items than this: no digest this time.")
    auto_send = models.BooleanField(default=False, help_text="Send at once; otherwise leave a draft and email the editors.")
    subject = models.CharField(max_length=200, help_text="May contain {date} and {list}.")
    preheader = models.CharField(max_length=200, blank=True)
    intro = models.TextField(blank=True)
    is_active = models.BooleanField(default=True)
    # The next run, kept in UTC; a run claims it with a conditional UPDATE so two beats never run it twice.
    next_run_at = models.DateTimeField(null=True, blank=True, db_index=True)
    last_run_at = models.DateTimeField(null=True, blank=True)
    last_result = models.TextField(blank=True)
    # The digest the last run composed: the next run only counts items published after it.
    last_digest = models.ForeignKey("Digest", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["mailing_list", "id"]

    def __str__(self) -> str:
        return f"{self.mailing_list} ({self.get_cadence_display().lower()})"

    def clean(self) -> None:
        if not 1 <= self.day_of_month <= 31:
            raise ValidationError({"day_of_month": "Use a day between 1 and 31."})
        if self.weekday > 6:
            raise ValidationError({"weekday": "Use a weekday between Monday and Sunday."})


class EditorSettings(models.Model):
    """Per-editor preferences: the time zone in which she enters schedule times."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="newsletter_settings")
    time_zone = models.CharField(max_length=64, default="UTC", validators=[validate_time_zone])

    def __str__(self) -> str:
        return f"{self.user} ({self.time_zone})"
