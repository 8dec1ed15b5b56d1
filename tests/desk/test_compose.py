"""The desk's digests: the list, the compose page (create and edit a draft, items in order, texts per language,
rich text cleaned, preview per language) and the send flow (confirmation naming the audience, send now through
the life cycle, cancel asked twice), scoped to the editor's organisation."""

import re
from datetime import UTC, datetime

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from editorial.models import AuditEntry
from newsletter.models import Digest, DigestItem
from subscribers.models import ConsentRecord, Segment, Subscription
from tests.newsletter.factories import make_digest, make_item, make_list, make_subscriber
from tests.support.organisations import make_organisation

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def form_data(mailing_list, items=(), **fields):
    data = {"mailing_list": mailing_list.pk, "segment": "", "items": [item.pk for item in items],
            "subject_en": "Our week", "preheader_en": "", "intro_en": "",
            "subject_fr": "", "preheader_fr": "", "intro_fr": "",
            "subject_ar": "", "preheader_ar": "", "intro_ar": "", "then": "save"}
    data.update(fields)
    return data


def order(digest) -> list[int]:
    return list(DigestItem.objects.filter(digest=digest).order_by("position").values_list("news_item_id", flat=True))


def test_it_sends_a_stranger_to_sign_in_and_refuses_staff_without_the_permission(client, roles):
    assert client.get(reverse("desk:digest_new"))["Location"].startswith("/desk/login/")
    from django.contrib.auth import get_user_model

    person = get_user_model().objects.create_user(username="staffonly", password="pw", is_staff=True)
    client.force_login(person)
    assert client.get(reverse("desk:digests")).status_code == 403
    assert client.get(reverse("desk:digest_new")).status_code == 403


def test_it_lists_only_the_organisations_digests_with_their_status(editor_client):
    ours = make_digest(mailing_list=make_list(name="Ours"), subject="Our November news")
    theirs = make_digest(mailing_list=make_list(organisation=make_organisation()), subject="Their news")

    page = editor_client.get(reverse("desk:digests")).content.decode()

    assert "Our November news" in page and "Their news" not in page
    assert f'data-testid="digest-row-{ours.pk}"' in page and "Draft" in page
    assert editor_client.get(reverse("desk:digest_edit", args=[theirs.pk])).status_code == 404
    assert editor_client.get(reverse("desk:digest_confirm", args=[theirs.pk, "send_now"])).status_code == 404
    assert editor_client.post(reverse("desk:digest_act", args=[theirs.pk, "cancel"]),
                              {"confirmed": "yes"}).status_code == 404


def test_it_refuses_another_organisations_list_and_does_not_offer_its_items(editor_client):
    theirs = make_list(organisation=make_organisation())
    secret = make_item(title="Their secret item", mailing_list=theirs)

    response = editor_client.post(reverse("desk:digest_new"), form_data(theirs, items=[secret]))

    assert response.status_code == 400
    assert "Their secret item" not in response.content.decode()
    assert Digest.objects.count() == 0
    assert editor_client.get(reverse("desk:digest_compose_parts"), {"mailing_list": theirs.pk}).status_code == 404


def test_it_offers_the_suggested_items_as_cards_with_language_badges_and_source(editor_client):
    news = make_list()
    make_item(title="CSW69 opens", mailing_list=news, language="en", translation_key="csw69", source="feed:https://mmm.example/feed")
    make_item(title="La CSW69 s'ouvre", mailing_list=news, language="fr", translation_key="csw69")

    page = editor_client.get(reverse("desk:digest_compose_parts"), {"mailing_list": news.pk}).content.decode()

    assert "CSW69 opens" in page and "La CSW69" not in page  # one card per story
    assert '<span class="badge" lang="en">EN</span> <span class="badge" lang="fr">FR</span>' in page
    assert "mmm.example" in page


def test_it_creates_a_draft_with_the_items_in_the_chosen_order_and_each_languages_texts(editor_client, editor):
    news = make_list(default_language="fr")
    first, second, third = (make_item(title=f"Item {n}", mailing_list=news) for n in range(3))

    response = editor_client.post(reverse("desk:digest_new"), form_data(
        news, items=[third, first], subject_fr="Nos nouvelles", subject_en="Our news", subject_ar="أخبارنا",
        preheader_ar="ما حدث هذا الأسبوع", intro_ar="<p>أصدقاءنا الأعزاء</p>"))

    digest = Digest.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("desk:digest_edit", args=[digest.pk])
    assert order(digest) == [third.pk, first.pk]
    assert (digest.subject_fr, digest.subject_en, digest.subject_ar) == ("Nos nouvelles", "Our news", "أخبارنا")
    assert digest.preheader_ar == "ما حدث هذا الأسبوع" and digest.intro_ar == "<p>أصدقاءنا الأعزاء</p>"
    assert digest.created_by == editor
    assert AuditEntry.objects.filter(action=AuditEntry.Action.DIGEST_CREATED, target_id=str(digest.pk)).exists()


