"""What an erasure removes besides her own rows: every other store that can hold her address or name.

subscribers.services.subscriber_erase calls erasure_scrub in its transaction, before her row is deleted
(her deliveries, subscriptions, consents and queued emails go with that row). One function per store, so a
new table that can hold an address gets its own function here. Texts are narrowed in the database with
icontains (a superset) and matched in Python on whole addresses, so `ann@x.org` never scrubs `joann@x.org`.
Her name is scrubbed only from rows that are about her: as free text it could be anybody's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import Q

from subscribers import selectors
from subscribers.models import EmailEvent, QueuedEmail, Subscriber, SubscribeRequest, Suppression

ADDRESS_PLACEHOLDER = "[erased address]"
NAME_PLACEHOLDER = "[erased name]"


@dataclass(frozen=True)
class _Person:
    subscriber_id: int
    address: str
    name: str
    address_hash: str
    address_pattern: re.Pattern = field(repr=False)
    name_pattern: re.Pattern | None = field(repr=False)

    def scrub(self, text: str, *, with_name: bool = False) -> str:
        text = self.address_pattern.sub(ADDRESS_PLACEHOLDER, text)
        if with_name and self.name_pattern is not None:
            text = self.name_pattern.sub(NAME_PLACEHOLDER, text)
        return text

    def scrub_json(self, value, *, with_name: bool = False):
        if isinstance(value, str):
            return self.scrub(value, with_name=with_name)
        if isinstance(value, list):
            return [self.scrub_json(item, with_name=with_name) for item in value]
        if isinstance(value, dict):
            return {self.scrub(str(k), with_name=with_name): self.scrub_json(v, with_name=with_name) for k, v in value.items()}
        return value

    def mentioned_in(self, *texts: str) -> bool:
        return any(self.address_pattern.search(text or "") for text in texts)


def _person(subscriber: Subscriber) -> _Person:
    address = subscriber.email.strip()
    name = subscriber.name.strip()
    # A whole address: not preceded by a local-part character, not followed by more of a domain.
    address_pattern = re.compile(r"(?<![\w.!#$%&'*+/=?^`{|}~-])" + re.escape(address) + r"(?![\w-]|\.[\w-])", re.IGNORECASE)
    return _Person(
        subscriber_id=subscriber.pk,
        address=address,
        name=name,
        address_hash=subscriber.email_hash,
        address_pattern=address_pattern,
        name_pattern=re.compile(re.escape(name), re.IGNORECASE) if name else None,
    )


def erasure_scrub(*, subscriber: Subscriber) -> None:
    """Remove her address (and, where the row is about her, her name) from every store but her own rows.

    Call inside the erasure's transaction, with her row locked and not yet deleted.
    """
    person = _person(subscriber)
    delivery_ids, batch_ids, digest_ids = _her_sends(person)
    scrub_admin_log(person)
    scrub_audit_trail(person)
    scrub_provider_events(person, delivery_ids=delivery_ids)
    scrub_suppression_detail(person)
    scrub_outbox(person)
    scrub_queued_emails(person)
    scrub_subscribe_requests(person)
    scrub_send_errors(person, batch_ids=batch_ids, digest_ids=digest_ids)


def _her_sends(person: _Person) -> tuple[list[int], list[int], list[int]]:
    delivery_model = apps.get_model("worker", "Delivery")
    rows = list(delivery_model.objects.filter(subscriber_id=person.subscriber_id).values_list("id", "batch_id", "digest_id"))
    return (
        [row[0] for row in rows],
        sorted({row[1] for row in rows if row[1] is not None}),
        sorted({row[2] for row in rows}),
    )


def scrub_admin_log(person: _Person) -> None:
    """Django admin history (django_admin_log): object_repr of her is her address (Subscriber.__str__)."""
    from django.contrib.admin.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    subscriber_type = ContentType.objects.get_for_model(Subscriber)
    hers = LogEntry.objects.filter(content_type=subscriber_type, object_id=str(person.subscriber_id))
    hers.update(object_repr=f"subscriber #{person.subscriber_id} (erased)")
    # Her change messages and other objects' history naming her (any model whose str() shows an address).
    for entry in LogEntry.objects.filter(Q(object_repr__icontains=person.address) | Q(change_message__icontains=person.address)):
        if person.mentioned_in(entry.object_repr, entry.change_message):
            LogEntry.objects.filter(pk=entry.pk).update(
                object_repr=person.scrub(entry.object_repr)[:200], change_message=person.scrub(entry.change_message)
            )


def scrub_audit_trail(person: _Person) -> None:
    """The editorial audit trail names subscribers by id; a description or detail may still quote an address.

    Entries are never rewritten through save() (they are evidence); the erasure is the one writer that
    may blank personal data in them, so it updates the rows directly.
    """
    audit_model = apps.get_model("editorial", "AuditEntry")
    about_her = Q(target_type="subscribers.subscriber", target_id=str(person.subscriber_id))
    mentions = (
        Q(target_repr__icontains=person.address) | Q(description__icontains=person.address) | Q(extra__icontains=person.address)
    )
    for entry in audit_model.objects.filter(about_her | mentions):
        is_hers = entry.target_type == "subscribers.subscriber" and entry.target_id == str(person.subscriber_id)
        scrubbed = {
            "target_repr": person.scrub(entry.target_repr, with_name=is_hers)[:300],
            "description": person.scrub(entry.description, with_name=is_hers),
            "extra": person.scrub_json(entry.extra, with_name=is_hers),
        }
        if any(getattr(entry, key) != value for key, value in scrubbed.items()):
            audit_model.objects.filter(pk=entry.pk).update(**scrubbed)


def scrub_provider_events(person: _Person, *, delivery_ids: list[int]) -> None:
    """Provider events keep their type and time for the statistics; their text ("452 <addr>: mailbox full") is scrubbed."""
    hers = Q(recipient_hash=person.address_hash)
    if delivery_ids:
        hers |= Q(delivery_id__in=delivery_ids)
    for event in EmailEvent.objects.filter(hers).exclude(description=""):
        scrubbed = person.scrub(event.description, with_name=True)
        if scrubbed != event.description:
            EmailEvent.objects.filter(pk=event.pk).update(description=scrubbed)


def scrub_suppression_detail(person: _Person) -> None:
    """A suppression's detail quotes the provider event that caused it, which may name her address."""
    for suppression in selectors.suppressions(person.address_hash).exclude(detail=""):
        scrubbed = person.scrub(suppression.detail, with_name=True)
        if scrubbed != suppression.detail:
            Suppression.objects.filter(pk=suppression.pk).update(detail=scrubbed)


