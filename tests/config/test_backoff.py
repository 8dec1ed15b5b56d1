"""One backoff for every retry: doubling from a base, capped; queued audience emails and digest batches use it."""

from datetime import timedelta

from config.backoff import backoff_seconds
from subscribers import queued_emails


def test_it_doubles_the_wait_from_the_base_up_to_the_cap():
    waits = [backoff_seconds(attempts, base=5, cap=600) for attempts in range(1, 10)]
    assert waits == [5, 10, 20, 40, 80, 160, 320, 600, 600]


def test_it_waits_the_base_before_any_attempt_was_counted():
    assert backoff_seconds(0, base=5, cap=600) == backoff_seconds(1, base=5, cap=600) == 5


def test_it_stays_at_the_cap_however_many_attempts_failed():
    assert backoff_seconds(10**6, base=0.2, cap=2) == 2


def test_it_is_the_backoff_of_queued_emails_with_their_settings(settings):
    settings.QUEUED_EMAIL_RETRY_BASE, settings.QUEUED_EMAIL_RETRY_MAX = 7, 100
    assert [queued_emails.retry_backoff(attempts) for attempts in (1, 3, 9)] == [
        timedelta(seconds=7), timedelta(seconds=28), timedelta(seconds=100)]
