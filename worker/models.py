"""Delivery-side records: each digest's send, its batches and deliveries."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from newsletter.models import Digest


class DigestSend(models.Model):
    """The delivery engine's own per-digest state (the Digest row belongs to newsletter)."""

    digest = models.OneToOneField("newsletter.Digest", verbose_name=_("digest"), on_delete=models.CASCADE, related_name="send")
    provider = models.CharField(_("provider"), max_length=40, blank=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True,
                                      help_text=_("When a scan moved the digest to preparing."))
    planned_at = models.DateTimeField(_("planned at"), null=True, blank=True,
                                      help_text=_("When the audience was frozen into deliveries."))
    total = models.PositiveIntegerField(_("total"), default=0)
    # Provider calls are counted on each Batch only (worker.selectors.digest_cost adds them up): a per-digest
    # counter was one more UPDATE per batch, on one row every worker of the send wrote to.
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("digest send")
        verbose_name_plural = _("digest sends")

    def __str__(self) -> str:
        return f"send of digest {self.digest_id}"


class Batch(models.Model):
    """A slice of one digest variant's deliveries, sent with one provider call (or one connection)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SUBMITTING = "submitting", _("Submitting")
        SUBMITTED = "submitted", _("Submitted")
        FAILED = "failed", _("Failed")
        # The provider may or may not have it: never resent automatically.
        UNCERTAIN = "uncertain", _("Uncertain")
        CANCELLED = "cancelled", _("Cancelled")
        # Its uncertain recipients were moved to a new batch by an editor's explicit resend.
        RESENT = "resent", _("Resent")

    digest = models.ForeignKey("newsletter.Digest", verbose_name=_("digest"), on_delete=models.CASCADE, related_name="batches")
    variant = models.ForeignKey("newsletter.DigestVariant", verbose_name=_("variant"), on_delete=models.PROTECT,
                                related_name="batches")
    language = models.CharField(_("language"), max_length=8)
    # The readers' time zone of a local-time send (their batches wait until next_attempt_at); blank: one moment.
    zone = models.CharField(_("time zone"), max_length=64, blank=True, default="")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    size = models.PositiveIntegerField(_("size"), default=0)
    first_subscriber_id = models.BigIntegerField(_("first subscriber id"), default=0)
    last_subscriber_id = models.BigIntegerField(_("last subscriber id"), default=0)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    # Claims that ended with the worker gone before the provider was called.
    crashes = models.PositiveIntegerField(_("crashes"), default=0)
    claim_token = models.CharField(_("claim token"), max_length=64, blank=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    # The process holding the claim ("host:pid", worker.liveness): a dead claimer's batch is settled at once.
    claimed_by = models.CharField(_("claimed by"), max_length=200, blank=True)
    # When the send slots this batch reserved from the rate limiter begin: it was given back to wait for them
    # without holding a worker, and its next claim sends in them instead of reserving again.
    rate_slot_at = models.DateTimeField(_("rate slot at"), null=True, blank=True)
    # Set (by conditional UPDATE) just before the first provider call of a claim: after this point a
    # lost worker means "the provider may have it" -> uncertain; before it, the batch can go back to pending.
    provider_call_started_at = models.DateTimeField(_("provider call started at"), null=True, blank=True)
    touched_at = models.DateTimeField(_("touched at"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    poked_at = models.DateTimeField(_("poked at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    provider_calls = models.PositiveIntegerField(_("provider calls"), default=0)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("batch")
        verbose_name_plural = _("batches")
        ordering = ["digest_id", "id"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="batch_due"),
            models.Index(fields=["digest", "status"], name="batch_digest_status"),
        ]

    def __str__(self) -> str:
        return f"batch {self.pk} of digest {self.digest_id} ({self.status})"


class Delivery(models.Model):
    """One digest to one subscriber: the unit of work and the audit trail."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Accepted by the provider")
        FAILED = "failed", _("Failed")
        UNCERTAIN = "uncertain", _("Uncertain")
        # Unsubscribed or suppressed after planning, or the digest was cancelled.
        SKIPPED = "skipped", _("Skipped")

    # Indexes: every one is one more entry written per delivery when a digest is planned (100,000 rows at once),
    # so digest lookups use delivery_unique_per_digest (digest, subscriber), which starts with it. No index holds
    # `status` (see Meta): marking a delivery sent then changes no indexed column, and with the room the table's
    # fillfactor leaves on each page (migration worker 0001) PostgreSQL updates the row in place (a HOT update),
    # writing no index entry at all; a non-HOT update wrote one into each of the five indexes, and recording sent
    # rows was the largest database cost of a one-message-per-recipient send.
    # Every key has its database constraint: raw SQL writes and deletes here too, and a delivery pointing at a
    # digest or batch that is gone would be counted in no account. What the checks at commit cost a large plan,
    # and why we pay it: docs/decisions/0008-delivery-foreign-keys.md.
    digest = models.ForeignKey("newsletter.Digest", verbose_name=_("digest"), on_delete=models.CASCADE, related_name="deliveries",
                               db_index=False)
    subscriber = models.ForeignKey("subscribers.Subscriber", verbose_name=_("subscriber"), on_delete=models.CASCADE,
                                   related_name="deliveries")
    batch = models.ForeignKey(Batch, verbose_name=_("batch"), null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="deliveries", db_index=False)
    language = models.CharField(_("language"), max_length=8)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    provider_message_id = models.CharField(_("provider message id"), max_length=300, blank=True)
    error = models.TextField(_("error"), blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [models.UniqueConstraint(fields=["digest", "subscriber"], name="delivery_unique_per_digest")]
        indexes = [
            # A batch's deliveries (at most a batch's size); their status is filtered on the rows.
            models.Index(fields=["batch"], name="delivery_batch"),
            # Deliveries not cut into a batch yet: normally none, so this index stays nearly empty. It answers
            # "is anything of this digest still unplanned?", asked after every batch (digest_finish_if_done).
            models.Index(fields=["digest"], condition=models.Q(batch__isnull=True), name="delivery_unbatched"),
        ]

    def __str__(self) -> str:
        return f"digest {self.digest_id} -> subscriber {self.subscriber_id}: {self.status}"


class Send(Digest):
    """The digest seen from the delivery side: the admin's "Sends" (progress, pause, resume, report)."""

    class Meta:
        proxy = True
        verbose_name = _("send")
        verbose_name_plural = _("sends")
