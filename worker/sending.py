"""Steps 3 and 4 of the send pipeline: claim a batch, send it, record what the provider said.

Order of a claim (each step a short autocommitted write, no network inside a transaction):
  1. conditional UPDATE pending -> submitting with a fresh claim token and this process's name (0 rows:
     someone else has it);
  2. send slots from the global Redis rate limiter; a wait longer than a moment gives the batch back with
     its slots reserved (it comes again when they begin) instead of holding a worker;
  3. conditional UPDATE provider_call_started_at (only if the claim is still ours): from here on a
     lost worker means "the provider may have it", and the batch becomes uncertain, never resent;
  4. the recipients, read only now: who unsubscribed or was suppressed before step 3 -> skipped;
  5. build the messages (headers checked: nothing with CR/LF reaches the provider);
  6. the provider call(s); then the outcome, written only under our claim token, and retried through
     database blips (the worker holds the answer until the database takes it).
Anything that fails before the call gives the claim back at once (worker.liveness: only a dead process's
claim waits for the reconcile scan). docs/decisions/0010-claims-and-dead-workers.md says why.
"""

from __future__ import annotations

import enum
import functools
import logging
import re
import smtplib
import socket
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import ParamSpec, TypeVar

import redis
import requests
from anymail.exceptions import AnymailAPIError, AnymailError, AnymailInvalidAddress, AnymailRecipientsRefused
from django.conf import settings
from django.core.mail import get_connection
from django.db import connection as db_connection
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from config.backoff import backoff_seconds
from newsletter.lifecycle import digest_step
from newsletter.models import Digest
from newsletter.selectors import web_version_url
from subscribers.models import Suppression
from subscribers.services import suppression_add
from worker import liveness, ratelimit, sql
from worker.messages import (
    Envelope,
    HeaderInjection,
    Recipient,
    build_envelope,
    has_line_break,
    merged_message,
    own_message_id,
    single_message,
)
from worker.models import Batch, Delivery, DigestSend
from worker.pokes import batch_poke_later
from worker.prebuilt_mime import prebuild
from worker.providers import ProviderProfile, current_provider
from worker.selectors import digest_account

log = logging.getLogger(__name__)

# A rate-limit wait up to this long is slept in the worker; a longer one gives the batch back.
MAX_INLINE_WAIT = 1.0
# Retries due within this many seconds get a countdown poke; later ones are poked by the reconcile scan.
# Send slots are reserved at most this far ahead (a batch further back asks again when its turn nears).
MAX_COUNTDOWN = 30.0
# Slots reserved for a batch are still used if its next claim comes this late (a countdown poke is
# not punctual); later than that it reserves again.
SLOT_GRACE = timedelta(seconds=5)
# After a database or Redis error before the provider call, the batch goes again this soon.
TRANSIENT_RETRY = 1.0
_ACCEPTED = {"queued", "sent", "scheduled"}
_PERMANENT_REJECTIONS = {"rejected", "invalid"}
# Errors of our own infrastructure (not the provider's): the claim is given back and not counted as a try.
TRANSIENT_ERRORS = (*sql.CONNECTION_ERRORS, redis.RedisError)


class FailureKind(enum.StrEnum):
    RETRY = "retry"  # nothing was sent: back to pending with backoff
    RECIPIENT = "recipient"  # only this recipient failed
    BATCH = "batch"  # the request itself is wrong: every recipient failed
    UNCERTAIN = "uncertain"  # the provider may have accepted it


class Outcome(enum.StrEnum):
    NOT_CLAIMED = "not claimed"  # someone else has it, it is not due, or its digest is not sending
    NOBODY_LEFT = "nobody left"  # every recipient left or was suppressed since planning
    CLAIM_LOST = "claim lost before the provider call"
    SENT = "sent"
    RETRY = "retry"  # back to pending (given back, or a transient failure)
    FAILED = "failed"
    UNCERTAIN = "uncertain"


