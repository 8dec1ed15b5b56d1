"""Bounce classes: what a provider's failure event says about the reader's mailbox, or about us.

One table (`RULES`, mirrored in docs/bounces.md), read top to bottom, first match wins. Only a mailbox that
refused the message costs the reader her place; a policy, reputation or authentication block is a statement
about the sender (RFC 3463 X.7.x, provider "espblock", DMARC/SPF/DKIM text) and is counted against the digest,
never against her. Enhanced status codes come before free text because the text of a 5.1.1 may still say
"policy"; unknown permanent failures are soft (counted, an expiring suppression at most), never a guess that
drops her for ever.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from anymail.signals import AnymailTrackingEvent
from django.utils.translation import gettext_lazy


class BounceClass:
    HARD = "hard"  # the mailbox does not exist or is disabled: suppressed, lifted by her confirmed re-subscription
    SOFT = "soft"  # temporary: counted; repeated soft bounces suppress with an expiry
    BLOCK = "block"  # policy, reputation, authentication: our problem, never suppresses her
    REJECTED = "rejected"  # the provider refused to try (invalid address, on its own bounce list): suppressed for ever
    COMPLAINT = "complaint"  # she reported it as spam: suppressed for ever


# Each class as an editor reads it in a digest's results.
BOUNCE_LABELS = {
    BounceClass.HARD: gettext_lazy("Mailbox does not exist (address removed)"),
    BounceClass.SOFT: gettext_lazy("Temporary failure (full mailbox, server down)"),
    BounceClass.BLOCK: gettext_lazy("Blocked by the receiving server (about us, not the reader)"),
    BounceClass.REJECTED: gettext_lazy("Refused by the provider (invalid or known bad address)"),
    BounceClass.COMPLAINT: gettext_lazy("Marked as spam"),
}


@dataclass(frozen=True)
class Rule:
    bounce_class: str
    event_types: frozenset[str]  # anymail's normalised event_type
    provider_reasons: frozenset[str] = frozenset()  # the provider's own word (Mailgun `reason`, SendGrid `type`)
    reject_reasons: frozenset[str] = frozenset()  # anymail's normalised reject_reason
    codes: tuple[str, ...] = ()  # RFC 3463 enhanced code prefixes; "4." is every temporary code
    text: re.Pattern | None = None  # the SMTP answer or the provider's description, when it has no enhanced code
    any_of_these_events: bool = False  # the event type alone is enough

    def matches(self, facts: Facts) -> bool:
        if facts.event_type not in self.event_types:
            return False
        return (
            self.any_of_these_events
            or bool(facts.provider_reason and facts.provider_reason in self.provider_reasons)
            or bool(facts.reject_reason and facts.reject_reason in self.reject_reasons)
            or any(facts.code == code or (code.endswith(".") and facts.code.startswith(code)) for code in self.codes)
            or bool(self.text and not facts.code and self.text.search(facts.text))
        )


_FAILURES = frozenset({"bounced", "deferred", "rejected"})
_DELIVERY_TRIED = frozenset({"bounced", "deferred"})

_POLICY_TEXT = re.compile(
    r"dmarc|\bspf\b|dkim|spam|unsolicited|block|blacklist|denylist|reputation|policy|authenticat|not authori[sz]ed",
    re.IGNORECASE,
)
_MAILBOX_GONE_TEXT = re.compile(
    r"user unknown|unknown user|no such (user|mailbox|recipient|domain|host)|does not exist|doesn't exist|"
    r"mailbox (unavailable|not found|disabled)|account (disabled|has been disabled|inactive)|"
    r"invalid recipient|recipient address rejected|domain not found|host not found|nxdomain|null mx",
    re.IGNORECASE,
)

RULES: tuple[Rule, ...] = (
    Rule(BounceClass.COMPLAINT, frozenset({"complained"}), any_of_these_events=True),
    Rule(BounceClass.BLOCK, _FAILURES, provider_reasons=frozenset({"espblock", "blocked"}),
         reject_reasons=frozenset({"blocked", "spam"})),
    Rule(BounceClass.HARD, _DELIVERY_TRIED, provider_reasons=frozenset({"suppress-bounce"})),
    Rule(BounceClass.REJECTED, frozenset({"rejected"}), reject_reasons=frozenset({"invalid", "bounced"})),
    Rule(BounceClass.BLOCK, _FAILURES, codes=("5.7.", "4.7.", "5.1.7", "5.1.8")),
    Rule(BounceClass.HARD, _DELIVERY_TRIED, codes=("5.1.0", "5.1.1", "5.1.2", "5.1.3", "5.1.6", "5.1.10", "5.2.1")),
    Rule(BounceClass.SOFT, _DELIVERY_TRIED, codes=("4.", "5.")),
    Rule(BounceClass.SOFT, _DELIVERY_TRIED, provider_reasons=frozenset({"old"}), reject_reasons=frozenset({"timed_out"})),
    Rule(BounceClass.SOFT, frozenset({"deferred"}), any_of_these_events=True),
    Rule(BounceClass.BLOCK, _FAILURES, text=_POLICY_TEXT),
    Rule(BounceClass.HARD, frozenset({"bounced"}), text=_MAILBOX_GONE_TEXT),
    Rule(BounceClass.SOFT, frozenset({"bounced"}), any_of_these_events=True),
)


@dataclass(frozen=True)
class Facts:
    """What an event says, from anymail's normalised fields and the provider's raw payload."""

    event_type: str
    reject_reason: str = ""
    provider_reason: str = ""
    code: str = ""  # the RFC 3463 enhanced status code, e.g. "5.1.1", or ""
    text: str = ""


_ENHANCED = re.compile(r"(?<![\d.])([245]\.\d{1,3}\.\d{1,3})(?![\d.])")


def facts_from(event: AnymailTrackingEvent) -> Facts:
    raw = event.esp_event if isinstance(event.esp_event, dict) else {}
    if isinstance(raw.get("event-data"), dict):  # Mailgun's signed envelope around the event
        raw = raw["event-data"]
    # Mailgun's `reason` is one word (bounce, espblock, old); SendGrid's is the MTA's sentence and its word is `type`.
    reason, kind = raw.get("reason"), raw.get("type")
    provider_reason = reason if isinstance(reason, str) and " " not in reason else kind if isinstance(kind, str) else ""
    status = raw.get("delivery-status") if isinstance(raw.get("delivery-status"), dict) else {}
    text = " ".join(str(part) for part in (event.mta_response, event.description) if part)
    code = str(status.get("enhanced-code") or "")
    found = _ENHANCED.search(code) or _ENHANCED.search(text)
    if not found and isinstance(raw.get("status"), str):  # SendGrid's "status": "5.1.1"
        found = _ENHANCED.search(raw["status"])
    return Facts(
        event_type=str(event.event_type or ""),
        reject_reason=str(event.reject_reason or ""),
        provider_reason=provider_reason.lower(),
        code=found.group(1) if found else "",
        text=text,
    )


def bounce_class(facts: Facts) -> str:
    """The class of this event ("" for events that are no failure: delivered, opened, ...)."""
    for rule in RULES:
        if rule.matches(facts):
            return rule.bounce_class
    return ""
