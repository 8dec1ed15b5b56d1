"""End to end through a real Celery worker on Redis: the confirmation and welcome emails are sent by
the worker after the web request's transaction commits (EMAIL_PROVIDER=outbox in the worker)."""

import re

import pytest
from django.test import Client

from operations.models import OutboxMessage
from subscribers.models import Subscription
from tests.subscribers.factories import make_list
from tests.support.processes import start_worker, wait_until

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def outbox_worker(tmp_path):
    process = start_worker(tmp_path, name="audience", EMAIL_PROVIDER="outbox")
    yield process
    process.stop()


def test_it_sends_confirmation_then_welcome_from_the_worker(outbox_worker):
    make_list(name="MMM News", slug="news", welcome_enabled=True, welcome_subject="Welcome to MMM News",
              welcome_body="Glad to have you.")
    for _ in range(5):
        response = Client().post("/subscribe/", {"email": "Worker@Example.org", "name": "Spam Name", "language": "en",
                                                 "lists": ["news"], "consent": "on"})
        assert response.status_code == 200

    confirmation = wait_until(lambda: OutboxMessage.objects.first(), timeout=30, what="the confirmation email")
    assert confirmation.to == "worker@example.org"
    assert "Spam Name" not in confirmation.raw
    url = re.search(r"http://\S+/confirm/\S+/", confirmation.text).group(0)
    assert Subscription.objects.get().status == "pending"

    path = "/" + url.split("://", 1)[1].split("/", 1)[1]
    assert Client().post(path).status_code == 200
    assert Subscription.objects.get().status == "active"
    welcome = wait_until(lambda: OutboxMessage.objects.filter(subject="Welcome to MMM News").first(), timeout=30,
                         what="the welcome email")
    assert "Glad to have you." in welcome.text
    assert welcome.headers.get("List-Unsubscribe-Post") == "List-Unsubscribe=One-Click"
    assert OutboxMessage.objects.count() == 2  # five requests, one confirmation