@dataclass(frozen=True)
class BatchResult:
    """What batch_send did with a batch (str() is the line the task logs)."""

    outcome: Outcome
    sent: int = 0
    calls: int = 0
    one_by_one: bool = False
    delay: float = 0.0  # RETRY: seconds until the batch may go again
    reason: str = ""

    def __str__(self) -> str:
        if self.outcome == Outcome.SENT:
            if self.one_by_one:
                return f"sent {self.sent} one by one"
            return f"sent {self.sent} in one call" if self.calls == 1 else f"sent {self.sent} in {self.calls} calls"
        if self.outcome == Outcome.RETRY:
            return f"retry in {self.delay:.1f}s: {self.reason}"
        if self.outcome in (Outcome.FAILED, Outcome.UNCERTAIN):
            return f"{self.outcome}: {self.reason}"
        return str(self.outcome)


@dataclass(frozen=True)
class Failure:
    """How an exception from a send is treated (see FailureKind)."""

    kind: FailureKind
    reason: str
    permanent: bool = False
    retry_after: float = 0.0


P = ParamSpec("P")
R = TypeVar("R")
_durable_depth = threading.local()


def durably(write: Callable[P, R]) -> Callable[P, R]:
    """Retry a write through database blips for up to SEND_OUTCOME_RETRY_SECONDS, reconnecting each time.

    Every write of a claimed batch is idempotent (conditional on the claim token, or setting the same
    values again), so writing twice is harmless and giving up early is not: an answer the provider gave
    and we failed to record would turn into "uncertain" recipients. Nested writes retry as one.
    """

    @functools.wraps(write)
    def retrying(*args: P.args, **kwargs: P.kwargs) -> R:
        if getattr(_durable_depth, "value", 0):
            return write(*args, **kwargs)
        deadline = time.monotonic() + settings.SEND_OUTCOME_RETRY_SECONDS
        pause = 0.2
        while True:
            _durable_depth.value = 1
            try:
                return write(*args, **kwargs)
            except sql.CONNECTION_ERRORS as exc:
                if time.monotonic() + pause > deadline or db_connection.in_atomic_block:
                    raise
                log.warning("event=database_write_retry", extra={"write": write.__name__, "error": str(exc)[:200]})
            finally:
                _durable_depth.value = 0
            db_connection.close()  # a broken connection is replaced on the next query
            time.sleep(pause)
            pause = min(pause * 2, 5.0)

    return retrying


def _not_claimed(batch_id: int) -> None:
    # Not ours: claimed by someone else, not due, or its digest is not sending (paused: resume pokes it again).
    if Batch.objects.filter(pk=batch_id, status=Batch.Status.PENDING, digest__status=Digest.Status.CANCELLED).exists():
        _batch_cancel(batch_id)


def batch_send(*, batch_id: int) -> BatchResult:
    """Send one batch if we can claim it, and say what came of it.

    A database error before the claim is raised (the task retries it shortly); after the claim, anything
    that fails before the provider call gives the claim back at once.
    """
    token = uuid.uuid4().hex
    # Claim a due pending batch of a digest that is sending, and read its variant and list in the same statement.
    batch = sql.claim_work(batch_id=batch_id, token=token, claimer=liveness.claimer_id(), now=timezone.now())
    if batch is None:
        _not_claimed(batch_id)
        return BatchResult(Outcome.NOT_CLAIMED)
    try:
        call = _call_prepare(batch, token)
    except TRANSIENT_ERRORS as exc:
        return _batch_retry(batch.id, token, Failure(FailureKind.RETRY, f"{type(exc).__name__}: {exc}"[:1000],
                                                     retry_after=TRANSIENT_RETRY), count_attempt=False)
    except Exception as exc:
        # A fault of ours, not the provider's: counted as an attempt, so a batch that always fails stops.
        log.exception("event=batch_error_before_call", extra={"batch_id": batch.id})
        return _batch_retry(batch.id, token, Failure(FailureKind.RETRY, f"{type(exc).__name__}: {exc}"[:1000]))
    if isinstance(call, BatchResult):
        return call
    if call.profile.merges:
        return _send_merged(batch, token, call.profile, call.envelope, call.recipients, call.messages[0])
    return _send_one_by_one(batch, token, call.profile, call.envelope, call.recipients, call.messages)


