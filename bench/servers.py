"""Local provider endpoints the sends go to: Mailgun's HTTP API and an SMTP server, both on loopback.

The Mailgun side reuses the test suite's fake (tests/support/fake_mailgun.py: same authentication,
path and answer as Mailgun) but only counts what it receives: expanding and keeping a million
personalised copies would measure the fake, not us, on this 2-core machine.
"""

from __future__ import annotations

import codecs
import json
import socket
import threading
import time
from email.utils import parseaddr

from aiosmtpd.controller import Controller

from tests.support.fake_mailgun import FakeMailgun, _parse_form


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class CountingMailgun(FakeMailgun):
    """FakeMailgun that checks each call's recipients and merge variables, and counts them."""

    def __post_init__(self):
        super().__post_init__()
        self.recipients = 0
        self.unmerged = 0  # recipients without their own merge variables: would get a broken message

    def _handle(self, path, headers, body):
        number = self._call_counted()
        refusal = self._refusal(path, headers)
        if refusal is not None:
            return refusal
        to, variables = _recipients(headers.get("Content-Type", ""), body)
        with self._lock:
            self.accepted_calls += 1
            self.recipients += len(to)
            self.unmerged += sum(1 for address in to if address not in variables)
        return 200, {}, {"id": f"<{number}.{time.time_ns()}@{self.domain}>", "message": "Queued. Thank you."}


def _form_unquote(value: bytes) -> bytes:
    """Decode one form-urlencoded value at C speed: such a value holds no backslash (it would be %5C),
    so every %XX can become \\xXX and be decoded by the codec machinery in one call."""
    return codecs.escape_decode(value.replace(b"+", b" ").replace(b"%", b"\\x"))[0]


def _address(value: str) -> str:
    start = value.rfind("<")
    return value[start + 1 : value.rfind(">")] if start >= 0 else value.strip()


def _recipients(content_type: str, body: bytes) -> tuple[list[str], dict]:
    """The `to` addresses and the decoded `recipient-variables` of one call.

    anymail posts Mailgun calls without attachments form-urlencoded: the body is split on '&' and only
    the two fields that matter are decoded (the bodies and headers, most of the bytes, are left alone),
    so this server costs little CPU beside the worker it serves. Multipart goes through the tests' parser.
    """
    if content_type.startswith("multipart/form-data"):
        fields = _parse_form(content_type, body)
        to = [parseaddr(value)[1] for name, value in fields if name == "to"]
        return to, json.loads(next((value for name, value in fields if name == "recipient-variables"), "{}"))
    to, variables = [], {}
    for field in body.split(b"&"):
        if field.startswith(b"to="):
            to.append(_address(_form_unquote(field[3:]).decode()))
        elif field.startswith(b"recipient-variables="):
            variables = json.loads(_form_unquote(field[len(b"recipient-variables="):]))
    return to, variables


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

    def __init__(self, port: int = 0):
        self.handler = _CountingHandler()
        # aiosmtpd's controller checks it is up by connecting to the given port, so 0 cannot be passed on.
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=port or free_port(), data_size_limit=0)

    def __enter__(self) -> SmtpSink:
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()

    @property
    def port(self) -> int:
        return self.controller.port
