"""Finding which key the stored address hashes were made with, and re-keying them when that can be done exactly.

Suppressions, erasures and provider events keep only subscribers.emails.email_hash of an address. If the key
behind it changed, nothing would match any more and suppressed or erased people could be mailed again, so a
change is never silent: subscribers.checks compares a sample at every migrate, and `manage.py
rekey_address_hashes` reports and re-keys (docs/decisions/0002-address-hash-key.md). Key values are never
printed, only their setting names.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connections, transaction

from subscribers.emails import email_hash, email_hash_with
from subscribers.models import EmailEvent, Subscriber, Suppression

log = logging.getLogger(__name__)

# Subscribers compared by the start-up check: the oldest rows keep the oldest hashes, the newest the latest key.
SAMPLE_EACH_END = 25
_BATCH = 1000
UNKNOWN_KEY = "an unknown key"


class RekeyRefused(Exception):
    """Re-keying would lose a suppression or has nothing sound to work from; nothing was written."""


def old_keys() -> list[tuple[str, str]]:
    """(setting name, value) of the keys stored hashes may have been made with before ADDRESS_HASH_KEY existed."""
    keys = [("SECRET_KEY", settings.SECRET_KEY)]
    keys += [(f"SECRET_KEY_FALLBACKS[{n}]", key) for n, key in enumerate(settings.SECRET_KEY_FALLBACKS)]
    return [(name, key) for name, key in keys if key != settings.ADDRESS_HASH_KEY]


def _key_name(address: str, stored: str, candidates: list[tuple[str, str]]) -> str:
    if stored == email_hash(address):
        return "ADDRESS_HASH_KEY"
    return next((name for name, key in candidates if email_hash_with(address, key=key) == stored), UNKNOWN_KEY)


@dataclass(frozen=True)
class SampleCheck:
    checked: int
    mismatched: int
    keys: dict[str, int]  # setting name -> how many of the mismatched hashes it made

    def message(self) -> str:
        found = ", ".join(f"{count} with {name}" for name, count in sorted(self.keys.items()))
        return (f"{self.mismatched} of {self.checked} sampled subscriber address hashes were not made with"
                f" ADDRESS_HASH_KEY ({found})")


def sample_check(*, using: str = "default") -> SampleCheck | None:
    """Compare the stored hash of the oldest and newest subscribers with email_hash under today's key.

    Returns None when the subscribers table does not exist yet (a migrate before the first one)."""
    if Subscriber._meta.db_table not in connections[using].introspection.table_names():
        return None
    rows = Subscriber.objects.using(using).order_by()
    sample = dict(rows.order_by("pk").values_list("email", "email_hash")[:SAMPLE_EACH_END])
    sample.update(rows.order_by("-pk").values_list("email", "email_hash")[:SAMPLE_EACH_END])
    candidates = old_keys()
    keys = Counter(_key_name(address, stored, candidates) for address, stored in sample.items())
    keys.pop("ADDRESS_HASH_KEY", None)
    return SampleCheck(checked=len(sample), mismatched=sum(keys.values()), keys=dict(keys))


def stored_keys() -> tuple[int, Counter]:
    """How many subscribers there are, and how many of their stored hashes each key made (by setting name)."""
    candidates = old_keys()
    keys: Counter = Counter()
    total = 0
    for address, stored in Subscriber.objects.order_by("pk").values_list("email", "email_hash").iterator(chunk_size=_BATCH):
        total += 1
        keys[_key_name(address, stored, candidates)] += 1
    return total, keys


@dataclass
class RekeyPlan:
    """What a re-key changes. `*_unmatched` rows hold a hash of no stored address under any known key."""

    subscribers_total: int = 0
    subscriber_keys: Counter = field(default_factory=Counter)  # setting name -> subscribers whose hash it made
    subscribers: list[Subscriber] = field(default_factory=list)  # with the new email_hash set, not yet saved
    suppressions: dict[int, str] = field(default_factory=dict)  # suppression id -> new hash
    suppressions_merged: list[int] = field(default_factory=list)  # old-key rows whose address has one already
    suppressions_unmatched: Counter = field(default_factory=Counter)  # reason -> count
    events: dict[str, str] = field(default_factory=dict)  # old recipient_hash -> new
    events_unmatched: int = 0

    def lines(self) -> list[str]:
        keys = ", ".join(f"{n} with {name}" for name, n in sorted(self.subscriber_keys.items())) or "none"
        lines = [
            f"subscribers: {self.subscribers_total} (hashes made {keys}); {len(self.subscribers)} to re-key from their address",
            f"suppressions: {len(self.suppressions)} to re-key,"
            f" {len(self.suppressions_merged)} duplicates of one already re-keyed to drop",
            f"provider events: {len(self.events)} recipient hashes to re-key",
        ]
        if self.suppressions_unmatched:
            reasons = ", ".join(f"{n} {reason}" for reason, n in sorted(self.suppressions_unmatched.items()))
            lines.append(
                f"suppressions that match no stored address under any known key: {sum(self.suppressions_unmatched.values())}"
                f" ({reasons}). They belong to erased people or to addresses suppressed before they subscribed; if"
                " they were made with an old key, re-keying cannot carry them over and those people would no"
                " longer be blocked."
            )
        if self.events_unmatched:
            lines.append(f"provider events that match no stored address: {self.events_unmatched}"
                         " (left as they are; statistics only)")
        return lines


def rekey_plan() -> RekeyPlan:
    """Work out, from the stored addresses, how every hash made with SECRET_KEY or a fallback maps to ADDRESS_HASH_KEY."""
    if not settings.ADDRESS_HASH_KEY_IS_SET:
        raise RekeyRefused(
            "ADDRESS_HASH_KEY is not set, so there is no new key to re-key to. Set it first (the simplest safe"
            " value is the one SECRET_KEY has now: then nothing needs re-keying)."
        )
    candidates = old_keys()
    plan = RekeyPlan()
    new_of: dict[str, str] = {}  # any old hash of a stored address -> its hash under ADDRESS_HASH_KEY
    current: set[str] = set()
    for subscriber in Subscriber.objects.order_by("pk").only("pk", "email", "email_hash").iterator(chunk_size=_BATCH):
        new = email_hash(subscriber.email)
        current.add(new)
        plan.subscribers_total += 1
        plan.subscriber_keys[_key_name(subscriber.email, subscriber.email_hash, candidates)] += 1
        for _, key in candidates:
            new_of[email_hash_with(subscriber.email, key=key)] = new
        if subscriber.email_hash != new:
            new_of[subscriber.email_hash] = new
            subscriber.email_hash = new
            plan.subscribers.append(subscriber)
    kept = set(Suppression.objects.filter(email_hash__in=current).values_list("email_hash", flat=True))
    for pk, stored, reason in Suppression.objects.order_by("pk").values_list("pk", "email_hash", "reason").iterator():
        if stored in current:
            continue
        new = new_of.get(stored)
        if new is None:
            plan.suppressions_unmatched[reason] += 1
        elif new in kept:
            plan.suppressions_merged.append(pk)
        else:
            kept.add(new)
            plan.suppressions[pk] = new
    for (stored,) in EmailEvent.objects.exclude(recipient_hash="").order_by().values_list("recipient_hash").distinct():
        if stored in current:
            continue
        if stored in new_of:
            plan.events[stored] = new_of[stored]
        else:
            plan.events_unmatched += EmailEvent.objects.filter(recipient_hash=stored).count()
    return plan


def rekey_apply(plan: RekeyPlan, *, leave_unmatched: bool) -> None:
    """Write the plan in one transaction. Refuses, writing nothing, while suppressions would be left behind,
    unless the operator said so explicitly."""
    if plan.suppressions_unmatched and not leave_unmatched:
        raise RekeyRefused(
            f"{sum(plan.suppressions_unmatched.values())} suppressions match no stored address and cannot be re-keyed;"
            " nothing was changed. Keep the key they were made with instead: set ADDRESS_HASH_KEY to the value"
            " SECRET_KEY had when they were made. Only if you accept that those people are no longer blocked,"
            " run again with --leave-unmatched."
        )
    with transaction.atomic():
        Subscriber.objects.bulk_update(plan.subscribers, ["email_hash"], batch_size=_BATCH)
        Suppression.objects.filter(pk__in=plan.suppressions_merged).delete()
        for pk, new in plan.suppressions.items():
            Suppression.objects.filter(pk=pk).update(email_hash=new)
        for old, new in plan.events.items():
            EmailEvent.objects.filter(recipient_hash=old).update(recipient_hash=new)
    log.info("event=address_hashes_rekeyed", extra={
        "subscribers": len(plan.subscribers), "suppressions": len(plan.suppressions),
        "merged": len(plan.suppressions_merged), "events": len(plan.events),
        "unmatched_suppressions": sum(plan.suppressions_unmatched.values()),
    })
