"""The audience: who receives what, with whose consent, and who must never be mailed again."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone

LANGUAGE_CHOICES = [("en", "English"), ("fr", "Français"), ("ar", "العربية")]

hex_colour = RegexValidator(r"^#[0-9a-fA-F]{6}$", "Use a colour like #1a73e8.")


def list_label(name: str, organisation_name: str) -> str:
    """A list's name where lists of several organisations are shown together: with its organisation's name,
    unless the list's name already says it."""
    return name if organisation_name.casefold() in name.casefold() else f"{name} — {organisation_name}"


class MailingList(models.Model):
    # Whose list it is: the organisation's name, address, consent text and sending domain go with every email.
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="lists")
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(blank=True)
    from_name = models.CharField("sender name", max_length=200)
    from_email = models.EmailField("sender address")
    reply_to = models.EmailField(blank=True)
    default_language = models.CharField(max_length=8, choices=LANGUAGE_CHOICES, default="en")
    time_zone = models.CharField(max_length=64, default="UTC", help_text="Used for recurring digests.")
    logo_url = models.URLField(blank=True, help_text="Blank: the organisation's logo.")
    accent_colour = models.CharField(max_length=7, blank=True, validators=[hex_colour],
                                     help_text="Blank: the organisation's default accent colour.")
    is_public = models.BooleanField(default=True, help_text="Shown on the subscribe form and in the archive.")
    tracking_enabled = models.BooleanField(default=False, help_text="Count opens and clicks for this list.")
    welcome_enabled = models.BooleanField(default=False)
    welcome_subject = models.CharField(max_length=200, blank=True)
    welcome_body = models.TextField(blank=True, help_text="Plain text sent after a supporter confirms.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def accent(self) -> str:
        """The list's accent colour, or its organisation's default."""
        return self.accent_colour or self.organisation.accent_colour

    @property
    def logo(self) -> str:
        """The list's logo URL, or its organisation's (may be empty)."""
        return self.logo_url or self.organisation.logo_url

    @property
    def zone(self) -> ZoneInfo:
        """The list's time zone; UTC when it is empty or not a zone this machine knows."""
        try:
            return ZoneInfo(self.time_zone or "UTC")
        except (KeyError, ValueError):
            return ZoneInfo("UTC")


class Topic(models.Model):
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=80, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Subscriber(models.Model):
    # Stored normalised (subscribers.emails.normalise_email), so uniqueness is case-insensitive.
    email = models.EmailField(max_length=254, unique=True)
    # subscribers.emails.email_hash(email), kept in step on every write so planning can exclude
    # suppressed addresses with a join instead of hashing in Python.
    email_hash = models.CharField(max_length=64, db_index=True, editable=False)
    name = models.CharField(max_length=200, blank=True)
    language = models.CharField(max_length=8, choices=LANGUAGE_CHOICES, default="en")
    country = models.CharField(max_length=2, blank=True, help_text="ISO 3166 code, e.g. LB")
    time_zone = models.CharField(max_length=64, blank=True)
    attributes = models.JSONField(default=dict, blank=True)
    topics = models.ManyToManyField(Topic, blank=True, related_name="subscribers")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.email

    def save(self, *args, **kwargs) -> None:
        # Every write path (forms, API, import, admin) goes through here, so the address is always
        # stored normalised and its keyed hash always matches it.
        from subscribers.emails import email_hash, normalise_email

        self.email = normalise_email(self.email)
        self.email_hash = email_hash(self.email)
        if kwargs.get("update_fields") is not None and "email" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "email_hash"}
        super().save(*args, **kwargs)


class Subscription(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending confirmation"
        ACTIVE = "active", "Active"
        UNSUBSCRIBED = "unsubscribed", "Unsubscribed"

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="subscriptions")
    mailing_list = models.ForeignKey(MailingList, on_delete=models.CASCADE, related_name="subscriptions")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    # Who ended it: "link", "one-click", "preferences", "provider", "admin", ... (free text, for the audit).
    unsubscribe_source = models.CharField(max_length=40, blank=True)
    # The digest whose footer link or List-Unsubscribe ended it, the last time it ended (its figures count her);
    # set (or cleared) by every unsubscribe. An id, as EmailEvent.digest_id: newsletter builds on this app.
    unsubscribed_via_digest_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["subscriber", "mailing_list"], name="subscription_unique_per_list"),
        ]
        indexes = [
            models.Index(fields=["mailing_list", "status", "subscriber"], name="subscription_audience"),
            models.Index(fields=["unsubscribed_via_digest_id"], name="subscription_left_via_digest",
                         condition=models.Q(unsubscribed_via_digest_id__isnull=False)),
        ]

    def __str__(self) -> str:
        return f"{self.subscriber_id} on {self.mailing_list_id}: {self.status}"


class ConsentRecord(models.Model):
    class Source(models.TextChoices):
        FORM = "form", "Subscribe form"
        API = "api", "API"
        IMPORT = "import", "Import"
        ADMIN = "admin", "Admin"

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="consents")
    mailing_list = models.ForeignKey(MailingList, on_delete=models.CASCADE, null=True, blank=True)
    text = models.TextField()
    version = models.CharField(max_length=32)
    source = models.CharField(max_length=16, choices=Source.choices)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=400, blank=True)
    created_at = models.DateTimeField(default=timezone.now)


