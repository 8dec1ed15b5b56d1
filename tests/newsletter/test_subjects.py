"""A dated subject reads in each reader's language; an editor's own subject is sent as she wrote it."""

from datetime import date

import pytest

from newsletter.models import Digest
from newsletter.rendering import render_digest_variants
from newsletter.services import digest_compose
from tests.newsletter.factories import make_item, make_list, make_subscriber

pytestmark = pytest.mark.django_db


def _dated_digest() -> Digest:
    mailing_list = make_list(name="MMM Liban", default_language="fr")
    for language in ("en", "fr", "ar"):
        make_subscriber(mailing_list=mailing_list, language=language)
    item = make_item(mailing_list=mailing_list)
    return digest_compose(mailing_list_id=mailing_list.id, subject="", subject_template="{list}: {date}",
                          subject_date=date(2026, 11, 23), item_ids=[item.id])


def test_it_writes_the_date_of_a_composed_subject_in_each_variants_language():
    digest = _dated_digest()

    subjects = {variant.language: variant.subject for variant in render_digest_variants(digest_id=digest.id)}

    assert digest.subject == "MMM Liban: 23 novembre 2026"  # what editors see: the list's language
    assert subjects == {"en": "MMM Liban: 23 November 2026", "fr": "MMM Liban: 23 novembre 2026",
                        "ar": "MMM Liban: 23 نوفمبر 2026"}


def test_it_sends_a_subject_rewritten_by_an_editor_as_she_wrote_it_to_everybody():
    digest = _dated_digest()
    Digest.objects.filter(pk=digest.pk).update(subject_fr="Nos nouvelles de novembre")  # the list's language

    subjects = {variant.subject for variant in render_digest_variants(digest_id=digest.id)}

    assert subjects == {"Nos nouvelles de novembre"}


def test_it_keeps_a_subject_given_without_a_template_for_every_language():
    mailing_list = make_list(default_language="fr")
    for language in ("en", "ar"):
        make_subscriber(mailing_list=mailing_list, language=language)
    digest = digest_compose(mailing_list_id=mailing_list.id, subject="Our news", item_ids=[make_item().id],
                            subject_template="{list}: {date}", subject_date=date(2026, 11, 23))

    assert digest.subject_template == ""
    assert {variant.subject for variant in render_digest_variants(digest_id=digest.id)} == {"Our news"}
