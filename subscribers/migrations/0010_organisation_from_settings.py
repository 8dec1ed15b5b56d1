"""An installation from before organisations gets one, made of what its settings said (ORGANISATION_NAME,
ORGANISATION_ADDRESS, ORGANISATION_ID and, with Mailgun, MAILGUN_SENDER_DOMAIN, read from the environment now),
and every list joins it: the From, List-Id, Feedback-ID, Message-IDs, footers and confirmation text stay what they
were (docs/decisions/0011-organisations.md). A database without lists (a fresh one) gets no organisation."""

from django.conf import settings
from django.db import migrations


def organisation_from_settings(apps, schema_editor):
    MailingList = apps.get_model("subscribers", "MailingList")
    Organisation = apps.get_model("organisations", "Organisation")
    if not MailingList.objects.filter(organisation__isnull=True).exists():
        return
    # Only a Mailgun installation named its sending domain; elsewhere blank keeps the envelope sender as it was.
    sending_domain = ""
    if getattr(settings, "EMAIL_PROVIDER", "") == "mailgun":
        sending_domain = str(getattr(settings, "ANYMAIL", {}).get("MAILGUN_SENDER_DOMAIN", "")).strip().lower()
    organisation = Organisation.objects.create(
        name=settings.ORGANISATION_NAME,
        postal_address=settings.ORGANISATION_ADDRESS,
        feedback_sender_id=settings.ORGANISATION_ID,
        sending_domain=sending_domain,
        # The lists' own accent colours were kept; this is only the default of lists made from now on.
        accent_colour="#1a5fb4",
    )
    MailingList.objects.filter(organisation__isnull=True).update(organisation=organisation)


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0001_initial"),
        ("subscribers", "0009_mailinglist_organisation"),
    ]

    operations = [migrations.RunPython(organisation_from_settings, migrations.RunPython.noop)]