@dataclass(frozen=True)
class _Call:
    """A claimed batch ready for the provider: nothing of it has gone out yet."""

    profile: ProviderProfile
    envelope: Envelope
    recipients: list[Recipient]
    messages: list


def _call_prepare(batch: sql.BatchWork, token: str) -> _Call | BatchResult:
    """Everything before the provider call, or the batch's result when no call is to be made."""
    profile = current_provider()
    given_back = _send_slots_wait(batch, token, profile)
    if given_back:
        return given_back
    # Marked before the recipients are read, so that whoever left before this moment is not sent. Until the
    # call this worker still knows nothing went out (an error gives the claim back); only its death in the
    # moment of building the messages would leave the batch uncertain.
    if not sql.provider_call_starting(batch_id=batch.id, token=token, now=timezone.now()):
        return BatchResult(Outcome.CLAIM_LOST)
    recipients = _drop_unsafe_addresses(batch_recipients(batch_id=batch.id, list_id=batch.mailing_list.id))
    if not recipients:
        _batch_finish(batch.id, token, calls=0, digest_id=batch.digest_id)
        return BatchResult(Outcome.NOBODY_LEFT)
    try:
        envelope = build_envelope(
            digest_id=batch.digest_id, mailing_list=batch.mailing_list, subject=batch.subject,
            html_body=batch.html, text_body=batch.text, web_url=_web_url(batch),
            tracking_options=profile.tracking_options,
        )
        if profile.merges:
            messages = [merged_message(envelope=envelope, recipients=recipients, merge_syntax=profile.merge_syntax)]
        else:
            # Built up front so a bad header stops the batch before its first message goes out. The MIME
            # message is built once for the batch when the backend serialises it (worker.prebuilt_mime).
            prebuilt = prebuild(envelope, backend=profile.backend)
            messages = [single_message(envelope=envelope, recipient=r, prebuilt=prebuilt) for r in recipients]
    except HeaderInjection as exc:
        return _batch_fail(batch.id, token, f"Refused before sending: {exc}.")
    return _Call(profile=profile, envelope=envelope, recipients=recipients, messages=messages)


def _send_slots_wait(batch: sql.BatchWork, token: str, profile: ProviderProfile) -> BatchResult | None:
    """Take the batch's send slots from the rate limiter before its recipients are read, so that whoever
    leaves during the wait is not sent. Returns the outcome when the batch is given back to wait for them."""
    now = timezone.now()
    if batch.rate_slot_at is not None and batch.rate_slot_at >= now - SLOT_GRACE:
        wait = (batch.rate_slot_at - now).total_seconds()  # slots reserved by an earlier claim
    else:
        wait = ratelimit.reserve(provider=profile.name, count=batch.size, rate_per_second=profile.rate_per_second,
                                 max_wait=MAX_COUNTDOWN)
        if wait > MAX_COUNTDOWN:  # nothing reserved: ask again when the turn nears
            return _batch_retry(batch.id, token, Failure(FailureKind.RETRY, "rate limit",
                                                         retry_after=wait - MAX_COUNTDOWN), count_attempt=False)
    if wait > MAX_INLINE_WAIT:
        return _batch_retry(batch.id, token, Failure(FailureKind.RETRY, "rate limit", retry_after=wait),
                            count_attempt=False, rate_slot_at=now + timedelta(seconds=wait))
    if wait > 0:
        time.sleep(wait)
    return None


