"""The subscriber look-up inside the desk's frame: the same answer as the admin's, her organisations' lists only,
audited, read only (no button changes a subscription, nothing to export)."""

import pytest
from django.urls import reverse

from editorial.models import AuditEntry
from subscribers.models import Subscriber, Subscription
from tests.support.organisations import default_organisation, make_organisation
from tests.worker.factories import make_list

pytestmark = pytest.mark.django_db

URL = reverse("desk:subscriber_lookup")


def subscribed(email: str, mailing_list) -> Subscriber:
    subscriber = Subscriber.objects.create(email=email, name="Salma", language="ar")
    Subscription.objects.create(subscriber=subscriber, mailing_list=mailing_list, status=Subscription.Status.ACTIVE)
    return subscriber


def test_it_answers_inside_the_desk_frame_with_her_lists_and_history(editor_client):
    subscribed("salma@example.org", make_list(organisation=default_organisation(), name="MMM Weekly"))

    response = editor_client.post(URL, {"email": "Salma@Example.org"})
    page = response.content.decode()

    assert response.status_code == 200
    assert 'class="desk-header"' in page and 'id="lookup-found"' in page and "MMM Weekly" in page
    assert 'id="lookup-history"' in page
    assert AuditEntry.objects.filter(action=AuditEntry.Action.SUBSCRIBER_LOOKED_UP).count() == 1


def test_it_does_not_find_someone_known_only_to_another_organisation(editor_client):
    subscribed("hind@example.org", make_list(organisation=make_organisation(name="OUM-Action"), name="OUM Bulletin"))

    page = editor_client.post(URL, {"email": "hind@example.org"}).content.decode()

    assert 'id="lookup-not-found"' in page and "OUM Bulletin" not in page


def test_it_offers_no_export_and_no_lever_on_her_subscriptions(editor_client):
    subscribed("salma@example.org", make_list(organisation=default_organisation()))

    page = editor_client.post(URL, {"email": "salma@example.org"}).content.decode()
    main = page[page.index("<main"):]

    assert main.count("<form") == 1  # the look-up's own form, nothing that writes
    assert "csv" not in main.lower() and "download" not in main.lower() and "export" not in main.lower()


def test_it_is_the_desk_navigations_look_up(editor_client):
    assert f'href="{URL}"' in editor_client.get("/desk/").content.decode()


def test_it_sends_a_stranger_to_the_desk_sign_in(client):
    assert client.get(URL)["Location"].startswith("/desk/login/")
