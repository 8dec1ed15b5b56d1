from __future__ import annotations

import pytest
from django.core.cache import cache

from tests.support.processes import start_worker


@pytest.fixture(autouse=True)
def _clean_redis_db():
    """Each test starts with an empty test Redis database (rate limits, locks, queued pokes)."""
    cache.clear()
    yield


@pytest.fixture
def celery_worker_process(tmp_path):
    """A real Celery worker process on the test database and Redis. Use with django_db(transaction=True)."""
    process = start_worker(tmp_path)
    yield process
    process.stop()
