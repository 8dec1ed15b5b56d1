"""Thin tasks: ids in, one service call each."""

from celery import shared_task

from subscribers import notifications, queued_emails


@shared_task(time_limit=300, soft_time_limit=240)
def send_queued_emails() -> None:
    queued_emails.queued_emails_send_due(budget_seconds=60)


# The audience's emails go through the outbox (subscribers.queued_emails) now; these two tasks stay one release
# so that messages the previous version queued before an upgrade are still sent.
@shared_task(time_limit=60, soft_time_limit=50)
def send_confirmation_email(*, subscriber_id: int, list_ids: list[int], topic_ids: list[int]) -> None:
    notifications.confirmation_email_send(subscriber_id=subscriber_id, list_ids=list_ids, topic_ids=topic_ids)


@shared_task(time_limit=60, soft_time_limit=50)
def send_welcome_email(*, subscriber_id: int, list_id: int) -> None:
    notifications.welcome_email_send(subscriber_id=subscriber_id, list_id=list_id)
