"""Every text an editor types reaches each reader in her language, else the list's default language, else any."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.utils import translation

from newsletter.checks import digest_check
from newsletter.rendering import render_digest_variants
from tests.newsletter.factories import make_digest, make_item, make_list, make_subscriber
from tests.support.processes import run_on_fresh_sqlite

pytestmark = pytest.mark.django_db


def _lebanese_digest():
    mailing_list = make_list(name="", name_ar="نشرة لبنان", name_fr="Lettre du Liban", default_language="ar")
    for language in ("fr", "ar", "en"):
        make_subscriber(mailing_list=mailing_list, language=language)
    digest = make_digest(mailing_list=mailing_list, items=[make_item(title="CSW69")], subject="", preheader="", intro="",
                         subject_ar="أخبار نوفمبر", subject_fr="Nouvelles de novembre",
                         preheader_ar="مقدمة قصيرة", intro_ar="مرحبا بكم", intro_fr="Bienvenue à toutes")
    return digest


def test_it_gives_a_french_reader_the_french_texts_and_the_arabic_ones_where_french_is_missing():
    digest = _lebanese_digest()

    variants = {variant.language: variant for variant in render_digest_variants(digest_id=digest.id)}

    french = variants["fr"]
    assert french.subject == "Nouvelles de novembre"
    assert "Bienvenue à toutes" in french.html and "مرحبا بكم" not in french.html
    assert "مقدمة قصيرة" in french.html  # no French preheader: the list's default language's
    assert "Lettre du Liban" in french.html
    english = variants["en"]
    assert english.subject == "أخبار نوفمبر" and "مرحبا بكم" in english.html and "نشرة لبنان" in english.html


def test_it_chooses_by_the_readers_language_whatever_language_is_active():
    digest = _lebanese_digest()

    with translation.override("en"):
        variants = {variant.language: variant for variant in render_digest_variants(digest_id=digest.id)}

    assert variants["fr"].subject == "Nouvelles de novembre"
    assert variants["ar"].subject == "أخبار نوفمبر"


def test_it_warns_per_language_of_the_audience_what_falls_back():
    mailing_list = make_list(name="", name_fr="Lettre", name_ar="رسالة", default_language="fr")
    for language in ("fr", "ar"):
        make_subscriber(mailing_list=mailing_list, language=language)
    translated = make_item(title="Bonjour", language="fr", translation_key="k1")
    make_item(title="مرحبا", language="ar", translation_key="k1")
    french_only = [make_item(title=f"Seulement {n}", language="fr") for n in range(2)]
    digest = make_digest(mailing_list=mailing_list, items=[translated, *french_only], subject="", preheader="", intro="",
                         subject_fr="Nouvelles", subject_ar="أخبار", intro_fr="Bonjour à toutes")

    with translation.override("en"):  # the editor's interface language
        problems = digest_check(digest_id=digest.id)
        warnings = {str(problem) for problem in problems if problem.code in ("not_translated", "items_not_translated")}

    assert warnings == {"[ar] intro not translated, falls back to fr", "[ar] 2 of 3 items have no Arabic text"}
    assert not any(problem.blocking for problem in problems if problem.code.endswith("not_translated"))


def test_it_shows_how_many_readers_each_variant_reaches_on_the_preview(client):
    client.force_login(get_user_model().objects.create_superuser("editor", "editor@example.org", "pw"))
    mailing_list = make_list(default_language="fr")
    for language in ("ar", "ar", "fr", "en"):
        make_subscriber(mailing_list=mailing_list, language=language)
    make_subscriber(mailing_list=mailing_list, language="ar", status="unsubscribed")  # not in the audience
    digest = make_digest(mailing_list=mailing_list, items=[make_item()])

    body = client.get(f"/admin/newsletter/digest/{digest.id}/preview/").content.decode()

    assert '<span class="variant-readers">2 readers</span>' in body  # Arabic
    assert body.count('<span class="variant-readers">1 reader</span>') == 2  # French, English


def test_it_labels_each_languages_input_and_sets_its_direction_in_the_admin(client):
    client.force_login(get_user_model().objects.create_superuser("editor", "editor@example.org", "pw"))
    digest = make_digest(mailing_list=make_list(), items=[make_item()])

    body = client.get(f"/admin/newsletter/digest/{digest.id}/change/").content.decode()

    assert 'name="intro_ar"' in body and 'name="intro_fr"' in body and 'name="intro_en"' in body
    tags = {match.group(1): match.group(0) for match in re.finditer(r'<textarea[^>]*name="intro_(\w+)"[^>]*>', body)}
    assert 'dir="rtl"' in tags["ar"] and 'lang="ar"' in tags["ar"]
    assert 'dir="auto"' in tags["fr"] and 'dir="auto"' in tags["en"]


MIGRATION_SCRIPT = r"""
import json
import django

django.setup()
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

call_command("migrate", verbosity=0)
call_command("migrate", "subscribers", "0006", verbosity=0)
old = MigrationExecutor(connection).loader.project_state(
    [("subscribers", "0006_unsubscribe_attribution"), ("newsletter", "0004_digest_subject_template")]).apps
List, Topic, Digest = (old.get_model("subscribers", "MailingList"), old.get_model("subscribers", "Topic"),
                       old.get_model("newsletter", "Digest"))
arabic = List.objects.create(name="نشرة", slug="ar-list", from_name="OUM", from_email="news@oum.example",
                             default_language="ar", welcome_subject="أهلا", welcome_body="مرحبا")
Topic.objects.create(name="Santé", slug="sante")
Digest.objects.create(mailing_list=arabic, subject="أخبار", preheader="سطر", intro="مقدمة")

call_command("migrate", verbosity=0)

from newsletter.models import Digest
from newsletter.subjects import digest_text, variant_subject
from subscribers.models import MailingList, Topic
from subscribers.texts import list_text, topic_name, value_in

mailing_list, topic, digest = MailingList.objects.get(), Topic.objects.get(), Digest.objects.get()
print(json.dumps({
    "stored": [value_in(mailing_list, "name", "ar"), value_in(mailing_list, "welcome_body", "ar"),
               value_in(topic, "name", "en"), value_in(digest, "intro", "ar")],
    "readers": {language: [list_text(mailing_list, "name", language=language),
                           list_text(mailing_list, "welcome_subject", language=language),
                           topic_name(topic, language=language), variant_subject(digest, language),
                           digest_text(digest, "preheader", language).value, digest_text(digest, "intro", language).value]
                for language in ("en", "fr", "ar")},
}))
"""


def test_it_migrates_single_texts_into_the_lists_default_language_and_every_reader_gets_them_as_before(tmp_path):
    outcome = run_on_fresh_sqlite(MIGRATION_SCRIPT, tmp_path)
    assert outcome["stored"] == ["نشرة", "مرحبا", "Santé", "مقدمة"]
    for language in ("en", "fr", "ar"):
        assert outcome["readers"][language] == ["نشرة", "أهلا", "Santé", "أخبار", "سطر", "مقدمة"]
