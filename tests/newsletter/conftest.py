import pytest
from django.contrib.auth import get_user_model

from tests.newsletter.feedserver import FeedServer


@pytest.fixture
def feed_server(settings):
    # The test server listens on loopback, which feed fetching refuses unless allow-listed.
    settings.FEED_FETCH_ALLOWED_HOSTS = ["127.0.0.1"]
    with FeedServer() as server:
        yield server


@pytest.fixture
def editor(client):
    """A superuser, logged in on `client`: the admin's editor screens without roles or organisations."""
    user = get_user_model().objects.create_superuser("editor", "editor@example.org", "pw")
    client.force_login(user)
    return user