def scrub_outbox(person: _Person) -> None:
    """Messages the outbox backend stored to her, or naming her, are deleted: the outbox is a viewer, not a record."""
    message_model = apps.get_model("operations", "OutboxMessage")
    address = person.address
    candidates = message_model.objects.filter(
        Q(to__icontains=address) | Q(subject__icontains=address) | Q(text__icontains=address)
        | Q(html__icontains=address) | Q(raw__icontains=address)
    ).values_list("id", "to", "subject", "text", "html", "raw")
    doomed = [row[0] for row in candidates if person.mentioned_in(*row[1:])]
    if doomed:
        message_model.objects.filter(pk__in=doomed).delete()


def scrub_queued_emails(person: _Person) -> None:
    """Her confirmation and welcome emails not sent yet: nothing is sent to an erased person."""
    QueuedEmail.objects.filter(subscriber_id=person.subscriber_id).delete()


def scrub_subscribe_requests(person: _Person) -> None:
    """Subscribe requests not decided yet carry her address and name as typed: they are dropped with her."""
    from subscribers.emails import normalise_email

    candidates = SubscribeRequest.objects.filter(email__icontains=person.address).values_list("id", "email")
    doomed = [pk for pk, email in candidates if normalise_email(email) == person.address]
    if doomed:
        SubscribeRequest.objects.filter(pk__in=doomed).delete()


def scrub_send_errors(person: _Person, *, batch_ids: list[int], digest_ids: list[int]) -> None:
    """Provider error texts of the sends she was in (her own deliveries go with her row): a batch's error,
    copied onto the other deliveries of the batch, and the digest's status may quote her address."""
    delivery_model = apps.get_model("worker", "Delivery")
    batch_model = apps.get_model("worker", "Batch")
    send_model = apps.get_model("worker", "DigestSend")
    digest_model = apps.get_model("newsletter", "Digest")
    stores = (
        (delivery_model, Q(batch_id__in=batch_ids) & ~Q(subscriber_id=person.subscriber_id), "error"),
        (batch_model, Q(pk__in=batch_ids), "error"),
        (send_model, Q(digest_id__in=digest_ids), "last_error"),
        (digest_model, Q(pk__in=digest_ids), "status_detail"),
    )
    if not (batch_ids or digest_ids):
        return
    for model, scope, field_name in stores:
        rows = model.objects.filter(scope, **{f"{field_name}__icontains": person.address}).values_list("pk", field_name)
        for pk, text in rows:
            scrubbed = person.scrub(text)
            if scrubbed != text:
                model.objects.filter(pk=pk).update(**{field_name: scrubbed})
