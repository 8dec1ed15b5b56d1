"""A digest's life cycle: every step between its statuses, and the one function that takes a step.

A step is one conditional UPDATE (the digest must be in one of the step's source statuses, so two
processes never take conflicting steps; the loser learns it from the row count) and, for a step a
person or a command takes, its audit entry in the same transaction. Every entry point (admin,
dashboard, commands, beat, workers) goes through `digest_step`. The table, with who takes each step
and the test that proves it: docs/digest-states.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Case, Q, Value, When
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from editorial.models import AuditEntry
from editorial.services import audit_command, audit_record
from newsletter.models import Digest

S = Digest.Status


@dataclass(frozen=True)
class Step:
    name: str
    # source status -> the statuses it may go to (more than one only where the caller decides, e.g. finish)
    moves: dict[str, tuple[str, ...]]
    # What an editor reads when the step does not apply: "it can be <verb> only when it is ...".
    verb: str | Promise
    audit: str | None = None
    starts: bool = False
    finishes: bool = False
    reopens: bool = False

    @property
    def sources(self) -> frozenset[str]:
        return frozenset(self.moves)


def _from(sources: tuple[str, ...], *targets: str) -> dict[str, tuple[str, ...]]:
    return {source: targets for source in sources}


_BEFORE_SENDING = (S.SCHEDULED, S.NEEDS_CONFIRMATION)
_NOT_FINISHED = (S.DRAFT, S.SCHEDULED, S.NEEDS_CONFIRMATION, S.PREPARING, S.SENDING, S.PAUSED)
_FINISHED_WITH_DELIVERIES = (S.SENT, S.FAILED)

STEPS: dict[str, Step] = {step.name: step for step in (
    Step("schedule", _from((S.DRAFT,), S.SCHEDULED), _("scheduled"), audit=AuditEntry.Action.DIGEST_SCHEDULED),
    Step("send_now", _from((S.DRAFT, *_BEFORE_SENDING), S.SCHEDULED), _("sent now"), audit=AuditEntry.Action.DIGEST_SENT_NOW),
    Step("reschedule", _from(_BEFORE_SENDING, S.SCHEDULED), _("rescheduled"), audit=AuditEntry.Action.DIGEST_RESCHEDULED),
    Step("unschedule", _from(_BEFORE_SENDING, S.DRAFT), _("unscheduled"), audit=AuditEntry.Action.DIGEST_UNSCHEDULED),
    Step("go_stale", _from((S.SCHEDULED,), S.NEEDS_CONFIRMATION), _("held for confirmation")),
    Step("claim", _from((S.SCHEDULED,), S.PREPARING), _("claimed"), starts=True),
    Step("planned", _from((S.PREPARING,), S.SENDING), _("planned")),
    Step("prepare_failed", _from((S.PREPARING,), S.FAILED), pgettext_lazy("life-cycle step", "failed"), finishes=True),
    Step("pause", _from((S.SENDING,), S.PAUSED), _("paused"), audit=AuditEntry.Action.DIGEST_PAUSED),
    Step("resume", _from((S.PAUSED,), S.SENDING), _("resumed"), audit=AuditEntry.Action.DIGEST_RESUMED),
    Step("cancel", _from(_NOT_FINISHED, S.CANCELLED), _("cancelled"), audit=AuditEntry.Action.DIGEST_CANCELLED, finishes=True),
    Step("finish", _from((S.SENDING,), S.SENT, S.FAILED), _("finished"), finishes=True),
    # Outcomes that arrive after the finish (a batch called uncertain answers after all) correct the account.
    Step("recount", _from(_FINISHED_WITH_DELIVERIES, S.SENT, S.FAILED), _("recounted")),
    # An editor's explicit resend of uncertain recipients: a finished send sends again; a running one goes on.
    Step("resend_uncertain", {S.SENT: (S.SENDING,), S.FAILED: (S.SENDING,), S.SENDING: (S.SENDING,), S.PAUSED: (S.PAUSED,)},
         _("resent"), audit=AuditEntry.Action.DIGEST_RESENT_UNCERTAIN, reopens=True),
)}


@dataclass(frozen=True)
class Actor:
    """Who takes a step: a signed-in person (`user_id`), a management command, or the system (neither)."""

    user_id: int | None = None
    command: str = ""
    # Where the person acted, for the audit trail: "the dashboard", "the Sends admin".
    where: str = ""


SYSTEM = Actor()


def digest_is_editable(status: str) -> bool:
    """Only a draft's content (items, subject, intro) may change: from scheduled on, variants are what is sent."""
    return status == S.DRAFT


