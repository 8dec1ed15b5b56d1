"""The audience's own emails (confirmation request, welcome) through an outbox: queued in the transaction that
causes them, sent by a worker.

Why an outbox and not a Celery task per request:
- the row commits with the pending subscription and its consent (or with the confirmation, for the welcome),
  so no email is lost when Redis or the broker fails after the commit. With a task per request, the request
  failed then, after its commit. For a confirmation, the address's confirmation window was already spent, so
  nothing queued the email again. For a welcome, the confirm page answered with an error although the
  subscription was active;
- the subscribe request does not publish a Celery message (a large share of its CPU:
  docs/decisions/0007-web-request-cpu.md); it sets one Redis key, and only the request that finds the key unset publishes a poke.
  Under load one poke drains many rows.

Like the send pipeline, the database is the source of truth and Redis only carries pokes: the beat
drains on QUEUED_EMAIL_INTERVAL whatever happened to the pokes. A claim is a conditional UPDATE
with a lease; a worker lost between sending and deleting means the email is sent again after the lease
(at least once: a second confirmation or welcome is harmless, a missing confirmation is not).
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import as_completed
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, timedelta
from functools import partial

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.cache import cache
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection, transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError
from redis.exceptions import RedisError

from config.backoff import backoff_seconds
from config.redis_client import shared_client
from subscribers import notifications, sql
from subscribers.drain_mailers import DrainMailers, mailer_close
from subscribers.models import QueuedEmail, SubscribeRequest
from subscribers.tokens import ConfirmLink

log = logging.getLogger(__name__)

POKE_KEY = "queued-emails:poked"
# A poke older than this is presumed lost (the key would otherwise silence every later request).
POKE_TTL_SECONDS = 30
# A claimed row is due again after this: longer than one email's connect + read timeouts.
CLAIM_LEASE = timedelta(minutes=5)
CLAIM_SIZE = 50
# Set while this thread drains: the rows a drain queues (confirmations of the requests it decides) are in its
# next claim, so they need no poke.
_draining: ContextVar[bool] = ContextVar("queued_emails_draining", default=False)
# A row left alone after QUEUED_EMAIL_MAX_ATTEMPTS tries waits for an administrator (admin: "Queued emails").


def confirmation_queue(*, subscriber_id: int, list_ids: list[int], topic_ids: list[int]) -> None:
    """Queue the confirm-your-subscription email. Call inside the transaction that made the
    subscriptions pending: the row commits or rolls back with them, and the poke goes out after commit."""
    _queue([QueuedEmail(kind=QueuedEmail.Kind.CONFIRMATION, subscriber_id=subscriber_id, list_ids=list_ids,
                        topic_ids=topic_ids)])


def welcome_queue(*, subscriber_id: int, list_ids: list[int]) -> None:
    """Queue the welcome email of each of these lists. Call inside the transaction that made her active."""
    _queue([QueuedEmail(kind=QueuedEmail.Kind.WELCOME, subscriber_id=subscriber_id, list_ids=[list_id])
            for list_id in list_ids])


def _queue(rows: list[QueuedEmail]) -> None:
    if rows:
        sql.rows_insert(rows)
        if not _draining.get():  # a drain takes the rows it queues itself, in its next claim
            transaction.on_commit(queued_emails_poke)


def queued_emails_poke() -> None:
    """Wake a worker to send the queued emails, unless a poke is already waiting.

    Never raises: the rows are committed, and the beat sends them if this poke cannot be delivered.
    """
    from subscribers import tasks

    try:
        if shared_client().set(cache.make_key(POKE_KEY), 1, nx=True, ex=POKE_TTL_SECONDS):
            tasks.send_queued_emails.delay()
    except (RedisError, BrokerError) as error:
        # Not lost: the beat's drain sends the queued emails.
        log.warning("event=queued_email_poke_failed", extra={"error": str(error)})


def queued_emails_send_due(*, budget_seconds: float = 60.0) -> int:
    """Decide the waiting subscribe requests (which queue confirmations) and send the due queued emails, oldest
    first, for about `budget_seconds`. Returns how many emails were sent. Safe to run in several workers at
    once: each row is claimed by one of them."""
    from subscribers import subscribe_requests  # it queues emails through this module

    try:
        # Before the first claim: a request that commits from now on pokes again, so none is left behind.
        shared_client().delete(cache.make_key(POKE_KEY))
    except RedisError as error:
        log.warning("event=queued_email_poke_reset_failed", extra={"error": str(error)})
    deadline = time.monotonic() + budget_seconds
    sent = 0
    draining = _draining.set(True)
    try:
        with DrainMailers(threads=settings.QUEUED_EMAIL_SEND_THREADS) as mailers:
            while time.monotonic() < deadline:
                requests = subscribe_requests.subscribe_requests_apply_due(limit=CLAIM_SIZE)
                claimed = claim_due(QueuedEmail, limit=CLAIM_SIZE)
                if not claimed and not requests:
                    return sent
                sent += _send_claimed(claimed, mailers)
    finally:
        _draining.reset(draining)
    if _due(QueuedEmail, timezone.now()).exists() or _due(SubscribeRequest, timezone.now()).exists():
        queued_emails_poke()  # out of time with rows left: the next run takes them without waiting for the beat
    return sent


def claim_due(model: type[QueuedEmail | SubscribeRequest], *, limit: int) -> list:
    """Claim up to `limit` due rows of an outbox table with a conditional UPDATE; rows another drain claimed
    are skipped."""
    now = timezone.now()
    token = uuid.uuid4().hex
    with transaction.atomic():
        oldest = _due(model, now).order_by("pk")
        if connection.features.has_select_for_update_skip_locked:
            oldest = oldest.select_for_update(skip_locked=True)
        # The conditions are repeated on the row itself: PostgreSQL re-checks them on a row that a concurrent
        # claim changed, where it does not re-run the subquery.
        _due(model, now).filter(pk__in=oldest.values("pk")[:limit]).update(
            send_after=now + CLAIM_LEASE, attempts=F("attempts") + 1, claim=token
        )
    return list(model.objects.filter(claim=token).order_by("pk"))


def _due(model: type[QueuedEmail | SubscribeRequest], now: datetime) -> QuerySet:
    """Rows to handle now: their time has come and they have tries left."""
    return model.objects.filter(send_after__lte=now, attempts__lt=settings.QUEUED_EMAIL_MAX_ATTEMPTS)


def retry_backoff(attempts: int) -> timedelta:
    """How long a row that failed its `attempts`-th try waits for the next one."""
    return timedelta(seconds=backoff_seconds(attempts, base=settings.QUEUED_EMAIL_RETRY_BASE,
                                             cap=settings.QUEUED_EMAIL_RETRY_MAX))


def retry_later(row: QueuedEmail | SubscribeRequest, error: Exception) -> str:
    """Keep a claimed row that failed for its next try, after a backoff doubling per attempt. Returns the error text."""
    backoff = retry_backoff(row.attempts)
    detail = f"{type(error).__name__}: {error}"[:400]
    type(row).objects.filter(pk=row.pk, claim=row.claim).update(send_after=timezone.now() + backoff, last_error=detail)
    return detail


def _send_claimed(claimed: list[QueuedEmail], mailers: DrainMailers) -> int:
    """Send the emails of one claim and delete their rows; a row whose email failed is kept for a later try.
    Returns how many were sent. What the confirmations still confirm is read for all of them at once, then
    they go out from the sending threads; welcomes (which read the database) from this one."""
    confirmations = [row for row in claimed if row.kind == QueuedEmail.Kind.CONFIRMATION]
    try:
        due = dict(zip([row.pk for row in confirmations], notifications.confirmations_due([_link(row) for row in confirmations]),
                       strict=True))
    except Exception as error:  # noqa: BLE001 - e.g. a database blip: each row waits its backoff, not its lease
        for row in confirmations:
            _retry_later(row, error)
        confirmations, due = [], {}
    in_flight = {mailers.submit(partial(_send_confirmation, due[row.pk], mailers)): row for row in confirmations}
    done: list[int] = []
    sent = 0
    try:
        for row in claimed:
            if row.kind == QueuedEmail.Kind.WELCOME:
                sent += _outcome(row, partial(_send_welcome, row, mailers), done)
        for future in as_completed(in_flight):
            sent += _outcome(in_flight[future], future.result, done)
    finally:
        # Deleted only by their claimer (after a lease ran out another drain may have a row, and sent it too),
        # and even when the task runs out of time: what went out must not go out again.
        if done:
            QueuedEmail.objects.filter(pk__in=done, claim=claimed[0].claim).delete()
    return sent


def _outcome(row: QueuedEmail, send: Callable[[], int], done: list[int]) -> int:
    """Run (or collect) one row's send: 1 if sent, 0 if there was nothing to send any more (she left, or the
    list's welcome was switched off meanwhile); either way the row is done. A failure keeps it for a later try."""
    try:
        sent = send()
    except SoftTimeLimitExceeded:
        raise  # the task is out of time, not this email: the row's lease hands it to a later drain
    except Exception as error:  # noqa: BLE001 - one email's failure (provider, SMTP, template) must not stop the others
        _retry_later(row, error)
        return 0
    done.append(row.pk)
    return sent


