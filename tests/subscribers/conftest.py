import pytest

from worker.celery_app import app


@pytest.fixture
def eager_tasks():
    """Run Celery tasks in-process (the queue is tested elsewhere with a real worker)."""
    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager = False
    app.conf.task_eager_propagates = False


@pytest.fixture
def run_after_commit(django_capture_on_commit_callbacks, eager_tasks):
    """Execute transaction.on_commit callbacks (and so the queued tasks) as each test block commits."""
    def runner():
        return django_capture_on_commit_callbacks(execute=True)

    return runner


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """admin_client creates a user: the default PBKDF2 hasher would cost a second per test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
