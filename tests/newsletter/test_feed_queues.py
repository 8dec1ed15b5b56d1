"""A slow feed cannot delay mail, and a digest's batches cannot delay a confirmation: feed polls never run in a web
request, and feeds, bulk sends and the rest each have their own Celery queue with its own worker in every way
the application is started (make run, docker compose, the tests)."""

from __future__ import annotations

import shlex

import pytest
import yaml
from django.contrib.auth import get_user_model

from newsletter import tasks
from newsletter.models import Feed, NewsItem
from tests.newsletter.factories import make_list
from tests.newsletter.feedserver import rss
from tests.support.processes import ROOT
from worker.celery_app import app

MAIL_TASKS = [
    "worker.tasks.scan_due_digests", "worker.tasks.reconcile_sends", "worker.tasks.record_heartbeat",
    "subscribers.tasks.send_queued_emails", "subscribers.tasks.send_welcome_email",
    "newsletter.tasks.run_due_recurring_digests",
]  # fmt: skip
BULK_TASKS = ["worker.tasks.send_batch", "worker.tasks.prepare_digest"]
FEED_TASKS = ["newsletter.tasks.poll_feed", "newsletter.tasks.poll_due_feeds"]


def _queue(task_name: str) -> str:
    return app.amqp.router.route({}, task_name)["queue"].name


def test_it_routes_feed_polls_to_feeds_digest_sends_to_bulk_and_everything_else_to_mail():
    app.loader.import_default_modules()  # every app's tasks, as a worker has them, whatever this run imported before
    registered = {name for name in app.tasks if not name.startswith("celery.")}
    others = registered - set(FEED_TASKS) - set(BULK_TASKS)

    assert {name: _queue(name) for name in FEED_TASKS} == dict.fromkeys(FEED_TASKS, "feeds")
    assert {name: _queue(name) for name in BULK_TASKS} == dict.fromkeys(BULK_TASKS, "bulk")
    assert {name: _queue(name) for name in others} == dict.fromkeys(others, "mail")
    assert set(FEED_TASKS) | set(BULK_TASKS) <= registered


@pytest.mark.parametrize("task_name", MAIL_TASKS)
def test_it_routes_confirmations_and_beats_short_jobs_to_the_mail_queue(task_name):
    assert _queue(task_name) == "mail"


def _queues_of(command: str) -> set[str] | None:
    """The -Q/--queues of a `celery ... worker` command line, or None when it is not one."""
    words = shlex.split(command)
    if "worker" not in words or "celery" not in " ".join(words):
        return None
    for index, word in enumerate(words):
        if word in ("-Q", "--queues"):
            return set(words[index + 1].split(","))
        if word.startswith("--queues="):
            return set(word.split("=", 1)[1].split(","))
    return {"mail"}  # no -Q: the default queue only


def _procfile_workers() -> list[set[str]]:
    lines = (ROOT / "Procfile.dev").read_text().splitlines()
    commands = [line.split(":", 1)[1] for line in lines if ":" in line and not line.lstrip().startswith("#")]
    return [queues for queues in map(_queues_of, commands) if queues is not None]


def _compose_workers() -> list[set[str]]:
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    commands = [s["command"] if isinstance(s["command"], str) else shlex.join(s["command"])
                for s in services.values() if s.get("command")]
    return [queues for queues in map(_queues_of, commands) if queues is not None]


@pytest.mark.parametrize("workers", [_procfile_workers, _compose_workers], ids=["Procfile.dev", "docker-compose.yml"])
def test_it_starts_separate_mail_bulk_and_feeds_workers(workers):
    found = workers()

    assert {"mail"} in found and {"bulk"} in found and {"feeds"} in found
    assert all(len(queues) == 1 and queues <= {"mail", "bulk", "feeds"} for queues in found)


@pytest.mark.django_db
def test_it_polls_a_feed_in_the_background_when_the_editor_asks_from_the_admin(
    client, feed_server, django_capture_on_commit_callbacks, eager_tasks
):
    client.force_login(get_user_model().objects.create_superuser("editor", "editor@example.org", "pw"))
    feed = Feed.objects.create(mailing_list=make_list(), url=feed_server.serve("/rss", rss(
        {"title": "CSW69", "link": "https://x.org/csw", "guid": "csw", "date": "Thu, 17 Apr 2025 09:00:00 GMT",
         "description": "d"})))

    with django_capture_on_commit_callbacks() as queued:
        response = client.post("/admin/newsletter/feed/", {"action": "poll_now", "_selected_action": [feed.id]},
                               follow=True)
    fetched_during_the_request = list(feed_server.requests)
    for callback in queued:
        callback()

    assert "in the background" in response.content.decode()
    assert fetched_during_the_request == [] and len(queued) == 1
    assert NewsItem.objects.filter(source_id="csw").exists()
    feed.refresh_from_db()
    assert feed.last_success_at is not None


@pytest.mark.django_db
def test_it_enqueues_feed_polls_with_ids_only_after_commit(monkeypatch, django_capture_on_commit_callbacks):
    sent = []
    monkeypatch.setattr(tasks.poll_feed, "delay", lambda *args, **kwargs: sent.append((args, kwargs)))

    with django_capture_on_commit_callbacks(execute=True):
        tasks.feeds_poll_enqueue([7, 9])
        assert sent == []

    assert sent == [((7,), {}), ((9,), {})]
