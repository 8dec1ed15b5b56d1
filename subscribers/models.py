"""The audience: who receives what, with whose consent, and who must never be mailed again."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

LANGUAGE_CHOICES = [("en", "English"), ("fr", "Français"), ("ar", "العربية")]

hex_colour = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Use a colour like #1a73e8."))


def list_label(name: str, organisation_name: str) -> str:
    """A list's name where lists of several organisations are shown together: with its organisation's name,
    unless the list's name already says it."""
    return name if organisation_name.casefold() in name.casefold() else f"{name} — {organisation_name}"


class MailingList(models.Model):
    # Whose list it is: the organisation's name, address, consent text and sending domain go with every email.
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="lists",
                                     verbose_name=_("organisation"))
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    description = models.TextField(_("description"), blank=True)
    from_name = models.CharField(_("sender name"), max_length=200)
    from_email = models.EmailField(_("sender address"))
    reply_to = models.EmailField(_("reply to"), blank=True)
    default_language = models.CharField(_("default language"), max_length=8, choices=LANGUAGE_CHOICES, default="en")
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC", help_text=_(
        "Used for recurring digests, and for readers without a time zone of their own when a digest goes at a local hour."))
    logo_url = models.URLField(_("logo URL"), blank=True, help_text=_("Blank: the organisation's logo."))
    accent_colour = models.CharField(_("accent colour"), max_length=7, blank=True, validators=[hex_colour],
                                     help_text=_("Blank: the organisation's default accent colour."))
    is_public = models.BooleanField(_("public"), default=True, help_text=_("Shown on the subscribe form and in the archive."))
    tracking_enabled = models.BooleanField(_("tracking enabled"), default=False,
                                           help_text=_("Count opens and clicks for this list."))
    welcome_enabled = models.BooleanField(_("send a welcome email"), default=False)
    welcome_subject = models.CharField(_("welcome subject"), max_length=200, blank=True)
    welcome_body = models.TextField(_("welcome body"), blank=True, help_text=_("Plain text sent after a supporter confirms."))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("mailing list")
        verbose_name_plural = _("mailing lists")
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
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Subscriber(models.Model):
    # Stored normalised (subscribers.emails.normalise_email), so uniqueness is case-insensitive.
    email = models.EmailField(_("email"), max_length=254, unique=True)
    # subscribers.emails.email_hash(email), kept in step on every write so planning can exclude
    # suppressed addresses with a join instead of hashing in Python.
    email_hash = models.CharField(_("email hash"), max_length=64, db_index=True, editable=False)
    name = models.CharField(_("name"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=8, choices=LANGUAGE_CHOICES, default="en")
    country = models.CharField(_("country"), max_length=2, blank=True, help_text=_("ISO 3166 code, e.g. LB"))
    time_zone = models.CharField(_("time zone"), max_length=64, blank=True)
    attributes = models.JSONField(_("attributes"), default=dict, blank=True)
    topics = models.ManyToManyField(Topic, verbose_name=_("topics"), blank=True, related_name="subscribers")
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")
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
        PENDING = "pending", _("Pending confirmation")
        ACTIVE = "active", _("Active")
        UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")

    subscriber = models.ForeignKey(Subscriber, verbose_name=_("subscriber"), on_delete=models.CASCADE,
                                   related_name="subscriptions")
    mailing_list = models.ForeignKey(MailingList, verbose_name=_("mailing list"), on_delete=models.CASCADE,
                                     related_name="subscriptions")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed at"), null=True, blank=True)
    # Who ended it: "link", "one-click", "preferences", "provider", "admin", ... (free text, for the audit).
    unsubscribe_source = models.CharField(_("unsubscribe source"), max_length=40, blank=True)
    # The digest whose footer link or List-Unsubscribe ended it, the last time it ended (its figures count her);
    # set (or cleared) by every unsubscribe. An id, as EmailEvent.digest_id: newsletter builds on this app.
    unsubscribed_via_digest_id = models.BigIntegerField(_("unsubscribed via digest id"), null=True, blank=True)

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
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
        FORM = "form", _("Subscribe form")
        API = "api", _("API")
        IMPORT = "import", _("Import")
        ADMIN = "admin", _("Admin")

    subscriber = models.ForeignKey(Subscriber, verbose_name=_("subscriber"), on_delete=models.CASCADE, related_name="consents")
    mailing_list = models.ForeignKey(MailingList, verbose_name=_("mailing list"), on_delete=models.CASCADE, null=True, blank=True)
    text = models.TextField(_("text"))
    version = models.CharField(_("version"), max_length=32)
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=400, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")


class QueuedEmail(models.Model):
    """An email to one subscriber waiting to be sent (the confirmation request or a list's welcome): an
    outbox row.

    Written in the transaction that makes her subscriptions pending (or active, for the welcome), so the
    email is as durable as what caused it: a lost Celery poke, a Redis restart or a provider error delays
    it, never loses it. subscribers.queued_emails claims, sends and deletes rows.
    """

    class Kind(models.TextChoices):
        CONFIRMATION = "confirmation", _("Confirmation request")
        WELCOME = "welcome", _("Welcome")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    # Erasure deletes the row with the subscriber: nothing is sent to an erased person.
    subscriber = models.ForeignKey(Subscriber, verbose_name=_("subscriber"), on_delete=models.CASCADE, related_name="+")
    list_ids = models.JSONField(_("list ids"))  # the lists to confirm; the one list of a welcome
    # A known subscriber's topics travel in her confirm link.
    topic_ids = models.JSONField(_("topic ids"), default=list, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    # Due from this time; a claim moves it past the claim's lease, a failed try past its backoff.
    send_after = models.DateTimeField(_("send after"), default=timezone.now)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=400, blank=True)
    claim = models.CharField(_("claim"), max_length=32, blank=True)  # token of the drain that claimed the row last

    class Meta:
        verbose_name = _("queued email")
        verbose_name_plural = _("queued emails")
        indexes = [models.Index(fields=["send_after"], name="queued_email_due")]

    def __str__(self) -> str:
        return f"{self.kind} for subscriber {self.subscriber_id}, lists {self.list_ids}"


class SubscribeRequest(models.Model):
    """A subscribe form or API request, stored as it came and decided by a worker (subscribers.subscribe_requests).

    The page answers after one INSERT, the same for every address: how long the answer takes says nothing
    about whether the address is new, known, suppressed or out of confirmations. Deleted in the transaction
    that applies it, so it is applied once.
    """

    email = models.CharField(_("email"), max_length=254)
    name = models.CharField(_("name"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=8)
    time_zone = models.CharField(_("time zone"), max_length=64, blank=True)
    list_slugs = models.JSONField(_("list slugs"), default=list)
    topic_slugs = models.JSONField(_("topic slugs"), default=list)
    consent_source = models.CharField(_("consent source"), max_length=16)
    consent_text = models.TextField(_("consent text"))
    consent_version = models.CharField(_("consent version"), max_length=32)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=400, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    send_after = models.DateTimeField(_("send after"), default=timezone.now)  # due from; a claim moves it past its lease
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=400, blank=True)
    claim = models.CharField(_("claim"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("subscribe request")
        verbose_name_plural = _("subscribe requests")
        indexes = [models.Index(fields=["send_after"], name="subscribe_request_due")]

    def __str__(self) -> str:
        return f"subscribe request {self.pk} for {self.list_slugs}"


class Suppression(models.Model):
    """An address that must never be mailed again, kept only as a keyed hash (subscribers.emails.email_hash)."""

    class Reason(models.TextChoices):
        HARD_BOUNCE = "hard_bounce", _("Hard bounce")
        SOFT_BOUNCE = "soft_bounce", _("Repeated soft bounces")
        COMPLAINT = "complaint", _("Spam complaint")
        ERASED = "erased", _("Erased on request")
        REJECTED = "rejected", _("Rejected by provider")
        MANUAL = "manual", _("Added by an administrator")

    email_hash = models.CharField(_("email hash"), max_length=64, unique=True)
    reason = models.CharField(_("reason"), max_length=16, choices=Reason.choices)
    detail = models.CharField(_("detail"), max_length=400, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    # None: for ever. An expired row blocks nothing (subscribers.selectors.suppressions) and is replaced by the next one.
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)

    class Meta:
        verbose_name = _("suppression")
        verbose_name_plural = _("suppressions")

    def __str__(self) -> str:
        return f"{self.email_hash[:12]}… ({self.reason})"


class Segment(models.Model):
    """A saved filter on a list. `filters` is compiled to one query by subscribers.selectors."""

    mailing_list = models.ForeignKey(MailingList, verbose_name=_("mailing list"), on_delete=models.CASCADE,
                                     related_name="segments")
    name = models.CharField(_("name"), max_length=120)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True,
                                   on_delete=models.SET_NULL)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("segment")
        verbose_name_plural = _("segments")
        constraints = [models.UniqueConstraint(fields=["mailing_list", "name"], name="segment_unique_name")]

    def __str__(self) -> str:
        return f"{self.mailing_list} / {self.name}"


class EmailEvent(models.Model):
    """A provider event (webhook), stored once per provider event id.

    Messages carry `metadata={"delivery_id": ..., "digest_id": ...}` (worker sets it), so events map
    back to a delivery and a digest for per-digest statistics.
    """

    event_id = models.CharField(_("event id"), max_length=200, unique=True)
    event_type = models.CharField(_("event type"), max_length=32, db_index=True)  # anymail's normalised event_type
    esp_name = models.CharField(_("provider"), max_length=40, blank=True)
    message_id = models.CharField(_("message id"), max_length=300, blank=True, db_index=True)
    recipient_hash = models.CharField(_("recipient hash"), max_length=64, blank=True, db_index=True)
    digest_id = models.BigIntegerField(_("digest id"), null=True, blank=True, db_index=True)
    delivery_id = models.BigIntegerField(_("delivery id"), null=True, blank=True, db_index=True)
    reject_reason = models.CharField(_("reject reason"), max_length=40, blank=True)
    # subscribers.bounces.BounceClass of a failure or complaint, "" for every other event.
    bounce_class = models.CharField(_("bounce class"), max_length=16, blank=True, db_index=True)
    description = models.TextField(_("description"), blank=True)
    url = models.TextField(_("URL"), blank=True)  # a click's link, without personal tokens (tokens.link_without_tokens)
    occurred_at = models.DateTimeField(_("occurred at"), null=True, blank=True)
    received_at = models.DateTimeField(_("received at"), default=timezone.now)

    class Meta:
        verbose_name = _("email event")
        verbose_name_plural = _("email events")


class DigestEventCount(models.Model):
    """Per digest, how its messages fared by the provider's events: the circuit breaker's figures.

    Each delivery counts once per outcome (its first event of that kind), incremented by conditional UPDATE in
    the transaction that stores the event, so the breaker reads one row instead of counting events.
    """

    digest_id = models.BigIntegerField(_("digest id"), unique=True)
    outcomes = models.PositiveIntegerField(_("outcomes"), default=0)  # delivered + every bounce class but complaints
    delivered = models.PositiveIntegerField(_("delivered"), default=0)
    hard = models.PositiveIntegerField(_("hard"), default=0)
    soft = models.PositiveIntegerField(_("soft"), default=0)
    block = models.PositiveIntegerField(_("block"), default=0)
    rejected = models.PositiveIntegerField(_("rejected"), default=0)
    complaint = models.PositiveIntegerField(_("complaint"), default=0)
    # Set once, by the conditional UPDATE that trips the breaker: a send an editor resumed is not paused again.
    breaker_tripped_at = models.DateTimeField(_("breaker tripped at"), null=True, blank=True)
    breaker_reason = models.CharField(_("breaker reason"), max_length=400, blank=True)

    class Meta:
        verbose_name = _("digest event count")
        verbose_name_plural = _("digest event counts")

    def __str__(self) -> str:
        return f"events of digest {self.digest_id}"
