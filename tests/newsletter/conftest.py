import pytest

from tests.newsletter.feedserver import FeedServer


@pytest.fixture
def feed_server():
    with FeedServer() as server:
        yield server
