"""The desk's subscriber look-up: one exact address, her organisations' lists only, read only, counted and audited."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from editorial.models import AuditEntry
from editorial.roles import EDITOR
from editorial.services import user_grant_role, user_join_organisation
from subscribers.emails import email_hash
from subscribers.models import ConsentRecord, EmailEvent, Subscriber, Subscription, Suppression, Topic
from tests.support.organisations import default_organisation, make_organisation
from tests.worker.factories import make_digest, make_list
from worker.models import Delivery

pytestmark = [pytest.mark.django_db]

URL = reverse("editorial:subscriber_lookup")


def _editor_of(organisation, username: str = "oum-editor") -> Client:
    user = get_user_model().objects.create_user(username=username, password="pw")
    user_grant_role(user_id=user.pk, role=EDITOR)
    user_join_organisation(user_id=user.pk, organisation_id=organisation.pk)
    client = Client()
    client.force_login(user)
    return client


def _subscriber(email: str, *lists, language: str = "fr", status: str = Subscription.Status.ACTIVE) -> Subscriber:
    subscriber = Subscriber.objects.create(email=email, name="Salma", language=language)
    for mailing_list in lists:
        Subscription.objects.create(subscriber=subscriber, mailing_list=mailing_list, status=status,
                                    confirmed_at=timezone.now() - timedelta(days=30))
    return subscriber


def _look_up(client: Client, address: str):
    return client.post(URL, {"email": address})


@pytest.fixture
def oum(roles):
    return make_organisation(name="OUM-Action", feedback_sender_id="oum")


@pytest.fixture
def oum_list(oum):
    return make_list(organisation=oum, name="OUM Bulletin", slug="oum-bulletin", tracking_enabled=True)


@pytest.fixture
def mmm_list(db):
    return make_list(organisation=default_organisation(), name="MMM Weekly", slug="mmm-weekly")


@pytest.fixture
def oum_editor(oum) -> Client:
    return _editor_of(oum)


def test_it_shows_her_status_language_topics_suppression_and_history_on_our_lists(oum_editor, oum_list):
    salma = _subscriber("salma@example.org", oum_list)
    salma.topics.add(Topic.objects.create(name="Care work", slug="care-work"))
    ConsentRecord.objects.create(subscriber=salma, mailing_list=oum_list, text="Yes please", version="v3",
                                 source=ConsentRecord.Source.FORM)
    digest = make_digest(oum_list, subject="March bulletin")
    Delivery.objects.create(digest=digest, subscriber=salma, language="fr", status=Delivery.Status.SENT,
                            sent_at=timezone.now())
    EmailEvent.objects.create(event_id="e1", event_type="bounced", recipient_hash=salma.email_hash, digest_id=digest.pk,
                              bounce_class="hard", occurred_at=timezone.now())
    EmailEvent.objects.create(event_id="e2", event_type="clicked", recipient_hash=salma.email_hash, digest_id=digest.pk,
                              url="https://oum.example.org/care", occurred_at=timezone.now())
    Suppression.objects.create(email_hash=salma.email_hash, reason=Suppression.Reason.HARD_BOUNCE)

    response = _look_up(oum_editor, "  Salma@Example.org ")
    body = response.content.decode()

    assert response.status_code == 200
    assert 'id="lookup-found"' in body and "salma@example.org" in body
    assert "Français" in body and "Care work" in body
    assert "OUM Bulletin" in body and "Active" in body
    assert "Hard bounce" in body and "nothing is sent to this address" in body
    assert "Consent given" in body and "Subscribe form · v3" in body
    assert "March bulletin" in body and "Digest: Accepted by the provider" in body
    assert "Bounced" in body and "the mailbox does not exist" in body
    assert "Clicked a link" in body and "https://oum.example.org/care" in body


def test_it_says_when_and_how_she_left_a_list(oum_editor, oum_list):
    salma = _subscriber("salma@example.org", oum_list)
    digest = make_digest(oum_list, subject="April bulletin")
    Subscription.objects.filter(subscriber=salma).update(
        status=Subscription.Status.UNSUBSCRIBED, unsubscribed_at=timezone.now(), unsubscribe_source="one-click",
        unsubscribed_via_digest_id=digest.pk)

    body = _look_up(oum_editor, "salma@example.org").content.decode()

    assert "Unsubscribed" in body
    assert "through one-click unsubscribe in her mail program" in body and "April bulletin" in body


def test_it_hides_opens_and_clicks_of_a_list_that_does_not_track_them(oum_editor, oum):
    untracked = make_list(organisation=oum, name="OUM Untracked", slug="oum-untracked", tracking_enabled=False)
    salma = _subscriber("salma@example.org", untracked)
    digest = make_digest(untracked, subject="Quiet bulletin")
    for n, kind in enumerate(["opened", "clicked", "delivered"]):
        EmailEvent.objects.create(event_id=f"u{n}", event_type=kind, recipient_hash=salma.email_hash,
                                  digest_id=digest.pk, url="https://x.example.org/", occurred_at=timezone.now())

    body = _look_up(oum_editor, "salma@example.org").content.decode()

    assert "Delivered" in body
    assert "Opened" not in body and "Clicked a link" not in body


def test_it_answers_not_found_for_an_unknown_address_or_a_part_of_one(oum_editor, oum_list):
    _subscriber("salma@example.org", oum_list)

    for address in ("nobody@example.org", "salma@example.com"):
        body = _look_up(oum_editor, address).content.decode()
        assert 'id="lookup-not-found"' in body and 'id="lookup-found"' not in body, address
    partial = _look_up(oum_editor, "salma").content.decode()
    assert 'id="lookup-found"' not in partial and 'id="lookup-not-found"' not in partial  # not even looked up


def test_it_treats_another_organisations_subscriber_exactly_like_an_unknown_address(oum_editor, mmm_list):
    _subscriber("mmm-only@example.org", mmm_list)

    theirs = _look_up(oum_editor, "mmm-only@example.org").content.decode()
    unknown = _look_up(oum_editor, "never@example.org").content.decode()

    assert 'id="lookup-not-found"' in theirs and "MMM Weekly" not in theirs

    def without_address_and_token(body):
        body = body.replace("mmm-only@example.org", "X").replace("never@example.org", "X")
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", body)

    assert without_address_and_token(theirs) == without_address_and_token(unknown)
    entry = AuditEntry.objects.filter(action=AuditEntry.Action.SUBSCRIBER_LOOKED_UP).first()
    assert (entry.target_id, entry.target_repr, entry.organisation_id) == ("", "", None)


def test_it_shows_only_our_lists_and_their_history_for_someone_on_both_organisations(oum_editor, oum_list, mmm_list):
    both = _subscriber("both@example.org", oum_list, mmm_list)
    theirs = make_digest(mmm_list, subject="MMM secret digest")
    Delivery.objects.create(digest=theirs, subscriber=both, language="fr", status=Delivery.Status.SENT,
                            sent_at=timezone.now())
    EmailEvent.objects.create(event_id="m1", event_type="complained", recipient_hash=both.email_hash,
                              digest_id=theirs.pk, bounce_class="complaint", occurred_at=timezone.now())
    ConsentRecord.objects.create(subscriber=both, mailing_list=mmm_list, text="MMM consent", version="mmm-v9",
                                 source=ConsentRecord.Source.IMPORT)

    body = _look_up(oum_editor, "both@example.org").content.decode()

    assert "OUM Bulletin" in body
    assert "MMM Weekly" not in body and "MMM secret digest" not in body and "mmm-v9" not in body
    assert "Marked as spam" not in body


def test_it_offers_no_export_download_or_change_of_her_subscriptions(oum_editor, oum_list):
    _subscriber("salma@example.org", oum_list)

    body = _look_up(oum_editor, "salma@example.org").content.decode()

    content = body[body.index('id="content"'):]
    assert not re.search(r"export|download|\.csv|\.json", content, re.IGNORECASE)
    posts = set(re.findall(r'<form method="post" action="([^"]+)"', content))
    assert posts == {URL}


def test_it_writes_one_audit_entry_per_look_up_without_the_address(oum_editor, oum_list, oum):
    salma = _subscriber("salma@example.org", oum_list)

    _look_up(oum_editor, "salma@example.org")
    _look_up(oum_editor, "nobody@example.org")
    oum_editor.get(URL, {"email": "salma@example.org"})  # a GET never looks up: an address has no place in a URL

    found, missing = AuditEntry.objects.filter(action=AuditEntry.Action.SUBSCRIBER_LOOKED_UP).order_by("id")
    assert (found.actor_name, found.target_type, found.target_id) == ("oum-editor", "subscribers.subscriber", str(salma.pk))
    assert found.organisation_id == oum.pk and found.extra == {"found": True, "email_hash": salma.email_hash}
    assert missing.target_id == "" and missing.extra == {"found": False, "email_hash": email_hash("nobody@example.org")}
    for entry in (found, missing):
        assert "@" not in f"{entry.description} {entry.target_repr} {entry.extra}"


def test_it_refuses_look_ups_past_the_limit_per_person(oum_editor, oum, oum_list, settings):
    settings.SUBSCRIBER_LOOKUP_LIMIT = 2
    _subscriber("salma@example.org", oum_list)

    answers = [_look_up(oum_editor, "salma@example.org") for _ in range(3)]
    colleague = _look_up(_editor_of(oum, "oum-colleague"), "salma@example.org")

    assert [a.status_code for a in answers] == [200, 200, 429]
    assert 'id="lookup-limited"' in answers[2].content.decode() and "salma" not in answers[2].content.decode().split(
        'id="lookup-limited"')[1]
    assert AuditEntry.objects.filter(action=AuditEntry.Action.SUBSCRIBER_LOOKED_UP).count() == 3
    assert colleague.status_code == 200  # counted per person


def test_it_refuses_anonymous_visitors_non_staff_and_staff_without_a_role(oum_list, roles):
    _subscriber("salma@example.org", oum_list)
    anonymous = Client()
    member = get_user_model().objects.create_user(username="reader", password="pw")
    roleless = get_user_model().objects.create_user(username="roleless", password="pw", is_staff=True)
    member_client, roleless_client = Client(), Client()
    member_client.force_login(member)
    roleless_client.force_login(roleless)

    for client in (anonymous, member_client):
        response = _look_up(client, "salma@example.org")
        assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))
    assert _look_up(roleless_client, "salma@example.org").status_code == 403
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.SUBSCRIBER_LOOKED_UP).exists()


def test_it_is_linked_from_the_dashboard_and_the_header_of_every_admin_page(oum_editor):
    dashboard = oum_editor.get(reverse("editorial:dashboard")).content.decode()
    index = oum_editor.get(reverse("admin:index")).content.decode()

    assert 'id="lookup"' in dashboard and f'action="{URL}"' in dashboard
    assert 'id="lookup-link"' in index and f'href="{URL}"' in index


def test_it_speaks_french_and_arabic_right_to_left(oum_editor, oum_list):
    _subscriber("salma@example.org", oum_list)

    oum_editor.cookies.load({"django_language": "fr"})
    french = _look_up(oum_editor, "salma@example.org").content.decode()
    oum_editor.cookies.load({"django_language": "ar"})
    arabic = _look_up(oum_editor, "salma@example.org").content.decode()

    assert "Rechercher un abonné" in french and "Historique" in french
    assert 'dir="rtl"' in arabic and "البحث عن مشترك" in arabic
    assert '<bdi dir="ltr">salma@example.org</bdi>' in arabic
