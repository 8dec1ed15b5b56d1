"""The send step of the digest preview: confirmation naming the audience, past times, cancel, tests to several
addresses and the links a test email carries."""

import re
from datetime import UTC, datetime

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.test import Client
from django.urls import reverse

from editorial.models import AuditEntry
from editorial.roles import EDITOR, roles_apply
from editorial.services import user_grant_role, user_join_organisation
from newsletter.models import Digest
from newsletter.services import MAX_TEST_ADDRESSES
from subscribers.models import ConsentRecord, Subscriber, Subscription
from tests.newsletter.factories import make_digest, make_item, make_list, make_subscriber
from tests.support.organisations import make_organisation

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def action(digest, name: str) -> str:
    return reverse("admin:newsletter_digest_action", args=[digest.pk, name])


def a_digest_for_six_readers(**fields):
    mailing_list = make_list()
    for language in ("fr", "fr", "fr", "ar", "ar", "en"):
        make_subscriber(mailing_list=mailing_list, language=language)
    return make_digest(mailing_list=mailing_list, items=[make_item(title="CSW69")], **fields)


@time_machine.travel(NOW, tick=False)
def test_it_asks_before_sending_now_and_names_the_audience_per_language_and_the_checks(client, editor):
    digest = a_digest_for_six_readers()

    asked = client.post(action(digest, "send_now"))

    body = asked.content.decode()
    assert asked.status_code == 200
    assert "6 people: 3 in French, 2 in Arabic, 1 in English" in body
    assert 'id="confirm-checks-ok"' in body
    assert 'name="confirmed" value="yes"' in body
    digest.refresh_from_db()
    assert digest.status == Digest.Status.DRAFT  # asking changes nothing


@time_machine.travel(NOW, tick=False)
def test_it_sends_now_once_confirmed_through_the_send_now_step(client, editor):
    digest = a_digest_for_six_readers()

    response = client.post(action(digest, "send_now"), {"confirmed": "yes"})

    assert response.status_code == 302
    digest.refresh_from_db()
    assert digest.status == Digest.Status.SCHEDULED
    assert digest.send_at == NOW
    assert AuditEntry.objects.filter(action=AuditEntry.Action.DIGEST_SENT_NOW, target_id=str(digest.pk)).exists()


@time_machine.travel(NOW, tick=False)
def test_it_asks_before_scheduling_with_the_time_in_the_editors_zone_and_keeps_the_typed_time(client, editor):
    digest = a_digest_for_six_readers()

    asked = client.post(action(digest, "schedule"), {"send_at": "2026-11-24T09:00"})

    body = asked.content.decode()
    assert "It goes out on 2026-11-24 09:00" in body
    assert "6 people: 3 in French, 2 in Arabic, 1 in English" in body
    assert 'name="send_at" value="2026-11-24T09:00"' in body
    assert Digest.objects.get(pk=digest.pk).status == Digest.Status.DRAFT
    client.post(action(digest, "schedule"), {"send_at": "2026-11-24T09:00", "confirmed": "yes"})
    assert Digest.objects.get(pk=digest.pk).status == Digest.Status.SCHEDULED


@time_machine.travel(NOW, tick=False)
def test_it_shows_blocking_problems_and_warnings_on_the_confirmation_and_offers_no_confirm_button(client, editor):
    digest = make_digest(mailing_list=make_list(), items=[make_item(image_url="https://x.org/i.jpg", image_alt="")])

    body = client.post(action(digest, "send_now")).content.decode()

    assert "Image without alt text: https://x.org/i.jpg" in body
    assert 'id="confirm-button"' not in body
    client.post(action(digest, "send_now"), {"confirmed": "yes"})  # a forged confirmation is refused too
    assert Digest.objects.get(pk=digest.pk).status == Digest.Status.DRAFT


@time_machine.travel(NOW, tick=False)
def test_it_refuses_a_time_in_the_past_with_a_message_and_keeps_what_was_typed(client, editor):
    digest = a_digest_for_six_readers()

    for confirmed in ({}, {"confirmed": "yes"}):
        response = client.post(action(digest, "schedule"), {"send_at": "2026-11-20T09:00", **confirmed})

        body = response.content.decode()
        assert response.status_code == 200
        assert "That time has already passed; choose a time in the future." in body
        assert 'value="2026-11-20T09:00"' in body
        assert Digest.objects.get(pk=digest.pk).status == Digest.Status.DRAFT


@time_machine.travel(NOW, tick=False)
def test_it_puts_cancel_apart_and_asks_again_before_cancelling(client, editor):
    digest = a_digest_for_six_readers(status=Digest.Status.SCHEDULED, send_at=datetime(2026, 11, 24, 9, tzinfo=UTC))

    page = client.get(reverse("admin:newsletter_digest_preview", args=[digest.pk])).content.decode()
    asked = client.post(action(digest, "cancel"))

    assert page.index('id="send-panel"') < page.index('id="danger-zone"')
    assert "Cancel this digest" not in page[page.index('id="send-panel"'):page.index('id="danger-zone"')]
    assert "Yes, cancel this digest" in asked.content.decode()
    assert Digest.objects.get(pk=digest.pk).status == Digest.Status.SCHEDULED
    client.post(action(digest, "cancel"), {"confirmed": "yes"})
    assert Digest.objects.get(pk=digest.pk).status == Digest.Status.CANCELLED


