"""Each digest's (and recurring digest's) single subject, subject template, preheader and intro become the texts
of its list's default language, so an existing installation sends exactly what it sent before: with only one
language filled, every reader falls back to it (subscribers.texts)."""

from django.conf import settings
from django.db import migrations
from django.db.models import F

FIELDS = {
    "Digest": ("subject", "subject_template", "preheader", "intro"),
    "RecurringDigest": ("subject", "preheader", "intro"),
}


def _languages():
    return [code for code, _name in settings.LANGUAGES]


def forwards(apps, schema_editor):
    languages = _languages()
    for model_name, fields in FIELDS.items():
        model = apps.get_model("newsletter", model_name)
        for language in languages:
            model.objects.filter(mailing_list__default_language=language).update(
                **{f"{field}_{language}": F(field) for field in fields})
        model.objects.exclude(mailing_list__default_language__in=languages).update(
            **{f"{field}_{settings.LANGUAGE_CODE}": F(field) for field in fields})


def backwards(apps, schema_editor):
    for model_name, fields in FIELDS.items():
        model = apps.get_model("newsletter", model_name)
        for language in _languages():
            for field in fields:
                model.objects.filter(mailing_list__default_language=language).exclude(
                    **{f"{field}_{language}": None}).update(**{field: F(f"{field}_{language}")})


class Migration(migrations.Migration):

    dependencies = [
        ("newsletter", "0005_per_language_texts"),
        ("subscribers", "0008_per_language_texts_from_single_values"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
