"""What a reader sees speaks in her list's organisation's name: confirmation, welcome and digest footers, consent,
the public pages; a request for lists of two organisations gets one confirmation from each."""

import pytest
from django.core import mail
from django.test import Client

from newsletter.rendering import render_digest_variants
from subscribers.embed import embed_snippet
from subscribers.list_headers import feedback_id
from subscribers.models import ConsentRecord
from tests.newsletter.factories import make_digest, make_item
from tests.subscribers.factories import make_list
from tests.support.organisations import make_organisation

pytestmark = pytest.mark.django_db

MMM_ADDRESS = "Make Mothers Matter, 5 rue de l'Université, 75007 Paris, France"
OUM_ADDRESS = "OUM-Action, avenue Mohammed V, Rabat, Maroc"


@pytest.fixture
def mmm():
    return make_organisation(name="Make Mothers Matter", postal_address=MMM_ADDRESS, feedback_sender_id="mmm-x")


@pytest.fixture
def oum():
    return make_organisation(name="OUM-Action", postal_address=OUM_ADDRESS, feedback_sender_id="oum-x",
                             consent_text="أوافق على أن ترسل لي OUM-Action النشرات التي اخترتها.")


@pytest.fixture
def lists(mmm, oum):
    return (make_list(name="MMM News", slug="mmm-news", organisation=mmm, from_name="Make Mothers Matter",
                      from_email="news@makemothersmatter.example"),
            make_list(name="Nouvelles du Maroc", slug="oum-news", organisation=oum, from_name="OUM-Action",
                      from_email="news@oum-action.example"))


def _subscribe(slugs: list[str]):
    data = {"email": "amina@example.org", "name": "", "language": "fr", "lists": slugs, "consent": "on"}
    return Client().post("/subscribe/", data, REMOTE_ADDR="10.0.0.9")


def test_it_sends_one_confirmation_per_organisation_each_in_its_own_name(lists, run_after_commit):
    with run_after_commit():
        assert _subscribe(["mmm-news", "oum-news"]).status_code == 200

    by_sender = {message.from_email: message for message in mail.outbox}
    assert set(by_sender) == {"Make Mothers Matter <news@makemothersmatter.example>",
                              "OUM-Action <news@oum-action.example>"}
    from_mmm, from_oum = (by_sender["Make Mothers Matter <news@makemothersmatter.example>"],
                          by_sender["OUM-Action <news@oum-action.example>"])
    assert "Make Mothers Matter" in from_mmm.subject and "OUM-Action" in from_oum.subject
    assert MMM_ADDRESS in from_mmm.body and OUM_ADDRESS not in from_mmm.body
    assert OUM_ADDRESS in from_oum.body and MMM_ADDRESS not in from_oum.body
    assert "MMM News" in from_mmm.body and "Nouvelles du Maroc" not in from_mmm.body
    assert from_oum.extra_headers["Feedback-ID"] == "confirmation:oum-news:oum-x"


def test_it_records_the_consent_sentence_of_each_organisation_asked(lists, run_after_commit):
    with run_after_commit():
        _subscribe(["oum-news"])

    [record] = ConsentRecord.objects.all()
    assert record.text == "أوافق على أن ترسل لي OUM-Action النشرات التي اخترتها."
    assert record.version.startswith("oum-x-")


def test_it_names_each_lists_organisation_on_a_subscribe_page_offering_several(lists):
    page = Client().get("/subscribe/?lang=en").content.decode()

    assert "MMM News" in page  # its name already says whose it is
    assert "Nouvelles du Maroc — OUM-Action" in page
    assert "I agree that Make Mothers Matter emails me" in page and "أوافق على أن ترسل لي OUM-Action" in page
    assert "5 rue de l&#x27;Université" in page and "avenue Mohammed V, Rabat" in page


def test_it_puts_the_organisations_address_and_feedback_id_in_its_digests(lists):
    oum_news = lists[1]
    digest = make_digest(mailing_list=oum_news, items=[make_item(mailing_list=oum_news)])

    [variant] = render_digest_variants(digest_id=digest.pk)

    assert "avenue Mohammed V, Rabat" in variant.text and "5 rue de" not in variant.text
    assert feedback_id(campaign="digest-1", mailing_list=oum_news) == "digest-1:oum-news:oum-x"


def test_it_puts_the_organisations_consent_in_the_embeddable_form(lists):
    assert "أوافق على أن ترسل لي OUM-Action" in embed_snippet(lists[1])
    assert "I agree that Make Mothers Matter emails me" in embed_snippet(lists[0])


def test_it_shows_the_organisation_on_the_archive_index(lists):
    make_digest(mailing_list=lists[1], status="sent")

    page = Client().get("/archive/").content.decode()

    assert "Nouvelles du Maroc" in page and "OUM-Action" in page
