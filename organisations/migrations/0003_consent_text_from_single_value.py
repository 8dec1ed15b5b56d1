"""An organisation's single consent text becomes its text in settings.LANGUAGE_CODE: with one language filled,
every reader falls back to it (subscribers.texts), so the form shows, and records, what it showed before."""

from django.conf import settings
from django.db import migrations
from django.db.models import F


def forwards(apps, schema_editor):
    Organisation = apps.get_model("organisations", "Organisation")
    Organisation.objects.exclude(consent_text="").update(**{f"consent_text_{settings.LANGUAGE_CODE}": F("consent_text")})


def backwards(apps, schema_editor):
    Organisation = apps.get_model("organisations", "Organisation")
    column = f"consent_text_{settings.LANGUAGE_CODE}"
    Organisation.objects.exclude(**{column: None}).update(consent_text=F(column))


class Migration(migrations.Migration):

    dependencies = [
        ("organisations", "0002_consent_text_per_language"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
