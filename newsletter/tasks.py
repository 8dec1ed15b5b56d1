"""Celery tasks: thin wrappers (ids in, one service call). Beat pokes the scans in worker/beat.py.
Feed polls are routed to the `feeds` queue (config.settings.CELERY_TASK_ROUTES), away from mail."""

from __future__ import annotations

from functools import partial

from celery import shared_task
from django.db import transaction

from newsletter import importing, recurring


@shared_task(name="newsletter.tasks.poll_due_feeds")
def poll_due_feeds() -> int:
    """Claim the feeds due for polling and poll each in its own task."""
    feed_ids = importing.feeds_claim_due()
    for feed_id in feed_ids:
        poll_feed.delay(feed_id)
    return len(feed_ids)


@shared_task(name="newsletter.tasks.poll_feed")
def poll_feed(feed_id: int) -> str:
    return str(importing.feed_poll(feed_id=feed_id))


@shared_task(name="newsletter.tasks.run_due_recurring_digests")
def run_due_recurring_digests() -> list[str]:
    return recurring.recurring_digests_run_due()


def feeds_poll_enqueue(feed_ids: list[int]) -> None:
    """Queue one poll per feed once the current transaction commits (a rolled-back request polls nothing)."""
    for feed_id in feed_ids:
        transaction.on_commit(partial(poll_feed.delay, feed_id))
