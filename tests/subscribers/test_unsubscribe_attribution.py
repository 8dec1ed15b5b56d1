"""Unsubscribe links carry the digest they came in (one signed token); leaving through one is counted for it."""

import pytest
from django.core import signing
from django.test import Client

from newsletter.models import Digest
from subscribers import services, tokens
from subscribers.models import Subscription
from tests.subscribers.factories import make_list, make_subscriber, subscribe
from tests.worker.factories import make_digest
from worker.results import digest_leavers, digest_statistics

pytestmark = pytest.mark.django_db

ONE_CLICK = "List-Unsubscribe=One-Click"


def _path(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def _one_click(path: str):
    return Client().post(path, ONE_CLICK, content_type="application/x-www-form-urlencoded")


@pytest.fixture
def news():
    return make_list(name="MMM News", slug="news")


def test_it_signs_the_digest_into_the_same_one_token():
    token = tokens.make_unsubscribe_token(subscriber_id=12, list_id=3, digest_id=456)
    assert token == signing.Signer(salt="subscribers.unsubscribe.v1").sign("12.3.456")
    assert tokens.read_unsubscribe_link(token) == tokens.UnsubscribeLink(subscriber_id=12, list_id=3, digest_id=456)
    assert tokens.read_unsubscribe_token(token) == (12, 3)
    assert tokens.LinkMaker().unsubscribe_url(subscriber_id=12, list_id=3, digest_id=456).endswith(f"/u/{token}/")


def test_it_reads_an_old_token_without_a_digest():
    old = signing.Signer(salt="subscribers.unsubscribe.v1").sign("12.3")
    assert tokens.read_unsubscribe_link(old) == tokens.UnsubscribeLink(subscriber_id=12, list_id=3, digest_id=None)


@pytest.mark.parametrize("value", ["12.3.4.5", "12", "12.3.x", "12..3"])
def test_it_refuses_a_signed_value_of_another_shape(value):
    with pytest.raises(tokens.BadToken):
        tokens.read_unsubscribe_link(signing.Signer(salt="subscribers.unsubscribe.v1").sign(value))


def test_it_refuses_a_token_whose_digest_was_changed():
    token = tokens.make_unsubscribe_token(subscriber_id=12, list_id=3, digest_id=456)
    with pytest.raises(tokens.BadToken):
        tokens.read_unsubscribe_link(token.replace("12.3.456:", "12.3.457:"))


def test_it_records_the_digest_of_a_one_click_unsubscribe_in_one_statement(news, django_assert_num_queries):
    person = make_subscriber(language="fr")
    subscribe(person, news)
    digest = make_digest(news, status=Digest.Status.SENT)
    path = _path(tokens.unsubscribe_url(subscriber_id=person.id, list_id=news.id, digest_id=digest.pk))

    with django_assert_num_queries(1):
        response = _one_click(path)

    assert response.status_code == 200
    row = Subscription.objects.get()
    assert (row.status, row.unsubscribe_source, row.unsubscribed_via_digest_id) == ("unsubscribed", "one-click", digest.pk)
    assert digest_leavers(digest_id=digest.pk) == 1
    assert digest_statistics(digest_id=digest.pk)["left_via_links"] == 1


def test_it_still_unsubscribes_with_an_old_token_and_attributes_nothing(news):
    person = make_subscriber()
    subscribe(person, news)
    digest = make_digest(news, status=Digest.Status.SENT)
    old = signing.Signer(salt="subscribers.unsubscribe.v1").sign(f"{person.id}.{news.id}")

    assert _one_click(f"/u/{old}/").status_code == 200

    row = Subscription.objects.get()
    assert (row.status, row.unsubscribed_via_digest_id) == ("unsubscribed", None)
    assert digest_leavers(digest_id=digest.pk) == 0


def test_it_records_the_digest_of_the_footer_pages_button_and_forgets_it_on_undo(news):
    person = make_subscriber()
    subscribe(person, news)
    digest = make_digest(news, status=Digest.Status.SENT)
    path = _path(tokens.unsubscribe_url(subscriber_id=person.id, list_id=news.id, digest_id=digest.pk))

    assert Client().get(path).status_code == 200  # a scanner's GET counts nothing
    assert digest_leavers(digest_id=digest.pk) == 0
    page = Client().post(path).content.decode()

    row = Subscription.objects.get()
    assert (row.unsubscribe_source, row.unsubscribed_via_digest_id) == ("link", digest.pk)
    assert digest_leavers(digest_id=digest.pk) == 1
    undo = page.split('name="undo" value="', 1)[1].split('"', 1)[0]
    Client().post(path, {"undo": undo})
    assert Subscription.objects.get().status == "active"
    assert digest_leavers(digest_id=digest.pk) == 0  # she did not leave after all


def test_it_counts_only_the_digest_whose_link_ended_the_subscription(news):
    first, second = make_digest(news, status=Digest.Status.SENT), make_digest(news, status=Digest.Status.SENT)
    people = [make_subscriber() for _ in range(3)]
    for person in people:
        subscribe(person, news)
    for person, digest in zip(people[:2], [first, second], strict=True):
        _one_click(_path(tokens.unsubscribe_url(subscriber_id=person.id, list_id=news.id, digest_id=digest.pk)))
    services.subscription_unsubscribe(subscriber_id=people[2].id, list_id=news.id, source="preferences")
    # A second click on the first digest's link by someone already gone changes nothing.
    _one_click(_path(tokens.unsubscribe_url(subscriber_id=people[1].id, list_id=news.id, digest_id=first.pk)))

    assert (digest_leavers(digest_id=first.pk), digest_leavers(digest_id=second.pk)) == (1, 1)


def test_it_shows_the_digest_in_the_subscription_admin_without_letting_anyone_change_it(news, admin_client):
    person = make_subscriber()
    row = subscribe(person, news, status="unsubscribed", unsubscribed_via_digest_id=77)
    page = admin_client.get(f"/admin/subscribers/subscription/{row.pk}/change/").content.decode()
    assert "77" in page and 'name="unsubscribed_via_digest_id"' not in page