def _link(row: QueuedEmail) -> ConfirmLink:
    return ConfirmLink(subscriber_id=row.subscriber_id, list_ids=row.list_ids, topic_ids=row.topic_ids,
                       requested_at=row.created_at)


def _send_confirmation(confirmation: notifications.Confirmation | None, mailers: DrainMailers) -> int:
    if confirmation is None:
        return 0
    with _connection(mailers) as mailer:
        notifications.confirmation_send(confirmation, connection=mailer)
    return 1


def _send_welcome(row: QueuedEmail, mailers: DrainMailers) -> int:
    with _connection(mailers) as mailer:
        return int(notifications.welcome_email_send(subscriber_id=row.subscriber_id, list_id=row.list_ids[0],
                                                    connection=mailer))


@contextmanager
def _connection(mailers: DrainMailers) -> Iterator[BaseEmailBackend]:
    """The calling thread's connection, open; closed after a failure (a broken SMTP session must not fail the
    emails after it: the next send opens a new one)."""
    mailer = mailers.connection()
    mailer.open()
    try:
        yield mailer
    except Exception:
        mailer_close(mailer)
        raise


def _retry_later(row: QueuedEmail, error: Exception) -> None:
    detail = retry_later(row, error)
    if row.attempts >= settings.QUEUED_EMAIL_MAX_ATTEMPTS:
        log.error("event=queued_email_given_up",
                  extra={"kind": row.kind, "subscriber": row.subscriber_id, "attempts": row.attempts, "error": detail})
    else:
        log.warning("event=queued_email_failed", extra={
            "kind": row.kind, "subscriber": row.subscriber_id, "attempt": row.attempts,
            "retry_in_seconds": int(retry_backoff(row.attempts).total_seconds()), "error": detail,
        })


def queued_emails_retry(*, ids: list[int], model: type[QueuedEmail | SubscribeRequest] = QueuedEmail) -> int:
    """An administrator's "try again now" for rows that failed (waiting for their backoff, or given up), of
    either outbox table. Returns how many; rows that have not failed are left to the drain."""
    count = (
        model.objects.filter(pk__in=ids)
        .exclude(last_error="")
        .update(attempts=0, send_after=timezone.now(), last_error="")
    )
    if count:
        transaction.on_commit(queued_emails_poke)
    return count
