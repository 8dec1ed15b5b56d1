"""The audit trail. The per-editor time zone is newsletter.models.EditorSettings (one place for it: the
schedule form reads times in it and editorial.middleware shows every time in it)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """Who did what to which object, when. Written only by editorial.services.audit_record; never changed."""

    class Action(models.TextChoices):
        DIGEST_CREATED = "digest_created", _("Digest created")
        DIGEST_SCHEDULED = "digest_scheduled", _("Digest scheduled")
        DIGEST_RESCHEDULED = "digest_rescheduled", _("Digest rescheduled")
        DIGEST_UNSCHEDULED = "digest_unscheduled", _("Digest back to draft")
        DIGEST_SENT_NOW = "digest_sent_now", _("Digest sent now")
        DIGEST_CANCELLED = "digest_cancelled", _("Digest cancelled")
        DIGEST_PAUSED = "digest_paused", _("Digest paused")
        DIGEST_RESUMED = "digest_resumed", _("Digest resumed")
        DIGEST_RESENT_UNCERTAIN = "digest_resent_uncertain", _("Uncertain recipients resent")
        SUBSCRIBERS_IMPORTED = "subscribers_imported", _("Subscribers imported")
        SUBSCRIBERS_EXPORTED = "subscribers_exported", _("Subscribers exported")
        SUBSCRIBER_DATA_EXPORTED = "subscriber_data_exported", _("Subscriber data exported")
        SUBSCRIBER_ERASED = "subscriber_erased", _("Subscriber erased")
        SUBSCRIBER_LOOKED_UP = "subscriber_looked_up", _("Subscriber looked up")
        ROLE_GRANTED = "role_granted", _("Role granted")
        ORGANISATION_JOINED = "organisation_joined", _("Member of an organisation")
        INVITATION_SENT = "invitation_sent", _("Invitation sent")
        INVITATION_ACCEPTED = "invitation_accepted", _("Invitation accepted")
        MEDIA_IMAGE_DELETED = "media_image_deleted", _("Image deleted")

    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("who"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="audit_entries",
    )
    # Kept as text too, so the trail still names the person after her account is deleted.
    actor_name = models.CharField(_("who (name)"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=40, choices=Action.choices, db_index=True)
    target_type = models.CharField(_("object type"), max_length=100, blank=True, help_text="app_label.model")
    target_id = models.CharField(_("object id"), max_length=64, blank=True)
    target_repr = models.CharField(_("object"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    extra = models.JSONField(_("details"), default=dict, blank=True)
    # Whose object it names (editorial.access.organisation_id_of, at write time): who may read the entry.
    # Empty for entries about no single organisation (a role grant, a person on several organisations' lists).
    organisation = models.ForeignKey(
        "organisations.Organisation", verbose_name=_("organisation"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")
        indexes = [models.Index(fields=["target_type", "target_id"], name="audit_target")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_name or '-'}: {self.get_action_display()}"

    def save(self, *args, **kwargs) -> None:
        # The trail is evidence: a row is written once and never rewritten.
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ValueError("Audit entries are never changed once written.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Audit entries are never deleted.")


class OrganisationMembership(models.Model):
    """A person of the admin (Editor or Administrator) works for this organisation: she sees and acts on its
    lists, digests, news items, feeds, sends and (as Administrator) subscribers, and nothing of the others
    (editorial.access). Superusers need none."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE,
                             related_name="organisation_memberships")
    organisation = models.ForeignKey("organisations.Organisation", verbose_name=_("organisation"),
                                     on_delete=models.CASCADE, related_name="memberships")
    created_at = models.DateTimeField(_("since"), default=timezone.now)

    class Meta:
        ordering = ["organisation__name", "user__username"]
        verbose_name = _("organisation membership")
        verbose_name_plural = _("organisation memberships")
        constraints = [models.UniqueConstraint(fields=["user", "organisation"], name="membership_unique")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation}"


class Invitation(models.Model):
    """An Administrator asked a person to join the desk with a role in some organisations. The email carries a
    random token; only its SHA-256 is stored, so a copy of the database opens no account. The link works once
    (accepted_at, set by a conditional UPDATE) and until expires_at (editorial.invitations)."""

    email = models.EmailField(_("email address"))
    role = models.CharField(_("role"), max_length=40)
    organisations = models.ManyToManyField("organisations.Organisation", verbose_name=_("organisations"),
                                           related_name="+")
    language = models.CharField(_("language of the email"), max_length=8)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("invited by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("sent"), default=timezone.now)
    expires_at = models.DateTimeField(_("valid until"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    # Set when a newer invitation to the same address replaced this one: its link then says so.
    replaced_at = models.DateTimeField(_("replaced"), null=True, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("account"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.email} ({self.role})"
