"""Thin tasks: ids in, one service call each."""

from celery import shared_task

from subscribers import notifications, queued_emails


@shared_task(time_limit=300, soft_time_limit=240)
def send_queued_emails() -> None:
    queued_emails.queued_emails_send_due(budget_seconds=60)


# The audience's emails go through the outbox (subscribers.queued_emails). This task stays one release so that
# welcomes the previous version queued before an upgrade are still sent. Its confirmation twin is gone: a
# confirmation link must carry when it was asked for (subscribers.transitions.confirmable), which it did not know.
@shared_task(time_limit=60, soft_time_limit=50)
def send_welcome_email(*, subscriber_id: int, list_id: int) -> None:
    notifications.welcome_email_send(subscriber_id=subscriber_id, list_id=list_id)
