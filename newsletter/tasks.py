"""Celery tasks: thin wrappers (ids in, one service call). Beat pokes the scans in worker/beat.py."""

from __future__ import annotations

from celery import shared_task

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
