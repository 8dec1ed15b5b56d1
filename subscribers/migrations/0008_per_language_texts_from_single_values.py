"""Each list's single texts become the texts of its default language, and each topic's name the name in
settings.LANGUAGE_CODE (topics belong to no list), so an installation sends exactly what it sent before:
with only one language filled, every reader falls back to it (subscribers.texts)."""

from django.conf import settings
from django.db import migrations
from django.db.models import F

LIST_FIELDS = ("name", "description", "welcome_subject", "welcome_body")


def _languages():
    return [code for code, _name in settings.LANGUAGES]


def forwards(apps, schema_editor):
    MailingList = apps.get_model("subscribers", "MailingList")
    Topic = apps.get_model("subscribers", "Topic")
    languages = _languages()
    for language in languages:
        MailingList.objects.filter(default_language=language).update(
            **{f"{field}_{language}": F(field) for field in LIST_FIELDS})
    # A default language outside settings.LANGUAGES (set before they were limited): the site's language holds it.
    MailingList.objects.exclude(default_language__in=languages).update(
        **{f"{field}_{settings.LANGUAGE_CODE}": F(field) for field in LIST_FIELDS})
    Topic.objects.update(**{f"name_{settings.LANGUAGE_CODE}": F("name")})


def backwards(apps, schema_editor):
    MailingList = apps.get_model("subscribers", "MailingList")
    Topic = apps.get_model("subscribers", "Topic")
    for language in _languages():
        for field in LIST_FIELDS:
            MailingList.objects.filter(default_language=language).exclude(**{f"{field}_{language}": None}).update(
                **{field: F(f"{field}_{language}")})
    Topic.objects.exclude(**{f"name_{settings.LANGUAGE_CODE}": None}).update(name=F(f"name_{settings.LANGUAGE_CODE}"))


class Migration(migrations.Migration):

    dependencies = [
        ("subscribers", "0007_per_language_texts"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
