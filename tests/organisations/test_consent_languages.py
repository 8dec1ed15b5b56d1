"""An organisation's consent text has a value per language: the subscribe page shows the page language's, else
any language's, else the standard sentence in the page's language; and the consent recorded is the one shown."""

import pytest
from django.test import Client

from subscribers.models import ConsentRecord
from tests.subscribers.factories import make_list
from tests.support.organisations import make_organisation

pytestmark = pytest.mark.django_db

FRENCH = "J'accepte qu'OUM-Action m'envoie les lettres que j'ai choisies."
ARABIC = "أوافق على أن ترسل لي OUM-Action النشرات التي اخترتها."


@pytest.fixture
def oum_news():
    oum = make_organisation(name="OUM-Action", feedback_sender_id="oum-c", consent_text_fr=FRENCH, consent_text_ar=ARABIC)
    return make_list(name="OUM-Action Maroc", slug="oum-news", organisation=oum, from_email="news@oum-action.example")


def _page(language: str) -> str:
    return Client().get(f"/subscribe/?lang={language}").content.decode()


def test_it_shows_the_consent_text_of_the_page_language(oum_news):
    assert FRENCH.replace("'", "&#x27;") in _page("fr")
    assert ARABIC in _page("ar") and FRENCH.replace("'", "&#x27;") not in _page("ar")


def test_it_falls_back_to_a_language_the_organisation_typed_when_the_page_language_has_none(oum_news):
    assert FRENCH.replace("'", "&#x27;") in _page("en")  # English not typed: French, first in LANGUAGES after it


def test_it_shows_the_standard_sentence_in_the_page_language_when_none_is_typed():
    plain = make_organisation(name="Plain NGO", feedback_sender_id="plain")
    make_list(name="Plain News", slug="plain-news", organisation=plain, from_email="news@plain.example")
    assert "J’accepte que Plain NGO m’envoie" in _page("fr")


def test_it_records_the_text_shown_in_her_language_with_its_own_version(oum_news, run_after_commit):
    for language, email in (("ar", "amina@example.org"), ("fr", "claire@example.org")):
        with run_after_commit():
            Client().post(f"/subscribe/?lang={language}", {"email": email, "name": "", "language": language,
                                                          "lists": ["oum-news"], "consent": "on"}, REMOTE_ADDR="10.0.0.7")

    arabic = ConsentRecord.objects.get(subscriber__email="amina@example.org")
    french = ConsentRecord.objects.get(subscriber__email="claire@example.org")
    assert (arabic.text, french.text) == (ARABIC, FRENCH)
    assert arabic.version.startswith("oum-c-") and french.version.startswith("oum-c-") and arabic.version != french.version


def test_it_puts_the_consent_text_of_the_forms_language_in_the_embeddable_form(oum_news):
    from subscribers.embed import embed_snippet

    assert ARABIC in embed_snippet(oum_news, language="ar")
    assert FRENCH.replace("'", "&#x27;") in embed_snippet(oum_news, language="fr")