def batch_recipients(*, batch_id: int, list_id: int) -> list[Recipient]:
    """The batch's pending recipients, by subscriber id; those who left the list or were suppressed since
    planning are marked skipped instead (one read, and a write only when somebody left)."""
    rows = sql.recipients(batch_id=batch_id, list_id=list_id)
    departed = [d_id for d_id, _, _, _, gone in rows if gone]
    if departed:
        skipped = Delivery.objects.filter(pk__in=departed, status=Delivery.Status.PENDING).update(
            status=Delivery.Status.SKIPPED, error="left the list or was suppressed before this batch was sent")
        log.info("event=recipients_skipped", extra={"batch_id": batch_id, "count": skipped})
    return [Recipient(delivery_id=d_id, subscriber_id=s_id, email=email, name=name)
            for d_id, s_id, email, name, gone in rows if not gone]


def _drop_unsafe_addresses(recipients: list[Recipient]) -> list[Recipient]:
    """An address with a line break (a bad import) fails alone instead of failing everybody in its batch."""
    unsafe = [r for r in recipients if has_line_break(r.email)]
    if unsafe:
        _deliveries_mark([r.delivery_id for r in unsafe], Delivery.Status.FAILED, "Refused: line break in the address.")
    return [r for r in recipients if r not in unsafe]


# A provider that refuses a whole merged call for one invalid address (Mailgun: a 400, nobody in it sent;
# ProviderProfile.address_refusal) gets the batch split in halves until each refused address stands alone:
# everybody else is sent, and only the refused address fails (and is suppressed). The cap stops a call
# refused for another reason from splitting on.
MAX_MERGED_CALLS = 64


def _send_merged(batch: sql.BatchWork, token: str, profile: ProviderProfile, envelope: Envelope,
                 recipients: list[Recipient], message) -> BatchResult:
    connection = get_connection(profile.backend, fail_silently=False)
    groups: list[tuple[list[Recipient], object]] = [(recipients, message)]
    calls = sent = 0
    while groups:
        group, group_message = groups.pop()
        if group_message is None:
            group_message = merged_message(envelope=envelope, recipients=group, merge_syntax=profile.merge_syntax)
        calls += 1
        try:
            connection.send_messages([group_message])
        except Exception as exc:
            failure = classify(exc)
            if _refuses_an_address(exc, failure, profile):
                if len(group) == 1:
                    _delivery_rejected(group[0], failure.reason, permanent=True)
                    continue
                if calls + 2 <= MAX_MERGED_CALLS:
                    half = len(group) // 2
                    groups += [(group[half:], None), (group[:half], None)]  # the first half goes first
                    continue
            _count_calls(batch, calls)
            ids = [r.delivery_id for r in group]
            if failure.kind == FailureKind.RETRY:
                # Whatever earlier calls of a split sent is recorded: only the pending rest goes again.
                return _batch_retry(batch.id, token, failure)
            if failure.kind == FailureKind.UNCERTAIN:
                if group is recipients:
                    return _batch_uncertain(batch.id, token, ids, failure.reason)
                _deliveries_mark(ids, Delivery.Status.UNCERTAIN, failure.reason)
                return _batch_retry(batch.id, token, failure)
            return _batch_fail(batch.id, token, failure.reason)
        sent += _merged_sent_record(batch, group, group_message, whole_batch=group is recipients)
    _batch_finish(batch.id, token, calls=calls, digest_id=batch.digest_id)
    return BatchResult(Outcome.SENT, sent=sent, calls=calls)


def _refuses_an_address(exc: BaseException, failure: Failure, profile: ProviderProfile) -> bool:
    """Nothing was sent because of an address: anymail refused it before the call, or the provider's 4xx says so."""
    if failure.kind == FailureKind.RECIPIENT:
        return True
    if failure.kind != FailureKind.BATCH or not profile.address_refusal:
        return False
    response = getattr(exc, "response", None)
    text = f"{exc} {getattr(response, 'text', '') if response is not None else ''}"
    return re.search(profile.address_refusal, text, re.IGNORECASE) is not None


