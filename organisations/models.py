"""Who speaks in an email: the organisation a list belongs to gives every reader-facing identity (name, postal
address, consent text) and the sending identity (sending domain, Feedback-ID sender id)."""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

hex_colour = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Use a colour like #1a73e8."))
domain_name = RegexValidator(
    r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$",
    _("Use a domain name like mg.example.org (lower case, no @, no http://)."),
)


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200)
    postal_address = models.TextField(
        _("postal address"), help_text=_("Printed in the footer of every email (the law requires it in many countries)."))
    website = models.URLField(_("website"), blank=True)
    logo_url = models.URLField(_("logo URL"), blank=True, help_text=_("Used by the lists that have no logo of their own."))
    accent_colour = models.CharField(
        _("default accent colour"), max_length=7, default="#1a5fb4", validators=[hex_colour],
        help_text=_("Used by the lists that have no accent colour of their own."))
    consent_text = models.TextField(
        _("consent text"), blank=True,
        help_text=_("Shown next to the subscribe checkbox and stored with every consent. "
                    "Blank: the standard sentence naming the organisation."))
    sending_domain = models.CharField(
        _("sending domain"), max_length=253, blank=True, validators=[domain_name],
        help_text=_("The domain authenticated at the email provider (SPF, DKIM) that sends this organisation's "
                    "emails, e.g. mg.example.org. Blank: the installation's MAILGUN_SENDER_DOMAIN."))
    feedback_sender_id = models.SlugField(
        _("Feedback-ID sender id"), max_length=40, unique=True,
        help_text=_("Short id in every email's Feedback-ID header (Gmail Postmaster Tools), e.g. mmm."))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name
