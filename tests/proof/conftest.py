import pytest

from worker.celery_app import app


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


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
