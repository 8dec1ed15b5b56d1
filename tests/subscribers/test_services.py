import pytest

from subscribers.emails import email_hash
from subscribers.models import Subscription, Suppression
from subscribers.services import subscription_unsubscribe, suppression_add
from tests.subscribers.factories import make_list, make_subscriber, subscribe

pytestmark = pytest.mark.django_db


def test_it_adds_a_suppression_once_keeping_only_the_hash():
    first = suppression_add(email="Someone@Example.org", reason="hard_bounce", detail="550 no such user")
    again = suppression_add(email="someone@example.org ", reason="hard_bounce", detail="a later bounce")

    assert first.pk == again.pk
    assert Suppression.objects.count() == 1
    row = Suppression.objects.get()
    assert row.email_hash == email_hash("someone@example.org")
    assert row.reason == "hard_bounce"
    assert row.detail == "550 no such user"


def test_it_lets_a_complaint_replace_a_bounce_suppression_but_no_bounce_replace_a_complaint():
    suppression_add(email="someone@example.org", reason="hard_bounce", detail="550 5.1.1")
    assert suppression_add(email="someone@example.org", reason="complaint").reason == "complaint"
    assert suppression_add(email="someone@example.org", reason="hard_bounce").reason == "complaint"
    assert Suppression.objects.get().reason == "complaint"


def test_it_refuses_an_unknown_suppression_reason():
    with pytest.raises(ValueError):
        suppression_add(email="a@example.org", reason="bored")
    assert not Suppression.objects.exists()


def test_it_unsubscribes_idempotently_and_records_the_source():
    news = make_list()
    person = make_subscriber()
    subscribe(person, news)

    assert subscription_unsubscribe(subscriber_id=person.id, list_id=news.id, source="provider") is True
    assert subscription_unsubscribe(subscriber_id=person.id, list_id=news.id, source="provider") is False
    row = Subscription.objects.get()
    assert row.status == "unsubscribed"
    assert row.unsubscribed_at is not None
    assert row.unsubscribe_source == "provider"
    assert subscription_unsubscribe(subscriber_id=person.id, list_id=news.id + 999, source="x") is False


def test_it_keeps_the_email_normalised_and_hashed_on_every_save():
    person = make_subscriber("  Mixed@Case.ORG ")
    assert person.email == "mixed@case.org"
    assert person.email_hash == email_hash("mixed@case.org")
    person.email = "New@Case.org"
    person.save(update_fields=["email"])
    person.refresh_from_db()
    assert person.email_hash == email_hash("new@case.org")
