import pytest
from django.conf import settings
from django.db import connection

from bench import database
from subscribers.emails import email_hash
from subscribers.models import MailingList, Subscriber, Subscription
from tests.support.organisations import default_organisation


@pytest.mark.django_db
def test_it_generates_subscribers_whose_hash_matches_the_project_hash_and_subscribes_them():
    mailing_list = MailingList.objects.create(name="Bench", slug="bench", from_name="B", from_email="b@example.org",
                                                 organisation=default_organisation())
    with connection.cursor() as cursor:
        created = database.seed_subscribers(cursor.connection, count=6, address_hash_key=settings.ADDRESS_HASH_KEY)
        subscribed = database.seed_subscriptions(cursor.connection, list_id=mailing_list.id, count=4)

    assert created == 6 and subscribed == 4
    people = list(Subscriber.objects.order_by("id"))
    assert [p.email for p in people] == [f"reader{n}@bench.example.org" for n in range(1, 7)]
    assert all(p.email_hash == email_hash(p.email) for p in people)
    assert {p.language for p in people} == {"en", "fr", "ar"}
    active = Subscription.objects.filter(mailing_list=mailing_list, status=Subscription.Status.ACTIVE)
    assert sorted(active.values_list("subscriber_id", flat=True)) == [p.id for p in people[:4]]