def test_it_saves_a_new_order_and_new_texts_of_a_draft(editor_client):
    news = make_list()
    one, two = make_item(mailing_list=news), make_item(mailing_list=news)
    digest = make_digest(mailing_list=news, items=[one, two])

    response = editor_client.post(reverse("desk:digest_edit", args=[digest.pk]),
                                  form_data(news, items=[two, one], subject_en="Rewritten", intro_fr="<p>Chers amis</p>"))

    assert response.status_code == 302
    digest.refresh_from_db()
    assert order(digest) == [two.pk, one.pk]
    assert digest.subject_en == "Rewritten" and digest.intro_fr == "<p>Chers amis</p>"


def test_it_removes_a_script_from_the_rich_text_intro(editor_client):
    news = make_list()

    editor_client.post(reverse("desk:digest_new"), form_data(
        news, intro_en='<p>Dear friends<script>alert("x")</script> <a href="javascript:alert(1)">here</a></p>'))

    intro = Digest.objects.get().intro_en
    assert "<script" not in intro and "alert" not in intro and "javascript:" not in intro
    assert intro.startswith("<p>Dear friends")


def test_it_explains_a_missing_subject_in_the_lists_language_and_saves_nothing(editor_client):
    news = make_list(default_language="ar")

    response = editor_client.post(reverse("desk:digest_new"), form_data(news, subject_en="Only English"))

    page = response.content.decode()
    assert response.status_code == 400
    assert "Nothing was saved" in page and "Write a subject in Arabic, the list&#x27;s language." in page
    assert 'value="Only English"' in page  # what she typed stays
    assert Digest.objects.count() == 0


def test_it_refreshes_the_segments_for_the_chosen_list_only(editor_client):
    news, other = make_list(), make_list()
    Segment.objects.create(mailing_list=news, name="Beirut readers", filters={})
    Segment.objects.create(mailing_list=other, name="Rabat readers", filters={})

    page = editor_client.get(reverse("desk:digest_compose_parts"), {"mailing_list": news.pk}).content.decode()

    assert "Beirut readers" in page and "Rabat readers" not in page
    assert 'id="item-cards" class="item-cards" hx-swap-oob="true"' in page


def test_it_previews_the_posted_form_in_each_language_with_the_real_rendering(editor_client):
    news = make_list(default_language="ar")
    item = make_item(title="CSW69 opens", mailing_list=news)

    response = editor_client.post(reverse("desk:digest_preview"), form_data(
        news, items=[item], subject_ar="أخبارنا", intro_ar="<p>أصدقاءنا الأعزاء<script>bad()</script></p>"))

    page = response.content.decode()
    assert response.status_code == 200
    assert [m for m in re.findall(r'id="preview-(\w+)"', page)] == ["ar", "en", "fr"]
    arabic = re.search(r'id="preview-ar".*?srcdoc="([^"]*)"', page, re.S).group(1)
    assert "dir=&quot;rtl&quot;" in arabic and "أصدقاءنا الأعزاء" in arabic and "CSW69 opens" in arabic
    assert "bad()" not in page
    assert 'sandbox=""' in page
    assert Digest.objects.count() == 0  # a preview saves nothing


def test_it_allows_only_the_editors_importmap_among_inline_scripts(editor_client):
    policy = editor_client.get(reverse("desk:digest_new"))["Content-Security-Policy"]
    assert re.search(r"script-src 'self' 'sha256-[A-Za-z0-9+/=]+';", policy)
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]


def a_draft_for_six_readers(**fields):
    news = make_list()
    for language in ("fr", "fr", "fr", "ar", "ar", "en"):
        make_subscriber(mailing_list=news, language=language)
    return make_digest(mailing_list=news, items=[make_item(title="CSW69", mailing_list=news)], **fields)


@time_machine.travel(NOW, tick=False)
def test_it_asks_before_sending_now_naming_the_audience_per_language_and_the_check(editor_client):
    digest = a_draft_for_six_readers()

    response = editor_client.post(reverse("desk:digest_edit", args=[digest.pk]),
                                  form_data(digest.mailing_list, items=list(digest.items.all()), then="send_now"),
                                  follow=True)

    page = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("desk:digest_confirm", args=[digest.pk, "send_now"])
    assert "6 people: 3 in French, 2 in Arabic, 1 in English" in page
    assert 'id="confirm-checks-ok"' in page and 'id="confirm-yes"' in page
    assert Digest.objects.get(pk=digest.pk).status == Digest.Status.DRAFT  # asking changes nothing


@time_machine.travel(NOW, tick=False)
def test_it_sends_now_once_confirmed_through_the_send_now_step(editor_client):
    digest = a_draft_for_six_readers()

    unconfirmed = editor_client.post(reverse("desk:digest_act", args=[digest.pk, "send_now"]))
    assert unconfirmed.status_code == 302 and Digest.objects.get(pk=digest.pk).status == Digest.Status.DRAFT

    editor_client.post(reverse("desk:digest_act", args=[digest.pk, "send_now"]), {"confirmed": "yes"})

    digest.refresh_from_db()
    assert digest.status == Digest.Status.SCHEDULED and digest.send_at == NOW
    assert AuditEntry.objects.filter(action=AuditEntry.Action.DIGEST_SENT_NOW, target_id=str(digest.pk)).exists()


