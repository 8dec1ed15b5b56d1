import pytest

from tests.newsletter.feedserver import FeedServer


@pytest.fixture
def feed_server(settings):
    # The test server listens on loopback, which feed fetching refuses unless allow-listed.
    settings.FEED_FETCH_ALLOWED_HOSTS = ["127.0.0.1"]
    with FeedServer() as server:
        yield server
