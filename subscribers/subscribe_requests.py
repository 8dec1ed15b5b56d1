"""Subscribe requests answered at once and decided behind the answer.

The form and the API validate what was typed, store it in one INSERT and answer: the same statement and the
same page for every address, so neither the answer nor its timing tells a stranger whether an address is
new, subscribed, unsubscribed, suppressed or erased. A worker then decides (services.subscription_request)
in the transaction that deletes the request, so each request is applied exactly once; the poke, the beat,
claims and retries are those of the queued emails (subscribers.queued_emails). Why this way:
docs/decisions/0001-subscribe-decided-behind-the-answer.md.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from celery.exceptions import SoftTimeLimitExceeded
from django.db import transaction

from subscribers import queued_emails, services, sql
from subscribers.models import MailingList, SubscribeRequest, Topic

log = logging.getLogger(__name__)


def subscribe_request_queue(
    *, email: str, name: str, language: str, list_slugs: list[str], topic_slugs: list[str],
    consent: services.ConsentContext, time_zone: str = "",
) -> None:
    """Store the request for a worker to decide, and poke one after commit."""
    row = SubscribeRequest(
        email=email, name=name, language=language, time_zone=time_zone, list_slugs=sorted(set(list_slugs)),
        topic_slugs=sorted(set(topic_slugs)),
        consent_source=consent.source, consent_text=consent.text, consent_version=consent.version,
        ip_address=consent.ip_address, user_agent=consent.user_agent[:400],
    )
    sql.rows_insert([row])
    transaction.on_commit(queued_emails.queued_emails_poke)


def subscribe_requests_apply_due(*, limit: int) -> int:
    """Claim and decide up to `limit` waiting requests, oldest first. Returns how many were claimed."""
    rows = queued_emails.claim_due(SubscribeRequest, limit=limit)
    if rows:
        # A list made private or a topic removed in the seconds since the form checked is left out.
        choices = Choices(
            lists=set(MailingList.objects.filter(is_public=True, slug__in={slug for row in rows for slug in row.list_slugs})
                      .values_list("slug", flat=True)),
            topics=set(Topic.objects.filter(slug__in={slug for row in rows for slug in row.topic_slugs})
                       .values_list("slug", flat=True)),
        )
        for row in rows:
            subscribe_request_apply(row, choices)
    return len(rows)


@dataclass(frozen=True)
class Choices:
    """The public lists and the topics among those a claimed batch of requests names, read once for the batch."""
    lists: set[str]
    topics: set[str]


def subscribe_request_apply(row: SubscribeRequest, choices: Choices) -> None:
    """Decide one claimed request and delete it in the same transaction; a failure keeps it for a later try."""
    consent = services.ConsentContext(
        source=row.consent_source, text=row.consent_text, version=row.consent_version,
        ip_address=row.ip_address, user_agent=row.user_agent,
    )
    list_slugs = [slug for slug in row.list_slugs if slug in choices.lists]
    topic_slugs = [slug for slug in row.topic_slugs if slug in choices.topics]
    try:
        with transaction.atomic():
            if list_slugs:
                services.subscription_request(
                    email=row.email, name=row.name, language=row.language, time_zone=row.time_zone, list_slugs=list_slugs,
                    topic_slugs=topic_slugs, consent=consent,
                )
            sql.claimed_row_delete(SubscribeRequest, pk=row.pk, claim=row.claim)
    except SoftTimeLimitExceeded:
        raise  # the task is out of time, not this request: the claim's lease hands it to a later drain
    except services.ChoicesChanged:
        # Changed again between the two reads a moment ago: the next try reads them afresh.
        queued_emails.retry_later(row, ValueError("the lists or topics changed while the request was applied"))
    except Exception as error:  # noqa: BLE001 - one request's failure must not stop the others
        detail = queued_emails.retry_later(row, error)
        log.warning("event=subscribe_request_failed", extra={"request": row.pk, "attempt": row.attempts, "error": detail})
