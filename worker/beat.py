"""The beat schedule, in code. Beat only pokes: every scheduled task is a short scan whose real
state lives in the database, so a lost or doubled poke changes nothing."""

from datetime import timedelta

from django.conf import settings

BEAT_SCHEDULE: dict[str, dict] = {
    "worker-heartbeat": {
        "task": "worker.tasks.record_heartbeat",
        "schedule": timedelta(seconds=30),
        "options": {"expires": 25},
    },
    # newsletter: feeds claim themselves per FEED_POLL_INTERVAL; recurring digests claim their run.
    "newsletter-poll-feeds": {
        "task": "newsletter.tasks.poll_due_feeds",
        "schedule": timedelta(minutes=5),
        "options": {"expires": 240},
    },
    "newsletter-recurring-digests": {
        "task": "newsletter.tasks.run_due_recurring_digests",
        "schedule": timedelta(minutes=1),
        "options": {"expires": 50},
    },
    # subscribers: confirmation and welcome emails whose poke was lost, and failed ones due for another try.
    "subscribers-send-queued-emails": {
        "task": "subscribers.tasks.send_queued_emails",
        "schedule": timedelta(seconds=settings.QUEUED_EMAIL_INTERVAL),
        "options": {"expires": max(settings.QUEUED_EMAIL_INTERVAL * 2, 1)},
    },
    # worker: claim due digests, and reconcile lost pokes / stuck batches (intervals from SEND_* settings).
    "worker-scan-due-digests": {
        "task": "worker.tasks.scan_due_digests",
        "schedule": timedelta(seconds=settings.SEND_SCAN_INTERVAL),
        "options": {"expires": max(settings.SEND_SCAN_INTERVAL * 2, 1)},
    },
    "worker-reconcile-sends": {
        "task": "worker.tasks.reconcile_sends",
        "schedule": timedelta(seconds=settings.SEND_RECONCILE_INTERVAL),
        "options": {"expires": max(settings.SEND_RECONCILE_INTERVAL * 2, 1)},
    },
}