def test_it_sends_a_test_to_several_addresses_one_message_each(client, editor):
    digest = make_digest(mailing_list=make_list(), items=[make_item(title="CSW69")])

    response = client.post(action(digest, "test"), {"addresses": "one@example.org, two@example.org\nthree@example.org",
                                                    "language": "en"})

    assert response.status_code == 302
    assert sorted(m.to for m in mail.outbox) == [["one@example.org"], ["three@example.org"], ["two@example.org"]]
    assert all(m.subject.startswith("[Test]") for m in mail.outbox)


def test_it_refuses_a_wrong_address_or_too_many_and_keeps_what_was_typed(client, editor):
    digest = make_digest(mailing_list=make_list(), items=[make_item()])
    too_many = ", ".join(f"p{n}@example.org" for n in range(MAX_TEST_ADDRESSES + 1))

    wrong = client.post(action(digest, "test"), {"addresses": "one@example.org, not-an-address"}).content.decode()
    many = client.post(action(digest, "test"), {"addresses": too_many}).content.decode()

    assert "Not an email address: not-an-address" in wrong
    assert "one@example.org, not-an-address" in wrong
    assert f"A test goes to at most {MAX_TEST_ADDRESSES} addresses." in many
    assert mail.outbox == []


def _links(message) -> dict[str, str]:
    html = message.alternatives[0][0]
    hrefs = [href.replace("&amp;", "&") for href in re.findall(r'href="([^"]+)"', html)]
    return {
        "web": next(h for h in hrefs if "/archive/" in h),
        "unsubscribe": next(h for h in hrefs if "/unsubscribe/" in h),
        "preferences": next(h for h in hrefs if "/preferences/" in h),
    }


def test_it_opens_the_test_emails_view_in_browser_link_of_a_draft_marked_as_a_test(client, editor, settings):
    settings.SITE_URL = "http://testserver"
    digest = make_digest(mailing_list=make_list(is_public=False), items=[make_item(title="CSW69")])
    client.post(action(digest, "test"), {"language": "en"})

    page = Client().get(_links(mail.outbox[0])["web"].removeprefix("http://testserver"))

    assert page.status_code == 200
    assert "CSW69" in page.content.decode()
    assert 'id="test-banner"' in page.content.decode()
    assert Client().get(f"/archive/{digest.pk}/?t=forged").status_code == 404


def test_it_lets_a_test_emails_unsubscribe_and_preferences_links_change_nothing(client, editor, settings):
    """Consent is sacred: the editor is a subscriber of the list herself, and follows her test email's links."""
    settings.SITE_URL = "http://testserver"
    mailing_list = make_list()
    reader = make_subscriber(mailing_list=mailing_list, email="editor@example.org")
    other = make_subscriber(mailing_list=mailing_list, status="unsubscribed")
    digest = make_digest(mailing_list=mailing_list, items=[make_item()])
    client.post(action(digest, "test"), {"language": "en"})
    links = _links(mail.outbox[0])
    before = (list(Subscription.objects.order_by("id").values()), list(Subscriber.objects.order_by("id").values()),
              ConsentRecord.objects.count())

    reader_client = Client()
    pages = [reader_client.get(links["unsubscribe"].removeprefix("http://testserver")),
             reader_client.get(links["preferences"].removeprefix("http://testserver"))]
    for link in (links["unsubscribe"], links["preferences"]):
        reader_client.post(link.removeprefix("http://testserver"), {"List-Unsubscribe": "One-Click"})
        reader_client.post(link.removeprefix("http://testserver"), {"unsubscribe_all_confirmed": "1"})

    for page in pages:
        assert page.status_code == 200
        assert "This was a test email" in page.content.decode()
        assert "Nothing was changed" in page.content.decode()
    after = (list(Subscription.objects.order_by("id").values()), list(Subscriber.objects.order_by("id").values()),
             ConsentRecord.objects.count())
    assert after == before
    assert Subscription.objects.get(subscriber=reader).status == "active"
    assert Subscription.objects.get(subscriber=other).status == "unsubscribed"


def test_it_answers_404_to_a_forged_test_link(client):
    digest = make_digest(mailing_list=make_list(), items=[make_item()])

    assert client.get(f"/test-email/{digest.pk}/unsubscribe/?t=forged").status_code == 404
    assert client.get(f"/test-email/{digest.pk}/elsewhere/?t=forged").status_code == 404


def test_it_answers_404_to_every_send_step_of_another_organisations_digest(client):
    roles_apply(group_model=Group, permission_model=Permission)
    member = get_user_model().objects.create_user("member", "member@example.org", "pw")
    user_grant_role(user_id=member.pk, role=EDITOR)
    user_join_organisation(user_id=member.pk, organisation_id=make_organisation().pk)
    client.force_login(member)
    digest = a_digest_for_six_readers()  # the factories' default organisation: not the member's

    for name in ("send_now", "schedule", "cancel", "test"):
        for confirmed in ({}, {"confirmed": "yes"}):
            response = client.post(action(digest, name), {"send_at": "2026-12-24T09:00", **confirmed})
            assert response.status_code == 404, name
    assert client.get(reverse("admin:newsletter_digest_preview", args=[digest.pk])).status_code == 404
    assert Digest.objects.get(pk=digest.pk).status == Digest.Status.DRAFT
    assert mail.outbox == []