@durably
def _merged_sent_record(batch: sql.BatchWork, recipients: list[Recipient], message, *, whole_batch: bool) -> int:
    """Record what the provider answered for one merged call; returns how many were sent."""
    statuses = getattr(message, "anymail_status", None)
    per_recipient = statuses.recipients if statuses is not None else {}
    sent: dict[str, list[int]] = {}
    for recipient in {r.email: r for r in recipients}.values():
        status = per_recipient.get(recipient.email)
        if status is None or status.status in _ACCEPTED:
            sent.setdefault((status.message_id if status else "") or "", []).append(recipient.delivery_id)
        else:
            _delivery_rejected(recipient, f"provider status {status.status}", permanent=status.status in _PERMANENT_REJECTIONS)
    now = timezone.now()
    if whole_batch and len(sent) == 1 and len(next(iter(sent.values()))) == len(recipients):
        # Everybody accepted under one id (Mailgun's usual answer): the batch's pending deliveries are
        # exactly the recipients read above (uncertain ones too, if the reconcile scan gave up on us while
        # we waited: the provider's answer wins), so no 1,000-id IN list is needed.
        [(message_id, _)] = sent.items()
        Delivery.objects.filter(batch_id=batch.id, status__in=[Delivery.Status.PENDING, Delivery.Status.UNCERTAIN]).update(
            status=Delivery.Status.SENT, provider_message_id=message_id[:300], sent_at=now, error="")
        return len(recipients)
    for message_id, ids in sent.items():
        Delivery.objects.filter(pk__in=ids).update(status=Delivery.Status.SENT, provider_message_id=message_id[:300],
                                                   sent_at=now, error="")
    return sum(len(ids) for ids in sent.values())


_RECORD_EVERY = 200


def _send_one_by_one(batch: sql.BatchWork, token: str, profile: ProviderProfile, envelope: Envelope,
                     recipients: list[Recipient], messages: list) -> BatchResult:
    try:
        connection = get_connection(profile.backend, fail_silently=False)
        connection.open()
    except Exception as exc:
        failure = classify(exc)
        # Opening a connection sends no message: whatever went wrong, nothing was sent.
        return _batch_retry(batch.id, token, Failure(FailureKind.RETRY, failure.reason, retry_after=failure.retry_after))
    calls = 0
    sent = 0
    last_touch = time.monotonic()
    # Sent deliveries are recorded in groups: one UPDATE per message was most of this mode's cost
    # (docs/decisions/0004-batch-sql-round-trips.md).
    # A worker killed before a flush leaves them pending in a batch whose provider call had started, which
    # the reconcile reports uncertain (never resent). Every return below flushes first, so a retried batch
    # never resends someone already recorded here.
    # (delivery id, the provider's message id or "" when it gave none, sent at as a Unix time)
    unrecorded: list[tuple[int, str, float]] = []

    def record_sent() -> None:
        if unrecorded:
            _deliveries_record_sent(unrecorded, digest_id=batch.digest_id, domain=envelope.domain)
            unrecorded.clear()

    try:
        for recipient, message in zip(recipients, messages, strict=True):
            message.connection = connection
            if profile.idempotency_keys:
                message.idempotency_key = f"digest-{batch.digest_id}-batch-{batch.id}-delivery-{recipient.delivery_id}"
            try:
                calls += 1
                connection.send_messages([message])
            except Exception as exc:
                record_sent()
                failure = classify(exc)
                if failure.kind == FailureKind.RECIPIENT:
                    _delivery_rejected(recipient, failure.reason, permanent=failure.permanent)
                    continue
                if failure.kind == FailureKind.RETRY:
                    _count_calls(batch, calls)
                    return _batch_retry(batch.id, token, failure)
                if failure.kind == FailureKind.UNCERTAIN:
                    _count_calls(batch, calls)
                    _deliveries_mark([recipient.delivery_id], Delivery.Status.UNCERTAIN, failure.reason)
                    # The rest were not sent: they go back to pending and are retried later.
                    return _batch_retry(batch.id, token, failure)
                _count_calls(batch, calls)
                return _batch_fail(batch.id, token, failure.reason)
            unrecorded.append((recipient.delivery_id, _provider_message_id(message)[:300], time.time()))
            sent += 1
            if len(unrecorded) >= _RECORD_EVERY or time.monotonic() - last_touch > 1.0:
                record_sent()
                if time.monotonic() - last_touch > 1.0:
                    Batch.objects.filter(pk=batch.id, claim_token=token).update(touched_at=timezone.now())
                    last_touch = time.monotonic()
        record_sent()
    finally:
        try:
            connection.close()
        except Exception:  # the messages are out; a failing QUIT changes nothing
            log.warning("event=connection_close_failed", extra={"batch_id": batch.id})
    _batch_finish(batch.id, token, calls=calls, digest_id=batch.digest_id)
    return BatchResult(Outcome.SENT, sent=sent, calls=calls, one_by_one=True)


