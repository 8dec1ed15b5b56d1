"""A local SMTP server (aiosmtpd) that records every message it accepts, parsed.

`refuse` names addresses the server answers `550` at RCPT time (a permanent per-recipient rejection).
"""

from __future__ import annotations

import logging
import socket
import threading
from dataclasses import dataclass, field
from email import message_from_bytes
from email.policy import default as default_policy

from aiosmtpd.controller import Controller


@dataclass
class SmtpMessage:
    mail_from: str
    rcpt_tos: list[str]
    headers: dict[str, str]
    text: str
    html: str


@dataclass
class SmtpSink:
    refuse: set[str] = field(default_factory=set)
    messages: list[SmtpMessage] = field(default_factory=list)
    sessions: int = 0  # EHLO/HELO greetings: one per SMTP connection

    def __post_init__(self):
        self._lock = threading.Lock()
        self._controller: Controller | None = None
        self.port = _free_port()

    def env(self) -> dict[str, str]:
        return {"EMAIL_PROVIDER": "smtp", "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(self.port)}

    def by_recipient(self) -> dict[str, list[SmtpMessage]]:
        with self._lock:
            grouped: dict[str, list[SmtpMessage]] = {}
            for message in self.messages:
                for rcpt in message.rcpt_tos:
                    grouped.setdefault(rcpt, []).append(message)
            return grouped

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        with self._lock:
            self.sessions += 1
        session.host_name = hostname
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.refuse:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        parsed = message_from_bytes(envelope.original_content or envelope.content, policy=default_policy)
        text_part = parsed.get_body(preferencelist=("plain",))
        html_part = parsed.get_body(preferencelist=("html",))
        message = SmtpMessage(
            mail_from=envelope.mail_from,
            rcpt_tos=[r.lower() for r in envelope.rcpt_tos],
            # Long headers arrive folded; unfolding leaves the folding white space in front.
            headers={name: str(value).strip() for name, value in parsed.items()},
            text=text_part.get_content() if text_part is not None else "",
            html=html_part.get_content() if html_part is not None else "",
        )
        with self._lock:
            self.messages.append(message)
        return "250 Message accepted for delivery"

    def __enter__(self) -> SmtpSink:
        logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every command at INFO
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def __exit__(self, *exc):
        self._controller.stop()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
