"""News items and the digests composed from them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from subscribers.models import LANGUAGE_CHOICES, MailingList, Segment, Topic


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
    rendered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["digest", "language"], name="digestvariant_unique_language")]

    def __str__(self) -> str:
        return f"{self.digest_id}/{self.language}"