@durably
def _deliveries_record_sent(rows: list[tuple[int, str, float]], *, digest_id: int, domain: str) -> None:
    """Mark a group of deliveries sent, each with its message id and time, in one statement.

    A row's message id is the provider's, or "" for our own Message-ID (SMTP and the local backends), which
    the database writes from the delivery's ids rather than receiving 200 strings (`OWN_MESSAGE_ID_SQL`).
    bulk_update writes one CASE WHEN per field with a branch per row (quadratic:
    docs/decisions/0004-batch-sql-round-trips.md); a list of values joined on the id is linear.
    """
    if db_connection.vendor == "postgresql":
        sql.deliveries_mark_sent_postgresql(rows=rows, domain=domain)
        return
    sql.deliveries_mark_sent_sqlite(rows=[
        (pk, mid or own_message_id(digest_id=digest_id, delivery_id=pk, domain=domain), datetime.fromtimestamp(at, tz=UTC))
        for pk, mid, at in rows])


def classify(exc: BaseException) -> Failure:
    """Sort a send exception into retry / recipient / batch / uncertain (see Failure)."""
    reason = f"{type(exc).__name__}: {exc}"[:1000]
    # AnymailRequestsAPIError is also a requests exception: an HTTP answer has a status code, a network error none.
    if isinstance(exc, AnymailAPIError) and isinstance(exc, requests.RequestException) and exc.status_code is None:
        return _classify_network(exc, reason)
    if isinstance(exc, AnymailRecipientsRefused | AnymailInvalidAddress):
        return Failure(FailureKind.RECIPIENT, reason, permanent=True)
    if isinstance(exc, AnymailAPIError) and exc.status_code is not None:
        status = exc.status_code
        if status == 429 or status >= 500:
            return Failure(FailureKind.RETRY, reason, retry_after=_retry_after(exc.response))
        if 400 <= status < 500:
            return Failure(FailureKind.BATCH, reason)
        return Failure(FailureKind.UNCERTAIN, reason)  # a 2xx we could not read: it may well have been accepted
    if isinstance(exc, AnymailError):
        kind = FailureKind.UNCERTAIN if getattr(exc, "response", None) is not None else FailureKind.BATCH
        return Failure(kind, reason)
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in exc.recipients.values()]
        return Failure(FailureKind.RECIPIENT, reason, permanent=all(code >= 500 for code in codes))
    if isinstance(exc, smtplib.SMTPSenderRefused):
        return Failure(FailureKind.BATCH, reason)
    if isinstance(exc, smtplib.SMTPDataError | smtplib.SMTPResponseException):
        if 400 <= exc.smtp_code < 500:
            return Failure(FailureKind.RETRY, reason)
        return Failure(FailureKind.RECIPIENT, reason, permanent=False)
    if isinstance(exc, smtplib.SMTPConnectError | ConnectionRefusedError | socket.gaierror):
        return Failure(FailureKind.RETRY, reason)
    return Failure(FailureKind.UNCERTAIN, reason)


