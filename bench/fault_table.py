"""The arithmetic and the table of `make faults` (pure: no database, no processes; tests/bench/test_faults.py).

For one send: every address of the audience either received the digest once, more than once (a duplicate),
or not at all; one who received nothing must be accounted for by the digest as failed, skipped or uncertain,
otherwise she is missing (silently lost, or marked sent though the provider never had her message).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

# Delivery statuses that account for a recipient the provider never received.
ACCOUNTED = frozenset({"failed", "skipped", "uncertain"})
ACCOUNT_COLUMNS = ("sent", "failed", "uncertain", "skipped")
SECTION_START = "<!-- faults: latest run, rewritten by `make faults` -->"
SECTION_END = "<!-- /faults: latest run -->"


@dataclass(frozen=True)
class Tally:
    recipients: int
    sent_once: int
    duplicates: int  # recipients the provider received more than once
    missing: int  # neither received nor accounted as failed, skipped or uncertain


def tally(audience: Iterable[str], received: Mapping[str, int], statuses: Mapping[str, str]) -> Tally:
    """`received`: how many times the provider got each address; `statuses`: the delivery status of each address."""
    recipients = sent_once = duplicates = missing = 0
    for address in audience:
        recipients += 1
        times = received.get(address, 0)
        if times == 1:
            sent_once += 1
        elif times > 1:
            duplicates += 1
        elif statuses.get(address) not in ACCOUNTED:
            missing += 1
    return Tally(recipients=recipients, sent_once=sent_once, duplicates=duplicates, missing=missing)


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (share 0.5 = p50); math.inf in `values` stands for "never arrived"."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[rank - 1]


def seconds_text(value: float) -> str:
    if math.isnan(value):
        return "-"
    return "never" if math.isinf(value) else f"{value:.1f} s"


@dataclass
class ScenarioRow:
    key: str
    title: str
    tally: Tally | None = None
    account: dict[str, int] = field(default_factory=dict)
    finished: bool = False
    send_seconds: float | None = None  # "send now" -> the digest's end
    recovery_seconds: float | None = None  # the fault's end -> the digest's end (None: no fault)
    notes: list[str] = field(default_factory=list)

    def cells(self) -> list[str]:
        tally = self.tally
        account = "/".join(str(self.account.get(key, 0)) for key in ACCOUNT_COLUMNS) if self.account else "-"
        if self.account.get("pending"):
            account += f" (+{self.account['pending']} pending)"
        if not self.finished:
            send = recovery = "did not finish"
        else:
            send = f"{self.send_seconds:.0f}" if self.send_seconds is not None else "-"
            if self.recovery_seconds is None:
                recovery = "-"
            elif self.recovery_seconds < 0:
                recovery = "ended during the fault"
            else:
                recovery = f"{self.recovery_seconds:.0f}"
        return [
            f"({self.key}) {self.title}",
            f"{tally.recipients:,}" if tally else "-",
            f"{tally.sent_once:,}" if tally else "-",
            f"{tally.duplicates:,}" if tally else "-",
            f"{tally.missing:,}" if tally else "-",
            account,
            send,
            recovery,
            "; ".join(self.notes),
        ]


HEADER = ["scenario", "recipients", "sent once", "duplicates", "missing", "account sent/failed/uncertain/skipped",
          "send s", "fault end -> digest end s", "notes"]


def markdown_table(rows: Iterable[ScenarioRow]) -> str:
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    for row in rows:
        lines.append("| " + " | ".join(cell.replace("|", "/") for cell in row.cells()) + " |")
    return "\n".join(lines)


def results_with_section(existing: str, section: str) -> str:
    """`existing` (the results file) with its latest-run section replaced by `section`; the hand-kept text around
    it (the before/after record) is left as it is. A file without the markers gets the section at its end."""
    block = f"{SECTION_START}\n{section.rstrip()}\n{SECTION_END}"
    start, end = existing.find(SECTION_START), existing.find(SECTION_END)
    if start >= 0 and end > start:
        return existing[:start] + block + existing[end + len(SECTION_END):]
    prefix = existing.rstrip() + "\n\n" if existing.strip() else "# Fault scenarios (`make faults`)\n\n"
    return prefix + block + "\n"