class QueuedEmail(models.Model):
    """An email to one subscriber waiting to be sent (the confirmation request or a list's welcome): an
    outbox row.

    Written in the transaction that makes her subscriptions pending (or active, for the welcome), so the
    email is as durable as what caused it: a lost Celery poke, a Redis restart or a provider error delays
    it, never loses it. subscribers.queued_emails claims, sends and deletes rows.
    """

    class Kind(models.TextChoices):
        CONFIRMATION = "confirmation", "Confirmation request"
        WELCOME = "welcome", "Welcome"

    kind = models.CharField(max_length=16, choices=Kind.choices)
    # Erasure deletes the row with the subscriber: nothing is sent to an erased person.
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="+")
    list_ids = models.JSONField()  # the lists to confirm; the one list of a welcome
    topic_ids = models.JSONField(default=list, blank=True)  # a known subscriber's topics travel in her confirm link
    created_at = models.DateTimeField(default=timezone.now)
    # Due from this time; a claim moves it past the claim's lease, a failed try past its backoff.
    send_after = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=400, blank=True)
    claim = models.CharField(max_length=32, blank=True)  # token of the drain that claimed the row last

    class Meta:
        indexes = [models.Index(fields=["send_after"], name="queued_email_due")]

    def __str__(self) -> str:
        return f"{self.kind} for subscriber {self.subscriber_id}, lists {self.list_ids}"


class SubscribeRequest(models.Model):
    """A subscribe form or API request, stored as it came and decided by a worker (subscribers.subscribe_requests).

    The page answers after one INSERT, the same for every address: how long the answer takes says nothing
    about whether the address is new, known, suppressed or out of confirmations. Deleted in the transaction
    that applies it, so it is applied once.
    """

    email = models.CharField(max_length=254)
    name = models.CharField(max_length=200, blank=True)
    language = models.CharField(max_length=8)
    list_slugs = models.JSONField(default=list)
    topic_slugs = models.JSONField(default=list)
    consent_source = models.CharField(max_length=16)
    consent_text = models.TextField()
    consent_version = models.CharField(max_length=32)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=400, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    send_after = models.DateTimeField(default=timezone.now)  # due from; a claim moves it past its lease
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=400, blank=True)
    claim = models.CharField(max_length=32, blank=True)

    class Meta:
        indexes = [models.Index(fields=["send_after"], name="subscribe_request_due")]

    def __str__(self) -> str:
        return f"subscribe request {self.pk} for {self.list_slugs}"


class Suppression(models.Model):
    """An address that must never be mailed again, kept only as a keyed hash (subscribers.emails.email_hash)."""

    class Reason(models.TextChoices):
        HARD_BOUNCE = "hard_bounce", "Hard bounce"
        SOFT_BOUNCE = "soft_bounce", "Repeated soft bounces"
        COMPLAINT = "complaint", "Spam complaint"
        ERASED = "erased", "Erased on request"
        REJECTED = "rejected", "Rejected by provider"
        MANUAL = "manual", "Added by an administrator"

    email_hash = models.CharField(max_length=64, unique=True)
    reason = models.CharField(max_length=16, choices=Reason.choices)
    detail = models.CharField(max_length=400, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # None: for ever. An expired row blocks nothing (subscribers.selectors.suppressions) and is replaced by the next one.
    expires_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.email_hash[:12]}… ({self.reason})"


class Segment(models.Model):
    """A saved filter on a list. `filters` is compiled to one query by subscribers.selectors."""

    mailing_list = models.ForeignKey(MailingList, on_delete=models.CASCADE, related_name="segments")
    name = models.CharField(max_length=120)
    filters = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["mailing_list", "name"], name="segment_unique_name")]

    def __str__(self) -> str:
        return f"{self.mailing_list} / {self.name}"


class EmailEvent(models.Model):
    """A provider event (webhook), stored once per provider event id.

    Messages carry `metadata={"delivery_id": ..., "digest_id": ...}` (worker sets it), so events map
    back to a delivery and a digest for per-digest statistics.
    """

    event_id = models.CharField(max_length=200, unique=True)
    event_type = models.CharField(max_length=32, db_index=True)  # anymail's normalised event_type
    esp_name = models.CharField(max_length=40, blank=True)
    message_id = models.CharField(max_length=300, blank=True, db_index=True)
    recipient_hash = models.CharField(max_length=64, blank=True, db_index=True)
    digest_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    delivery_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    reject_reason = models.CharField(max_length=40, blank=True)
    # subscribers.bounces.BounceClass of a failure or complaint, "" for every other event.
    bounce_class = models.CharField(max_length=16, blank=True, db_index=True)
    description = models.TextField(blank=True)
    url = models.TextField(blank=True)  # a click's link, without personal tokens (tokens.link_without_tokens)
    occurred_at = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField(default=timezone.now)


class DigestEventCount(models.Model):
    """Per digest, how its messages fared by the provider's events: the circuit breaker's figures.

    Each delivery counts once per outcome (its first event of that kind), incremented by conditional UPDATE in
    the transaction that stores the event, so the breaker reads one row instead of counting events.
    """

    digest_id = models.BigIntegerField(unique=True)
    outcomes = models.PositiveIntegerField(default=0)  # delivered + every bounce class but complaints
    delivered = models.PositiveIntegerField(default=0)
    hard = models.PositiveIntegerField(default=0)
    soft = models.PositiveIntegerField(default=0)
    block = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    complaint = models.PositiveIntegerField(default=0)
    # Set once, by the conditional UPDATE that trips the breaker: a send an editor resumed is not paused again.
    breaker_tripped_at = models.DateTimeField(null=True, blank=True)
    breaker_reason = models.CharField(max_length=400, blank=True)

    def __str__(self) -> str:
        return f"events of digest {self.digest_id}"