def _classify_network(exc: BaseException, reason: str) -> Failure:
    """A connection that never reached the provider is safe to retry; a lost answer is not."""
    if isinstance(exc, requests.ConnectTimeout):
        return Failure(FailureKind.RETRY, reason)
    if isinstance(exc, requests.ConnectionError) and not isinstance(exc, requests.ReadTimeout):
        chain = []
        cause: BaseException | None = exc
        while cause is not None and len(chain) < 10:
            chain.append(cause)
            inner = cause.args[0] if cause.args and isinstance(cause.args[0], BaseException) else None
            cause = cause.__cause__ or cause.__context__ or inner
        text = " ".join(f"{type(c).__name__} {c}" for c in chain)
        if "NewConnectionError" in text or "Connection refused" in text or "NameResolutionError" in text:
            return Failure(FailureKind.RETRY, reason)
    return Failure(FailureKind.UNCERTAIN, reason)


def _retry_after(response) -> float:
    if response is None:
        return 0.0
    value = response.headers.get("Retry-After", "")
    try:
        return max(0.0, min(float(value), settings.SEND_RETRY_MAX))
    except ValueError:
        return 0.0


@durably
def _batch_retry(batch_id: int, token: str, failure: Failure, *, count_attempt: bool = True,
                 rate_slot_at: datetime | None = None) -> BatchResult:
    """Give the claim back: pending again after a backoff (or `retry_after`), poked then when that is soon.
    count_attempt=False for waits that are nobody's fault (rate limit, our own database or Redis)."""
    batch = Batch.objects.filter(pk=batch_id).only("attempts", "digest_id").first()
    if count_attempt and batch.attempts >= settings.SEND_MAX_ATTEMPTS:
        return _batch_fail(batch_id, token, f"Gave up after {batch.attempts} attempts: {failure.reason}")
    backoff = backoff_seconds(batch.attempts, base=settings.SEND_RETRY_BASE, cap=settings.SEND_RETRY_MAX)
    delay = max(failure.retry_after, backoff if count_attempt else 0.0)
    next_at = rate_slot_at or timezone.now() + timedelta(seconds=delay)
    # Short waits get a countdown poke; longer ones none (no long ETA tasks): the reconcile scan
    # pokes a pending batch with no recent poke once its next_attempt_at has come.
    poke_now = delay <= MAX_COUNTDOWN
    updates = {"status": Batch.Status.PENDING, "claim_token": "", "next_attempt_at": next_at, "error": failure.reason,
               "provider_call_started_at": None, "touched_at": timezone.now(), "rate_slot_at": rate_slot_at,
               "poked_at": timezone.now() if poke_now else None}
    if not count_attempt:
        updates["attempts"] = F("attempts") - 1
    if Batch.objects.filter(pk=batch_id, claim_token=token, status=Batch.Status.SUBMITTING).update(**updates) and poke_now:
        batch_poke_later(batch_id, countdown=delay)
    log.info("event=batch_retry", extra={"batch_id": batch_id, "delay": round(delay, 1), "reason": failure.reason[:200]})
    return BatchResult(Outcome.RETRY, delay=delay, reason=failure.reason)


@durably
def _batch_fail(batch_id: int, token: str, reason: str) -> BatchResult:
    now = timezone.now()
    Delivery.objects.filter(batch_id=batch_id, status=Delivery.Status.PENDING).update(status=Delivery.Status.FAILED,
                                                                                       error=reason[:1000])
    Batch.objects.filter(pk=batch_id, claim_token=token).update(status=Batch.Status.FAILED, error=reason, finished_at=now,
                                                                touched_at=now)
    digest_id = Batch.objects.filter(pk=batch_id).values_list("digest_id", flat=True).first()
    DigestSend.objects.filter(digest_id=digest_id).update(last_error=reason)
    log.warning("event=batch_failed", extra={"batch_id": batch_id, "reason": reason[:300]})
    digest_finish_if_done(digest_id=digest_id)
    return BatchResult(Outcome.FAILED, reason=reason)


