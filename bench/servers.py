"""Local provider endpoints the sends go to: Mailgun's HTTP API and an SMTP server, both on loopback.

The Mailgun side reuses the test suite's fake (tests/support/fake_mailgun.py: same authentication,
path and answer as Mailgun) but only counts what it receives: expanding and keeping a million
personalised copies would measure the fake, not us, on this 2-core machine.
"""

from __future__ import annotations

import json
import threading
import time
from email.utils import parseaddr

from aiosmtpd.controller import Controller

from tests.support.fake_mailgun import FakeMailgun, _parse_form


class CountingMailgun(FakeMailgun):
    """FakeMailgun that checks each call's recipients and merge variables, and counts them."""

    def __post_init__(self):
        super().__post_init__()
        self.recipients = 0
        self.unmerged = 0  # recipients without their own merge variables: would get a broken message

    def _handle(self, path, headers, body):
        import base64
        import re

        with self._lock:
            self.calls += 1
            number = self.calls
        expected = "Basic " + base64.b64encode(f"api:{self.api_key}".encode()).decode()
        if headers.get("Authorization") != expected:
            with self._lock:
                self.unauthorised += 1
            return 401, {}, {"message": "Invalid private key"}
        if not re.fullmatch(rf"/v3/{re.escape(self.domain)}/messages", path):
            return 404, {}, {"message": "Domain not found"}
        fields = _parse_form(headers.get("Content-Type", ""), body)
        to = [parseaddr(value)[1] for name, value in fields if name == "to"]
        variables = json.loads(next((value for name, value in fields if name == "recipient-variables"), "{}"))
        with self._lock:
            self.accepted_calls += 1
            self.recipients += len(to)
            self.unmerged += sum(1 for address in to if address not in variables)
        return 200, {}, {"id": f"<{number}.{time.time_ns()}@{self.domain}>", "message": "Queued. Thank you."}


class _CountingHandler:
    def __init__(self):
        self.lock = threading.Lock()
        self.messages = 0
        self.recipients = 0
        self.connections = 0

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        with self.lock:
            self.connections += 1
        session.host_name = hostname
        return responses

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.messages += 1
            self.recipients += len(envelope.rcpt_tos)
        return "250 Message accepted for delivery"


class SmtpSink:
    """aiosmtpd on 127.0.0.1 that accepts and counts every message."""

    def __init__(self, port: int):
        self.handler = _CountingHandler()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=port, data_size_limit=0)

    def __enter__(self) -> SmtpSink:
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()

    @property
    def port(self) -> int:
        return self.controller.port
