"""bench.web_cpu: the in-process CPU figures come from requests that really took effect."""

import pytest
from django.core import signals
from django.db import close_old_connections

from bench import web_cpu
from subscribers import choices


@pytest.fixture
def _keep_the_test_connection():
    """As Django's test client does: the handler must not close the connection holding the test's transaction."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.django_db
def test_it_measures_every_endpoint_with_requests_that_take_effect(settings, _keep_the_test_connection):
    settings.SUBSCRIBE_PER_IP_LIMIT = 10**9  # every request comes from one address
    choices.forget()
    results = {figures.name: figures for figures in web_cpu.run(10)}  # raises if a request did nothing
    assert list(results) == ["subscribe-form", "subscribe-api", "one-click", "unsubscribe-page"]
    assert {name: figures.statuses for name, figures in results.items()} == {
        "subscribe-form": {200}, "subscribe-api": {202}, "one-click": {200}, "unsubscribe-page": {200}}
    assert all(figures.requests == 10 and figures.cpu_ms > 0 for figures in results.values())
    assert results["one-click"].queries == 1