@durably
def _batch_uncertain(batch_id: int, token: str, delivery_ids: list[int], reason: str) -> BatchResult:
    now = timezone.now()
    _deliveries_mark(delivery_ids, Delivery.Status.UNCERTAIN, reason)
    Batch.objects.filter(pk=batch_id, claim_token=token).update(status=Batch.Status.UNCERTAIN, error=reason,
                                                                finished_at=now, touched_at=now)
    digest_id = Batch.objects.filter(pk=batch_id).values_list("digest_id", flat=True).first()
    log.warning("event=batch_uncertain", extra={"batch_id": batch_id, "reason": reason[:300]})
    digest_finish_if_done(digest_id=digest_id)
    return BatchResult(Outcome.UNCERTAIN, reason=reason)


@durably
def _batch_finish(batch_id: int, token: str, *, calls: int, digest_id: int) -> None:
    sql.submitted(batch_id=batch_id, token=token, calls=calls, now=timezone.now())
    digest_finish_if_done(digest_id=digest_id)


def _batch_cancel(batch_id: int) -> None:
    with transaction.atomic():  # a cancelled batch never keeps pending deliveries (lost connection in between)
        if Batch.objects.filter(pk=batch_id, status=Batch.Status.PENDING).update(status=Batch.Status.CANCELLED,
                                                                                 finished_at=timezone.now()):
            Delivery.objects.filter(batch_id=batch_id, status=Delivery.Status.PENDING).update(
                status=Delivery.Status.SKIPPED, error="digest cancelled"
            )


@durably
def _count_calls(batch: sql.BatchWork, calls: int) -> None:
    if calls:
        Batch.objects.filter(pk=batch.id).update(provider_calls=F("provider_calls") + calls)


@durably
def _deliveries_mark(ids: list[int], status: str, reason: str) -> None:
    Delivery.objects.filter(pk__in=ids).update(status=status, error=reason[:1000])


@durably
def _delivery_rejected(recipient: Recipient, reason: str, *, permanent: bool) -> None:
    """The provider refused this one address: the delivery fails; a permanent refusal suppresses the address."""
    _deliveries_mark([recipient.delivery_id], Delivery.Status.FAILED, reason)
    if permanent:
        suppression_add(email=recipient.email, reason=Suppression.Reason.REJECTED, detail=reason[:400])


def _provider_message_id(message) -> str:
    """The id the provider gave the message, or "" when it gave none (then our Message-ID is recorded)."""
    status = getattr(message, "anymail_status", None)
    if status is not None and status.message_id:
        return str(status.message_id)
    return ""


def _web_url(batch: sql.BatchWork) -> str:
    if "%%web_url%%" not in batch.html and "%%web_url%%" not in batch.text:
        return ""
    return web_version_url(digest_id=batch.digest_id, language=batch.language)


def digest_finish_if_done(*, digest_id: int | None) -> bool:
    """A sending digest with no batch pending or submitting is finished: sent, or failed if nobody got it."""
    if digest_id is None:
        return False
    if sql.digest_busy(digest_id=digest_id):
        return False
    account = digest_account(digest_id=digest_id)
    status = Digest.Status.FAILED if account["failed"] and not account["sent"] else Digest.Status.SENT
    detail = ", ".join(f"{account[key]} {key}" for key in ("sent", "failed", "uncertain", "skipped"))
    now = timezone.now()
    done = digest_step(digest_id=digest_id, step="finish", to=status, detail=detail, now=now)
    if done:
        log.info("event=digest_finished", extra={"digest_id": digest_id, "status": status, "account": detail})
    else:
        # A batch the reconcile scan had called uncertain came back with its real answer after the
        # digest finished: keep the finished digest's account true.
        digest_step(digest_id=digest_id, step="recount", to=status, detail=detail, only_if=~Q(status_detail=detail), now=now)
    return done
