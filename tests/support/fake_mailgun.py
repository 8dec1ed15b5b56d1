"""A local HTTP server that answers like Mailgun's messages API, for the real anymail Mailgun backend.

It parses the form (urlencoded or multipart) the backend posts, including `recipient-variables`,
and records every recipient's message as Mailgun would expand it: `%recipient.KEY%` replaced in the
subject, bodies and `h:` headers, `v:` custom data resolved. Faults are injected with `responder`:
a function of the call number (1-based) returning None (accept) or (status, headers, body).
"""

from __future__ import annotations

import base64
import json
import re
import threading
import time
from dataclasses import dataclass, field
from email.utils import parseaddr
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl

_MERGE = re.compile(r"%recipient\.([^%]+)%")


@dataclass
class ReceivedMessage:
    to: str
    from_email: str
    subject: str
    text: str
    html: str
    headers: dict[str, str]
    variables: dict[str, str]
    message_id: str
    options: dict[str, str] = field(default_factory=dict)  # the call's `o:` fields (tracking-opens, ...)


@dataclass
class FakeMailgun:
    api_key: str = "key-test"
    domain: str = "mg.example.org"
    responder: object = None  # callable(call_number) -> None | (status, headers, body)
    delay: float = 0.0  # seconds each call takes before answering
    hold: threading.Event | None = None  # when set to an unset Event, calls wait for it
    # Addresses at these domains are refused as Mailgun refuses an address it finds invalid: the whole call
    # gets a 400 and nobody in it is sent anything.
    invalid_domains: frozenset[str] = frozenset()
    messages: list[ReceivedMessage] = field(default_factory=list)
    calls: int = 0  # every POST, accepted or not
    accepted_calls: int = 0
    unauthorised: int = 0

    def __post_init__(self):
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/v3"

    def env(self) -> dict[str, str]:
        """The environment a worker process needs to use this server through anymail's Mailgun backend."""
        return {
            "EMAIL_PROVIDER": "mailgun",
            "MAILGUN_API_URL": self.api_url,
            "MAILGUN_API_KEY": self.api_key,
            "MAILGUN_SENDER_DOMAIN": self.domain,
        }

    def by_recipient(self) -> dict[str, list[ReceivedMessage]]:
        with self._lock:
            grouped: dict[str, list[ReceivedMessage]] = {}
            for message in self.messages:
                grouped.setdefault(message.to, []).append(message)
            return grouped

    def __enter__(self) -> FakeMailgun:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # keep test output quiet
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                status, headers, payload = fake._handle(self.path, self.headers, body)
                data = json.dumps(payload).encode()
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        if self.hold is not None:
            self.hold.set()
        self._server.shutdown()
        self._server.server_close()

    def _call_counted(self) -> int:
        """Count a call as it arrives; returns its number (1 for the first)."""
        with self._lock:
            self.calls += 1
            return self.calls

    def _refusal(self, path: str, headers):
        """Mailgun's answer to a call with the wrong key or domain, or None when both are right."""
        expected = "Basic " + base64.b64encode(f"api:{self.api_key}".encode()).decode()
        if headers.get("Authorization") != expected:
            with self._lock:
                self.unauthorised += 1
            return 401, {}, {"message": "Invalid private key"}
        if not re.fullmatch(rf"/v3/{re.escape(self.domain)}/messages", path):
            return 404, {}, {"message": "Domain not found"}
        return None

    def _handle(self, path: str, headers, body: bytes):
        number = self._call_counted()
        if self.hold is not None:
            self.hold.wait(timeout=60)
        if self.delay:
            time.sleep(self.delay)
        refusal = self._refusal(path, headers)
        if refusal is not None:
            return refusal
        if self.responder is not None:
            fault = self.responder(number)
            if fault is not None:
                return fault
        fields = _parse_form(headers.get("Content-Type", ""), body)
        if any(parseaddr(value)[1].rpartition("@")[2].lower() in self.invalid_domains for name, value in fields if name == "to"):
            return 400, {}, {"message": "'to' parameter is not a valid address. please check documentation"}
        message_id = f"<{number}.{time.time_ns()}@{self.domain}>"
        received = _expand(fields, message_id)
        with self._lock:
            self.accepted_calls += 1
            self.messages.extend(received)
        return 200, {}, {"id": message_id, "message": "Queued. Thank you."}


def _parse_form(content_type: str, body: bytes) -> list[tuple[str, str]]:
    if content_type.startswith("multipart/form-data"):
        return _parse_multipart(content_type, body)
    return parse_qsl(body.decode(), keep_blank_values=True)


def _parse_multipart(content_type: str, body: bytes) -> list[tuple[str, str | bytes]]:
    """Split a multipart/form-data body as a web server does (the email parser took longer than the sender)."""
    found = re.search(r'boundary="?([^";]+)"?', content_type)
    if found is None:
        raise ValueError("multipart body without a boundary")
    delimiter = b"--" + found.group(1).encode()
    chunks = body.split(delimiter)
    if len(chunks) < 2 or not chunks[-1].startswith(b"--"):
        raise ValueError("multipart body without its closing boundary")
    fields: list[tuple[str, str | bytes]] = []
    for chunk in chunks[1:-1]:
        head, separator, value = chunk.removeprefix(b"\r\n").partition(b"\r\n\r\n")
        name = re.search(rb'(?:^|;)\s*name="([^"]*)"', head, re.IGNORECASE | re.MULTILINE)
        if not separator or name is None or not value.endswith(b"\r\n"):
            raise ValueError("malformed multipart part")
        value = value[:-2]
        is_text = b"content-type:" not in head.lower() or b"content-type: text/" in head.lower()
        fields.append((name.group(1).decode(), value.decode() if is_text else value))
    return fields


def _expand(fields: list[tuple[str, str]], message_id: str) -> list[ReceivedMessage]:
    single = {}
    to_list = []
    for name, value in fields:
        if name == "to":
            to_list.append(value)
        else:
            single[name] = value
    variables = json.loads(single.get("recipient-variables", "{}"))
    out = []
    for to in to_list:
        address = parseaddr(to)[1]
        values = variables.get(address, {})

        def merge(text: str, values=values) -> str:
            return _MERGE.sub(lambda m: str(values.get(m.group(1), m.group(0))), text)

        out.append(
            ReceivedMessage(
                to=address,
                from_email=single.get("from", ""),
                subject=merge(single.get("subject", "")),
                text=merge(single.get("text", "")),
                html=merge(single.get("html", "")),
                headers={name[2:]: merge(value) for name, value in single.items() if name.startswith("h:")},
                variables={name[2:]: merge(value) for name, value in single.items() if name.startswith("v:")},
                message_id=message_id,
                options={name[2:]: value for name, value in single.items() if name.startswith("o:")},
            )
        )
    return out