def step_allowed(status: str, step: str) -> bool:
    """Whether a digest in `status` may take `step` now (what buttons and pre-checks ask)."""
    return status in STEPS[step].sources


def step_refusal(digest: Digest, step: str) -> str:
    """The sentence an editor reads when `step` does not apply to the digest as it is now."""
    allowed = [gettext("a draft") if source == S.DRAFT else str(S(source).label).lower() for source in STEPS[step].moves]
    return gettext("This digest is %(status)s; it can be %(verb)s only when it is %(allowed)s.") % {
        "status": digest.get_status_display().lower(), "verb": STEPS[step].verb, "allowed": _or(allowed)}


def _or(words: list[str]) -> str:
    if len(words) == 1:
        return words[0]
    return gettext("%(some)s or %(last)s") % {"some": ", ".join(words[:-1]), "last": words[-1]}


def digest_step(
    *,
    digest_id: int,
    step: str,
    actor: Actor = SYSTEM,
    to: str | None = None,
    detail: str | None = None,
    fields: dict | None = None,
    only_if: Q | None = None,
    description: str = "",
    extra: dict | None = None,
    now: datetime | None = None,
) -> bool:
    """Take `step` if the digest is in one of its source statuses (and matches `only_if`); returns whether it did.

    `to` picks the target where a step has several (finish: sent or failed); `detail` replaces
    status_detail; `fields` sets other columns in the same UPDATE (send_at, scheduled_by). A step with an
    audit action writes its entry for `actor` in the same transaction, so the trail never names a step
    that did not happen.
    """
    definition = STEPS[step]
    moves = {source: _target(definition, targets, to) for source, targets in definition.moves.items()}
    moves = {source: target for source, target in moves.items() if target is not None}
    now = now or timezone.now()
    values: dict = {"status": _status_expression(moves), "updated_at": now, **(fields or {})}
    if definition.starts:
        values["started_at"] = now
    if definition.finishes:
        values["finished_at"] = now
    if definition.reopens:
        values["finished_at"] = Case(When(status__in=[S.SENT, S.FAILED], then=Value(None)), default="finished_at")
    if detail is not None:
        values["status_detail"] = detail
    with transaction.atomic():
        taken = Digest.objects.filter(pk=digest_id, status__in=list(moves)).filter(only_if or Q()).update(**values)
        if taken and definition.audit:
            _audit(digest_id, definition.audit, actor, description, extra or {})
    return bool(taken)


def digest_step_or_refuse(*, error: type[Exception], digest_id: int, step: str, **changes) -> None:
    """digest_step for a person's request: when the step does not apply, nothing changes and `error` carries
    the sentence she reads."""
    if not digest_step(digest_id=digest_id, step=step, **changes):
        digest = Digest.objects.filter(pk=digest_id).first()
        raise error(step_refusal(digest, step) if digest else gettext("There is no digest with id %(id)s.") % {"id": digest_id})


def _target(definition: Step, targets: tuple[str, ...], to: str | None) -> str | None:
    if to is None:
        if len(targets) != 1:
            raise ValueError(f"step {definition.name!r} needs to= (one of {targets})")
        return targets[0]
    if to not in {target for choices in definition.moves.values() for target in choices}:
        raise ValueError(f"step {definition.name!r} cannot go to '{to}'")
    return to if to in targets else None


def _status_expression(moves: dict[str, str]):
    targets = set(moves.values())
    if len(targets) == 1:
        return Value(targets.pop())
    return Case(*(When(status=source, then=Value(target)) for source, target in moves.items()), default="status")


def _audit(digest_id: int, action: str, actor: Actor, description: str, extra: dict) -> None:
    digest = Digest.objects.get(pk=digest_id)
    where = f"From {actor.where}." if actor.where else ""
    text = " ".join(part for part in (description, where) if part)
    if actor.command:
        audit_command(command=actor.command, action=action, target=digest, description=text, extra=extra)
    else:
        audit_record(actor_id=actor.user_id, action=action, target=digest, description=text, extra=extra)
