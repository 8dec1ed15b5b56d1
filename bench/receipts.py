"""The fault run's provider: the test suite's Mailgun-shaped server, keeping who received what and when.

Every accepted call is kept as a receipt (arrival time, the digest it belongs to, its recipients): the run
counts duplicates per address and times the confirmation emails that share the provider with the digest.
A digest's calls carry its id as Mailgun custom data (`v:digest_id`, worker.messages); confirmation emails
carry none. The server can also answer 500 to every call for a while (a provider outage).
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass
from email.utils import parseaddr

from tests.support.fake_mailgun import FakeMailgun, _parse_form


@dataclass(frozen=True)
class Receipt:
    at: float  # time.time() when the call arrived
    digest_id: int | None
    addresses: tuple[str, ...]


class ReceiptsMailgun(FakeMailgun):
    def __post_init__(self):
        super().__post_init__()
        self.receipts: list[Receipt] = []
        self.refuse_until = 0.0  # time.time() before which every call is answered 500
        self.refused_calls = 0

    def refuse_for(self, seconds: float) -> float:
        """Answer 500 to every call for `seconds` from now; returns when the outage ends (time.time())."""
        self.refuse_until = time.time() + seconds
        return self.refuse_until

    def _handle(self, path, headers, body):
        arrived = time.time()
        number = self._call_counted()
        refusal = self._refusal(path, headers)
        if refusal is not None:
            return refusal
        if arrived < self.refuse_until:
            with self._lock:
                self.refused_calls += 1
            return 500, {}, {"message": "Internal Server Error"}
        fields = _parse_form(headers.get("Content-Type", ""), body)
        addresses = tuple(parseaddr(value)[1].lower() for name, value in fields if name == "to")
        digest = next((value for name, value in fields if name == "v:digest_id"), "")
        receipt = Receipt(at=arrived, digest_id=int(digest) if str(digest).strip().isdigit() else None, addresses=addresses)
        with self._lock:
            self.accepted_calls += 1
            self.receipts.append(receipt)
        return 200, {}, {"id": f"<{number}.{time.time_ns()}@{self.domain}>", "message": "Queued. Thank you."}

    def digest_counts(self, digest_id: int) -> Counter[str]:
        """How many times each address received this digest."""
        with self._lock:
            receipts = [r for r in self.receipts if r.digest_id == digest_id]
        return Counter(address for receipt in receipts for address in receipt.addresses)

    def digest_received(self, digest_id: int) -> int:
        with self._lock:
            return sum(len(r.addresses) for r in self.receipts if r.digest_id == digest_id)

    def first_arrivals(self, addresses: set[str]) -> dict[str, float]:
        """When each of `addresses` first received anything that was not a digest (a confirmation email)."""
        with self._lock:
            receipts = [r for r in self.receipts if r.digest_id is None]
        first: dict[str, float] = {}
        for receipt in receipts:
            for address in receipt.addresses:
                if address in addresses and address not in first:
                    first[address] = receipt.at
        return first