@time_machine.travel(NOW, tick=False)
def test_it_keeps_a_past_schedule_time_with_an_explanation(editor_client):
    digest = a_draft_for_six_readers()

    response = editor_client.post(reverse("desk:digest_edit", args=[digest.pk]), form_data(
        digest.mailing_list, items=list(digest.items.all()), then="schedule", send_at="2026-11-01T09:00"))

    page = response.content.decode()
    assert response.status_code == 400
    assert "That time has already passed" in page and 'value="2026-11-01T09:00"' in page


@time_machine.travel(NOW, tick=False)
def test_it_schedules_after_a_confirmation_that_names_the_time(editor_client):
    digest = a_draft_for_six_readers()

    asked = editor_client.post(reverse("desk:digest_edit", args=[digest.pk]), form_data(
        digest.mailing_list, items=list(digest.items.all()), then="schedule", send_at="2026-11-24T09:00"), follow=True)
    assert "It goes out on 2026-11-24 09:00" in asked.content.decode()
    assert Digest.objects.get(pk=digest.pk).status == Digest.Status.DRAFT

    editor_client.post(reverse("desk:digest_act", args=[digest.pk, "schedule"]),
                       {"confirmed": "yes", "send_at": "2026-11-24T09:00"})

    digest.refresh_from_db()
    assert digest.status == Digest.Status.SCHEDULED and digest.send_at == datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def test_it_puts_cancel_apart_and_asks_again_before_cancelling(editor_client):
    digest = a_draft_for_six_readers()

    page = editor_client.get(reverse("desk:digest_edit", args=[digest.pk])).content.decode()
    assert re.search(r'id="danger-zone".*class="button button-danger" id="cancel-digest"', page, re.S)
    assert page.index('id="compose-form"') < page.index('id="danger-zone"')
    asked = editor_client.get(reverse("desk:digest_confirm", args=[digest.pk, "cancel"])).content.decode()
    assert "Cancel this digest?" in asked and "No, keep it" in asked
    assert Digest.objects.get(pk=digest.pk).status == Digest.Status.DRAFT

    editor_client.post(reverse("desk:digest_act", args=[digest.pk, "cancel"]), {"confirmed": "yes"})

    assert Digest.objects.get(pk=digest.pk).status == Digest.Status.CANCELLED


def test_it_sends_a_test_to_two_addresses_with_test_links(editor_client, settings):
    settings.SITE_URL = "http://testserver"
    digest = a_draft_for_six_readers()

    response = editor_client.post(reverse("desk:digest_edit", args=[digest.pk]), form_data(
        digest.mailing_list, items=list(digest.items.all()), then="test",
        test_addresses="one@example.org, two@example.org"), follow=True)

    assert "Test sent to one@example.org, two@example.org" in response.content.decode()
    assert {tuple(m.to) for m in mail.outbox} == {("one@example.org",), ("two@example.org",)}
    assert all(m.subject.startswith("[Test]") and "/test-email/" in m.body for m in mail.outbox)


def test_it_refuses_a_wrong_test_address_in_words_and_sends_nothing(editor_client):
    digest = a_draft_for_six_readers()

    response = editor_client.post(reverse("desk:digest_edit", args=[digest.pk]), form_data(
        digest.mailing_list, items=list(digest.items.all()), then="test", test_addresses="one@example.org, nobody"))

    assert response.status_code == 400 and "Not an email address: nobody" in response.content.decode()
    assert mail.outbox == []


def test_it_never_subscribes_anyone_when_composing_previewing_or_testing(editor_client):
    digest = a_draft_for_six_readers()
    left = make_subscriber(mailing_list=digest.mailing_list, status="unsubscribed", email="left@example.org")
    before = (list(Subscription.objects.order_by("id").values_list("id", "status")), ConsentRecord.objects.count())

    data = form_data(digest.mailing_list, items=list(digest.items.all()), then="test",
                     test_addresses="left@example.org")
    editor_client.post(reverse("desk:digest_preview"), data)
    editor_client.post(reverse("desk:digest_edit", args=[digest.pk]), data)

    assert (list(Subscription.objects.order_by("id").values_list("id", "status")), ConsentRecord.objects.count()) == before
    assert Subscription.objects.get(subscriber=left).status == "unsubscribed"


def test_it_shows_a_sent_digest_read_only(editor_client):
    digest = a_draft_for_six_readers(status=Digest.Status.SENT)

    response = editor_client.get(reverse("desk:digest_edit", args=[digest.pk]))

    page = response.content.decode()
    assert "Only a draft can be edited." in page and 'id="compose-form"' not in page
    before = order(digest)
    editor_client.post(reverse("desk:digest_edit", args=[digest.pk]), form_data(digest.mailing_list, items=[]))
    assert order(digest) == before
