from __future__ import annotations

import pytest
from django.core.cache import cache

from subscribers import choices, email_shells
from tests.support.premailer import counting_premailer
from tests.support.processes import start_worker
from worker.celery_app import app


@pytest.fixture(autouse=True)
def _clean_redis_db():
    """Each test starts with an empty test Redis database (rate limits, locks, queued pokes)."""
    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _fresh_choices():
    """Each test reads the subscribe form's lists and topics afresh: a previous test's must not be this test's."""
    choices.forget()
    yield
    choices.forget()


@pytest.fixture(autouse=True)
def _fresh_email_shells():
    """Each test renders the confirmation and welcome HTML afresh (and counts its premailer runs)."""
    email_shells.forget()
    yield
    email_shells.forget()


@pytest.fixture
def celery_worker_process(tmp_path):
    """A real Celery worker process on the test database and Redis. Use with django_db(transaction=True)."""
    process = start_worker(tmp_path)
    yield process
    process.stop()


@pytest.fixture
def premailer_runs():
    """Counts the premailer runs of this process during the test (`premailer_runs.calls`), from outside the product."""
    with counting_premailer() as runs:
        yield runs


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Tests create users: the default PBKDF2 hasher would cost about a second each."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def eager_tasks():
    """Run Celery tasks in-process (the queue itself is proven with real workers elsewhere)."""
    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager = False
    app.conf.task_eager_propagates = False


@pytest.fixture
def run_after_commit(django_capture_on_commit_callbacks, eager_tasks):
    """Execute transaction.on_commit callbacks (and so the queued tasks) as each block commits."""

    def runner():
        return django_capture_on_commit_callbacks(execute=True)

    return runner
